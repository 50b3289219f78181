/**
 * Entry point of an ONNX Runtime worker thread. Each worker owns one InferenceSession on the
 * model file and answers `run` messages one at a time (ORT's native run is synchronous, so a
 * worker never runs two requests at once; messages wait in the port's queue, which the pool
 * bounds).
 *
 * This file is the worker's composition root: it starts only when loaded as a worker thread, never
 * when imported on the main thread. From source it runs as CommonJS through tsx's require hooks
 * (../worker-entry.ts), so neither it nor its imports may use `import.meta` or top-level await.
 */
import { type MessagePort, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import type * as ort from 'onnxruntime-node';
import type { NumericArray } from '../../protocol/datatype.ts';
import { createSession, fromOrtValue, messageOf, signatureOf, timedRun, toOrtTensor } from './session-io.ts';
import { type FromWorker, type ToWorker, type WireTensor, type WorkerInit, encodeNumeric, isPacked, packStrings, unpackStrings } from './wire.ts';

function toWireOutput(name: string, value: ort.OnnxValue | undefined, transfer: ArrayBuffer[]): WireTensor {
  const { type, dims, data } = fromOrtValue(name, value);
  if (type === 'string') return { name, type, dims, data: packStrings(data as string[], transfer) };
  return { name, type, dims, data: encodeNumeric(data as NumericArray, transfer, 0) };
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
  const ready: FromWorker = { t: 'ready', ...signatureOf(session), provider: created.provider };
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
      for (const f of feedsIn) feeds[f.name] = toOrtTensor(f.type, isPacked(f.data) ? unpackStrings(f.data) : f.data, f.dims);
      const { results, us } = await timedRun(session, feeds, fetches);
      const transfer: ArrayBuffer[] = [];
      const outputs = fetches.map((name) => toWireOutput(name, results[name], transfer));
      // The same output fetched twice shares one buffer; a transfer list must not repeat it.
      port.postMessage({ t: 'ok', id, outputs, us } satisfies FromWorker, transfer.length > 1 ? [...new Set(transfer)] : transfer);
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
