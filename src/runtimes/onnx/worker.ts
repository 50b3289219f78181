/**
 * Entry point of an ONNX Runtime worker thread. Each worker owns one InferenceSession on the
 * model file and answers `run` messages one at a time (ORT's native run is synchronous, so a
 * worker never runs two requests at once; messages wait in the port's queue, which the pool
 * bounds).
 *
 * This file is the worker's composition root: it starts only when loaded as a worker thread, never
 * when imported on the main thread. From source it runs as CommonJS through tsx's require hooks
 * (worker-entry.ts), so neither it nor its imports may use `import.meta` or top-level await.
 */
import { type MessagePort, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import * as ort from 'onnxruntime-node';
import type { NumericArray } from '../../protocol/datatype.ts';
import type { OrtTensorType } from './datatypes.ts';
import { type FromWorker, type ToWorker, type WireTensor, type WorkerInit, encodeNumeric, isPacked, packStrings, unpackStrings } from './wire.ts';

type Session = ort.InferenceSession;

function baseOptions(init: WorkerInit): ort.InferenceSession.SessionOptions {
  return {
    intraOpNumThreads: init.intraOpThreads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    // ORT's own warnings (e.g. unused initializers) go straight to fd 2; keep errors only.
    logSeverityLevel: 3,
  };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Creates the session; 'cuda' falls back to CPU with a warning (onnxruntime-node's own list does not fall back). */
async function createSession(init: WorkerInit): Promise<{ session: Session; provider: 'cpu' | 'cuda'; warning?: string }> {
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

function toOrtTensor(w: WireTensor): ort.Tensor {
  const data = isPacked(w.data) ? unpackStrings(w.data) : w.data;
  const t = new ort.Tensor(w.type, data, w.dims);
  // Where a Float16Array global exists (Node 24), onnxruntime-common re-wraps float16 data as a
  // Float16Array view, which onnxruntime-node's native binding cannot read ("not enough space:
  // expected N, got 0"). Hand the binding the Uint16Array bits it expects.
  if (w.type === 'float16' && data instanceof Uint16Array && !(t.data instanceof Uint16Array)) {
    (t as unknown as { cpuData: Uint16Array }).cpuData = data;
  }
  return t;
}

function fromOrtTensor(name: string, value: ort.OnnxValue | undefined, transfer: ArrayBuffer[]): WireTensor {
  if (!value) throw new Error(`output ${JSON.stringify(name)} was not produced`);
  const type = value.type as OrtTensorType;
  const dims = [...value.dims];
  const raw = value.data as unknown;
  if (type === 'string') return { name, type, dims, data: packStrings(raw as string[], transfer) };
  let data = raw as NumericArray;
  // Where a Float16Array global exists ORT may return one; our FP16 representation is the bits.
  if (type === 'float16' && !(data instanceof Uint16Array)) data = new Uint16Array(data.buffer, data.byteOffset, data.length);
  return { name, type, dims, data: encodeNumeric(data, transfer, 0) };
}

/**
 * Lowers this thread's scheduling priority (Linux: nice is per thread, and the ORT threads the
 * session creates inherit it). Best effort: elsewhere, or without /proc, nothing changes.
 */
function lowerPriority(nice: number): void {
  if (nice <= 0 || process.platform !== 'linux') return;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, nice);
  } catch {
    // no /proc or not permitted: run at the default priority
  }
}

async function serve(port: MessagePort, init: WorkerInit): Promise<void> {
  lowerPriority(init.nice);
  let created;
  try {
    created = await createSession(init);
  } catch (err) {
    port.postMessage({ t: 'load-error', message: messageOf(err) } satisfies FromWorker);
    port.close();
    return;
  }
  const { session } = created;
  const ready: FromWorker = {
    t: 'ready',
    inputs: session.inputMetadata.map((m) => ({ ...m })),
    outputs: session.outputMetadata.map((m) => ({ ...m })),
    provider: created.provider,
  };
  if (created.warning !== undefined) ready.warning = created.warning;
  port.postMessage(ready);

  let active = 0;
  let closing = false;
  const finishClose = (): void => {
    void session.release().finally(() => port.close());
  };

  const run = async (id: number, feedsIn: WireTensor[], fetches: string[]): Promise<void> => {
    active++;
    try {
      const feeds: Record<string, ort.Tensor> = {};
      for (const f of feedsIn) feeds[f.name] = toOrtTensor(f);
      const results = await session.run(feeds, fetches);
      const transfer: ArrayBuffer[] = [];
      const outputs = fetches.map((name) => fromOrtTensor(name, results[name], transfer));
      // The same output fetched twice shares one buffer; a transfer list must not repeat it.
      port.postMessage({ t: 'ok', id, outputs } satisfies FromWorker, transfer.length > 1 ? [...new Set(transfer)] : transfer);
    } catch (err) {
      port.postMessage({ t: 'err', id, message: messageOf(err) } satisfies FromWorker);
    } finally {
      active--;
      if (closing && active === 0) finishClose();
    }
  };

  port.on('message', (msg: ToWorker) => {
    if (msg.t === 'run') {
      void run(msg.id, msg.feeds, msg.fetches);
    } else if (msg.t === 'crash') {
      throw new Error('worker crash requested (test hook)');
    } else if (msg.t === 'close' && !closing) {
      // Graceful: runs already received finish and answer, then the session is released.
      closing = true;
      if (active === 0) finishClose();
    }
  });
}

if (!isMainThread && parentPort) void serve(parentPort, workerData as WorkerInit);
