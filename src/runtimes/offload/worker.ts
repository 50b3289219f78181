/**
 * Entry point of an offloaded model's worker thread: builds the model from its OffloadSpec,
 * loads it, and answers runs one at a time. Composition root of the thread; from source it runs
 * as CommonJS through tsx's require hooks (../worker-entry.ts): no import.meta, no top-level await.
 */
import { type MessagePort, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { ServingError } from '../../core/errors.ts';
import type { Model } from '../model.ts';
import type { FromWorker, OffloadSpec, ToWorker } from './wire.ts';

type Factory = (options: OffloadSpec['options']) => Model;

async function loadModule(href: string): Promise<Record<string, unknown>> {
  // From source this thread is CommonJS under tsx's require hooks, which import() would bypass.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (typeof require === 'function') return require(fileURLToPath(href)) as Record<string, unknown>;
  return (await import(href)) as Record<string, unknown>;
}

/** Output buffers the result owns whole move to the main thread instead of being copied. */
function transferList(outputs: readonly { data: unknown }[]): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const o of outputs) {
    const d = o.data;
    if (ArrayBuffer.isView(d) && d.buffer instanceof ArrayBuffer && d.byteOffset === 0 && d.byteLength === d.buffer.byteLength) out.add(d.buffer);
  }
  return [...out];
}

async function serve(port: MessagePort, spec: OffloadSpec): Promise<void> {
  let model: Model;
  try {
    const factory = (await loadModule(spec.module))[spec.factory] as Factory | undefined;
    if (typeof factory !== 'function') throw new Error(`${spec.module} exports no function ${spec.factory}`);
    model = factory(spec.options);
    await model.load();
  } catch (err) {
    port.postMessage({ t: 'load-error', message: err instanceof Error ? err.message : String(err) } satisfies FromWorker);
    port.close();
    return;
  }
  port.postMessage({ t: 'ready' } satisfies FromWorker);
  // Runs are answered in order; a close waits for the runs already received.
  let chain = Promise.resolve();
  port.on('message', (msg: ToWorker) => {
    if (msg.t === 'close') {
      chain = chain.then(async () => {
        await model.unload();
        port.close();
      });
      return;
    }
    chain = chain.then(async () => {
      const t0 = performance.now();
      try {
        const result = await model.predict(msg.req, { headers: msg.headers });
        const us = Math.round((performance.now() - t0) * 1000);
        port.postMessage({ t: 'ok', id: msg.id, result, us } satisfies FromWorker, transferList(result.outputs));
      } catch (err) {
        const m: FromWorker = { t: 'err', id: msg.id, message: err instanceof Error ? err.message : String(err) };
        if (err instanceof ServingError) m.code = err.code;
        port.postMessage(m);
      }
    });
  });
}

if (!isMainThread && parentPort) void serve(parentPort, workerData as OffloadSpec);
