/**
 * One ONNX Runtime session and its tensors, as both places that run sessions need them: the worker
 * threads (worker.ts) and the inline session on the event-loop thread (inline-session.ts).
 *
 * Imported by the worker thread too (as CommonJS from source, see ../worker-entry.ts): no
 * `import.meta`, no top-level await.
 */
import * as ort from 'onnxruntime-node';
import type { NumericArray } from '../../protocol/datatype.ts';
import type { OrtTensorType } from './datatypes.ts';
import type { OrtValueInfo } from './metadata.ts';

export type Session = ort.InferenceSession;

/** A validated input, ready for ORT. */
export interface InlineFeed {
  name: string;
  type: OrtTensorType;
  dims: number[];
  data: NumericArray | Uint8Array[];
}

export interface SessionInit {
  modelPath: string;
  intraOpThreads: number;
  executionProvider: 'cpu' | 'cuda';
}

export interface CreatedSession {
  session: Session;
  provider: 'cpu' | 'cuda';
  warning?: string;
}

export function baseOptions(init: SessionInit): ort.InferenceSession.SessionOptions {
  return {
    intraOpNumThreads: init.intraOpThreads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    // ORT's own warnings (e.g. unused initializers) go straight to fd 2; keep errors only.
    logSeverityLevel: 3,
  };
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Creates the session; 'cuda' falls back to CPU with a warning (onnxruntime-node's own list does not fall back). */
export async function createSession(init: SessionInit): Promise<CreatedSession> {
  let warning: string | undefined;
  if (init.executionProvider === 'cuda') {
    try {
      const session = await ort.InferenceSession.create(init.modelPath, { ...baseOptions(init), executionProviders: ['cuda'] });
      return { session, provider: 'cuda' };
    } catch (err) {
      warning = `the CUDA execution provider is not available (${messageOf(err)}); running on CPU`;
    }
  }
  const session = await ort.InferenceSession.create(init.modelPath, { ...baseOptions(init), executionProviders: ['cpu'] });
  return warning === undefined ? { session, provider: 'cpu' } : { session, provider: 'cpu', warning };
}

/** The session's inputs and outputs as plain objects (they cross threads). */
export function signatureOf(session: Session): { inputs: OrtValueInfo[]; outputs: OrtValueInfo[] } {
  return { inputs: session.inputMetadata.map((m) => ({ ...m })), outputs: session.outputMetadata.map((m) => ({ ...m })) };
}

/** A feed: numeric data as a typed array (a view into a bigger buffer is fine), strings decoded. */
export function toOrtTensor(type: OrtTensorType, data: NumericArray | string[], dims: readonly number[]): ort.Tensor {
  const t = new ort.Tensor(type, data, dims);
  // Where a Float16Array global exists (Node 24), onnxruntime-common re-wraps float16 data as a
  // Float16Array view, which onnxruntime-node's native binding cannot read ("not enough space:
  // expected N, got 0"). Hand the binding the Uint16Array bits it expects.
  if (type === 'float16' && data instanceof Uint16Array && !(t.data instanceof Uint16Array)) {
    (t as unknown as { cpuData: Uint16Array }).cpuData = data;
  }
  return t;
}

/** A fetched output: its type, dims and data (FP16 as Uint16Array bits, strings as JS strings). */
export function fromOrtValue(name: string, value: ort.OnnxValue | undefined): { type: OrtTensorType; dims: number[]; data: NumericArray | string[] } {
  if (!value) throw new Error(`output ${JSON.stringify(name)} was not produced`);
  const type = value.type as OrtTensorType;
  const dims = [...value.dims];
  const raw = value.data as unknown;
  if (type === 'string') return { type, dims, data: raw as string[] };
  let data = raw as NumericArray;
  // Where a Float16Array global exists ORT may return one; our FP16 representation is the bits.
  if (type === 'float16' && !(data instanceof Uint16Array)) data = new Uint16Array(data.buffer, data.byteOffset, data.length);
  return { type, dims, data };
}

/**
 * `session.run`, and how long ONNX Runtime itself took, µs. onnxruntime-node defers the native
 * run with setImmediate, so several runs started together would each see the others' time in a
 * plain before/after measurement; the clock starts instead in an immediate queued just before
 * the run's own (immediates run in order), and stops when the run's promise settles, which Node
 * does right after that immediate.
 */
export async function timedRun(session: Session, feeds: Record<string, ort.Tensor>, fetches: string[]): Promise<{ results: ort.InferenceSession.ReturnType; us: number }> {
  let t0 = performance.now();
  setImmediate(() => {
    t0 = performance.now();
  });
  const results = await session.run(feeds, fetches);
  return { results, us: Math.round((performance.now() - t0) * 1000) };
}
