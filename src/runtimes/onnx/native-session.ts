/**
 * onnxruntime-node's native session, called synchronously, for runs on the event-loop thread.
 *
 * `InferenceSession.run` (onnxruntime-common) validates its arguments, defers the native call to
 * an immediate and wraps it in two promises: ≈ 1.6 µs of CPU per run on this machine, a quarter of
 * what the iris classifier's whole run costs. The native binding underneath
 * (`onnxruntime-node/dist/binding`, typed by the package and what its own backend uses) runs
 * synchronously and returns `Tensor`s, so an inline run (inline-runner.ts) calls it directly. Our
 * callers pass validated feeds (onnx-model.ts `checkInput`) and known output names.
 *
 * The binding is a file inside onnxruntime-node, not its documented API: the version is pinned in
 * package.json, and native-session.test.ts checks it against `InferenceSession.run` on every install.
 */
import type * as ort from 'onnxruntime-node';
import { type Binding, binding, initOrt } from 'onnxruntime-node/dist/binding.js';
import type { SessionInit } from './session-io.ts';
import { baseOptions } from './session-io.ts';

export class NativeSession {
  private readonly session: Binding.InferenceSession;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];

  /** Loads the model on this thread (blocking it for the load: only small models come here). CPU only. */
  constructor(init: SessionInit) {
    initOrt();
    this.session = new binding.InferenceSession();
    this.session.loadModel(init.modelPath, { ...baseOptions(init), executionProviders: ['cpu'] });
    this.inputNames = this.session.inputMetadata.map((m) => m.name);
    this.outputNames = this.session.outputMetadata.map((m) => m.name);
  }

  /** One synchronous run; `fetches` are output names of this model. ORT's errors are thrown as they come. */
  run(feeds: Record<string, ort.Tensor>, fetches: readonly string[]): Record<string, ort.OnnxValue> {
    const want: Record<string, null> = {};
    for (const f of fetches) want[f] = null;
    return this.session.run(feeds, want, {});
  }

  release(): void {
    this.session.dispose();
  }
}
