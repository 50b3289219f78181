/**
 * Shared by the API server tests: a real server on port 0 over a MemoryStore with every kind,
 * a fetch wrapper that returns status, headers and the decoded body, and sample manifests.
 */
import { ALL_KINDS } from '../src/api/index.ts';
import { startApiServer, type ApiServer, type ApiServerOptions } from '../src/control/apiserver/server.ts';
import { MemoryStore } from '../src/control/store/memory-store.ts';

export interface Running {
  server: ApiServer;
  store: MemoryStore;
  url: string;
  close(): Promise<void>;
}

/** A server over a fresh MemoryStore (sharing `extra.clock`, if any, so ages are consistent). */
export async function startTestServer(extra: Partial<ApiServerOptions> = {}): Promise<Running> {
  const store = new MemoryStore(extra.clock ? { clock: extra.clock } : {});
  const server = await startApiServer({ port: 0, store, kinds: ALL_KINDS, ...extra });
  return {
    server,
    store,
    url: server.url,
    close: async () => {
      await server.close();
      await store.close();
    },
  };
}

export interface Reply {
  status: number;
  headers: Headers;
  body: any;
}

/** One request; `body` objects are sent as JSON unless it is already a string. */
export async function call(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${base}${path}`, init);
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body: parsed };
}

export const ISVC_PATH = '/apis/serving.kserve.io/v1beta1/namespaces/default/inferenceservices';

/** A valid InferenceService (KServe's sklearn iris example). */
export function isvc(name: string, extra: Record<string, unknown> = {}): Record<string, any> {
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name, ...extra },
    spec: { predictor: { model: { modelFormat: { name: 'sklearn' }, storageUri: 'gs://kfserving-examples/models/sklearn/1.0/model' } } },
  };
}

/** An open watch stream: `next()` resolves with each decoded event in order. */
export interface WatchStream {
  status: number;
  next(): Promise<any>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

export async function openWatch(base: string, path: string, headers: Record<string, string> = {}): Promise<WatchStream> {
  const abort = new AbortController();
  const res = await fetch(`${base}${path}`, { headers, signal: abort.signal });
  const queue: any[] = [];
  const waiters: ((e: any) => void)[] = [];
  let endResolve!: () => void;
  const ended = new Promise<void>((resolve) => (endResolve = resolve));
  const push = (e: any): void => {
    const w = waiters.shift();
    if (w) w(e);
    else queue.push(e);
  };
  void (async () => {
    let buf = '';
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buf += decoder.decode(chunk, { stream: true });
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (line.trim() !== '') push(JSON.parse(line));
        }
      }
    } catch {
      // aborted by close()
    }
    endResolve();
  })();
  return {
    status: res.status,
    next: () => (queue.length > 0 ? Promise.resolve(queue.shift()) : new Promise((resolve) => waiters.push(resolve))),
    ended,
    close: () => abort.abort(),
  };
}
