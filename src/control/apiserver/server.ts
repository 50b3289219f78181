/**
 * The Kubernetes-compatible API server: node:http, generic over the `ResourceKind`s it is given.
 * `startApiServer` is the one entry point (kubectl's e2e tests and `kserve-ts up` use it); it
 * seeds the namespaces every cluster has and answers until `close()`, which ends open watches.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ResourceKind } from '../../api/registry.ts';
import { systemClock, type Clock } from '../../core/clock.ts';
import { once } from '../../core/lifecycle.ts';
import { silentLogger, type Logger } from '../../core/logger.ts';
import type { Store } from '../store/store.ts';
import { Admission } from './admission.ts';
import { DEFAULT_MAX_BODY_BYTES } from './body.ts';
import { applyFunctionFor, updateTrackerFor } from './apply/index.ts';
import { sendJson, tableCache, type ServerDeps, type ServerSideApplyFn, type SubresourceHandler, type UpdateTrackerFn } from './context.ts';
import { dispatch } from './dispatch.ts';
import { ApiError, internalError, tooManyRequests } from './errors.ts';
import { KindIndex } from './kinds.ts';
import { kubeNow } from './handlers-write.ts';

/** Namespaces a Kubernetes cluster starts with, plus KServe's. */
export const SEED_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kserve'];

export interface ApiServerOptions {
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Port (0: any free port). */
  port: number;
  store: Store;
  kinds: readonly ResourceKind[];
  log?: Logger;
  clock?: Clock;
  /** Randomness for generateName (default Math.random). */
  rng?: () => number;
  /** Largest request body (default 3 MiB, as kube-apiserver). */
  maxBodyBytes?: number;
  /** Watch bookmark interval (default 60 s, as kube-apiserver's cacher). */
  bookmarkIntervalMs?: number;
  /** Longest watch (default 1800 s, kube-apiserver's min-request-timeout). */
  maxWatchSeconds?: number;
  /** Server-side apply (default ./apply bound to `kinds`). */
  serverSideApply?: ServerSideApplyFn;
  /** managedFields tracking of other writes (default ./apply bound to `kinds`). */
  trackUpdate?: UpdateTrackerFn;
  /** Requests served at once, watches excepted (default 400, kube's max-requests-inflight); more get 429. */
  maxInflight?: number;
  /** Namespaces created when absent (default SEED_NAMESPACES). */
  seedNamespaces?: readonly string[];
  /**
   * Extra GET subresources, keyed `group/resource/subresource` (e.g.
   * `serving.kserve.io/inferenceservices/log`); see ./subresource.
   */
  subresources?: Readonly<Record<string, SubresourceHandler>>;
}

export interface ApiServer {
  /** `http://host:port`. */
  url: string;
  port: number;
  /** Open watch streams (each ends when its client goes away, on timeout, or on close()). */
  watchCount(): number;
  /** Stops accepting requests, ends open watches; idempotent. Does not close the store. */
  close(): Promise<void>;
}

function positive(name: string, v: number | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name}: got ${v}, expected a positive number`);
  return v;
}

async function seed(store: Store, names: readonly string[], now: string): Promise<void> {
  for (const name of names) {
    if (await store.get({ group: '', resource: 'namespaces', name })) continue;
    const ns = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels: { 'kubernetes.io/metadata.name': name }, creationTimestamp: now },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    };
    await store.create({ group: '', resource: 'namespaces', name }, ns).catch((err: unknown) => {
      if ((err as { reason?: string }).reason !== 'AlreadyExists') throw err;
    });
  }
}

/** Starts the server; resolves once it listens. */
export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? silentLogger;
  const deps: ServerDeps = {
    store: opts.store,
    index: new KindIndex(opts.kinds),
    clock,
    log,
    rng: opts.rng ?? Math.random,
    maxBodyBytes: positive('maxBodyBytes', opts.maxBodyBytes, DEFAULT_MAX_BODY_BYTES),
    admission: new Admission(opts.store),
    bookmarkIntervalMs: positive('bookmarkIntervalMs', opts.bookmarkIntervalMs, 60_000),
    maxWatchSeconds: positive('maxWatchSeconds', opts.maxWatchSeconds, 1800),
    watches: new Set(),
    serverSideApply: opts.serverSideApply ?? applyFunctionFor(opts.kinds),
    trackUpdate: opts.trackUpdate ?? updateTrackerFor(opts.kinds),
    tableFor: tableCache(),
    subresources: new Map(Object.entries(opts.subresources ?? {})),
  };
  await seed(opts.store, opts.seedNamespaces ?? SEED_NAMESPACES, kubeNow(clock.nowMs()));
  const buildDate = kubeNow(clock.nowMs());

  const maxInflight = positive('maxInflight', opts.maxInflight, 400);
  let inflight = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    // Watches and logs are long-running and bounded by their own lifetime, as kube-apiserver
    // counts them (its long-running check names the `log` subresource too: a followed log).
    const longRunning = /[?&]watch=(1|true)(&|$)|\/watch\/|\/log(\?|$)/.test(req.url ?? '');
    if (!longRunning) {
      if (inflight >= maxInflight) {
        req.resume();
        res.setHeader('retry-after', '1');
        return sendJson(res, 429, tooManyRequests(maxInflight).toStatus());
      }
      inflight++;
      res.on('close', () => inflight--);
    }
    const startNs = clock.monotonicNs();
    res.on('finish', () => log.debug('request', { method: req.method, url: req.url, status: res.statusCode, ms: Number(clock.monotonicNs() - startNs) / 1e6 }));
    dispatch(req, res, deps, buildDate).catch((err: unknown) => {
      const e = err instanceof ApiError ? err : internalError(err);
      if (e.code >= 500) log.error('request failed', { method: req.method, url: req.url, err: e.cause ?? e });
      if (res.headersSent) {
        res.end();
        return;
      }
      req.resume();
      sendJson(res, e.code, e.toStatus());
    });
  });
  server.keepAliveTimeout = 65_000;
  // Sockets with no request in flight, closed at once on close(): Node's closeIdleConnections()
  // skips connections that have not sent a request yet (a client's spare), which would hold
  // close() for the headers timeout.
  const busy = new Map<Socket, number>();
  server.on('connection', (socket: Socket) => {
    busy.set(socket, 0);
    socket.on('close', () => busy.delete(socket));
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    busy.set(socket, (busy.get(socket) ?? 0) + 1);
    res.on('close', () => busy.set(socket, (busy.get(socket) ?? 1) - 1));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = opts.host ?? '127.0.0.1';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log.info('API server listening', { url });
  return {
    url,
    port,
    watchCount: () => deps.watches.size,
    close: once(async () => {
      for (const w of [...deps.watches]) w.end(true);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const [socket, inFlight] of busy) if (inFlight === 0) socket.destroy();
      });
    }),
  };
}
