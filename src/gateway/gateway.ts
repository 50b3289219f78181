/**
 * The minimal gateway: one HTTP/1.1 data-plane port that proxies each request to the backend the
 * RoutingTable picks (by Host header or `/serving/{ns}/{name}/` prefix). Bodies stream both
 * ways; nothing is buffered. gRPC (HTTP/2) pass-through is not here yet (see README.md).
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { once } from '../core/lifecycle.ts';
import { type Logger, silentLogger } from '../core/logger.ts';
import { listen } from './listen.ts';
import type { Backend, RoutingTable } from './routing-table.ts';

/** Options for {@link startGateway}. */
export interface GatewayOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  table: RoutingTable;
  /** Ingress domain, reported in 404 messages (e.g. `example.com`). */
  domain: string;
  log?: Logger;
  /** Upstream response-header timeout; the request gets 504 after it. Default 60 000. */
  upstreamTimeoutMs?: number;
  /** How long close() waits for in-flight requests before destroying them. Default 10 000. */
  drainTimeoutMs?: number;
  /** Bodies up to this size are kept so a refused request can be retried; larger ones are not retried. Default 1 MiB. */
  maxRetryBodyBytes?: number;
  /** How long a refused request waits for a route change that brings a backend it has not tried. Default 5 000. */
  retryWaitMs?: number;
  /** Attempts per request, the first included (each on a backend not tried before). Default 3. */
  maxAttempts?: number;
}

/** Connection errors before any response byte: the backend did not answer, so the request may go elsewhere. */
const RETRYABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE']);

/** A running gateway. */
export interface Gateway {
  readonly url: string;
  readonly port: number;
  /** Stops accepting, waits for in-flight requests (up to drainTimeoutMs), then closes. Idempotent. */
  close(): Promise<void>;
}

/** Hop-by-hop headers (RFC 9110 §7.6.1) that a proxy must not forward. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/** Copies headers minus hop-by-hop ones and any named in `Connection`. */
export function forwardableHeaders(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const named = new Set(
    String(headers.connection ?? '')
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  );
  const out: http.OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined || HOP_BY_HOP.has(k) || named.has(k)) continue;
    out[k] = v;
  }
  return out;
}

function sendError(res: http.ServerResponse, status: number, message: string, requestId: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ error: message });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-request-id': requestId });
  res.end(body);
}

/** Starts the gateway and resolves once it listens. */
export async function startGateway(opts: GatewayOptions): Promise<Gateway> {
  const log = opts.log ?? silentLogger;
  const upstreamTimeoutMs = opts.upstreamTimeoutMs ?? 60_000;
  const drainTimeoutMs = opts.drainTimeoutMs ?? 10_000;
  const maxRetryBodyBytes = opts.maxRetryBodyBytes ?? 1024 * 1024;
  const retryWaitMs = opts.retryWaitMs ?? 5_000;
  const maxAttempts = opts.maxAttempts ?? 3;
  // One keep-alive agent per backend URL so a slow backend cannot starve another's sockets.
  const agents = new Map<string, http.Agent>();
  const agentFor = (b: Backend): http.Agent => {
    let a = agents.get(b.url);
    if (!a) {
      a = new http.Agent({ keepAlive: true, maxSockets: 256 });
      agents.set(b.url, a);
    }
    return a;
  };
  let inFlight = 0;
  let drained: (() => void) | undefined;

  const server = http.createServer((req, res) => {
    inFlight++;
    res.on('close', () => {
      inFlight--;
      if (inFlight === 0) drained?.();
    });
    const requestId = (typeof req.headers['x-request-id'] === 'string' && req.headers['x-request-id']) || randomUUID();
    const path = req.url ?? '/';
    const host = req.headers.host;
    const found = opts.table.resolve({ host, path });
    if (!found) {
      req.resume();
      return sendError(res, 404, `no InferenceService route for host ${JSON.stringify(host ?? '')} path ${JSON.stringify(path)}; expected host {name}-{namespace}.${opts.domain} or path /serving/{namespace}/{name}/...`, requestId);
    }
    const { route, backend, rewrittenPath } = found;
    const isvc = `${route.namespace}/${route.name}`;
    if (!backend) {
      req.resume();
      return sendError(res, 503, `InferenceService ${isvc} has no ready revision to serve the request`, requestId);
    }
    const headers = forwardableHeaders(req.headers);
    const remote = req.socket.remoteAddress ?? '';
    const prior = req.headers['x-forwarded-for'];
    headers['x-forwarded-for'] = prior ? `${String(prior)}, ${remote}` : remote;
    headers['x-forwarded-host'] = host ?? '';
    headers['x-forwarded-proto'] = 'http';
    headers['x-request-id'] = requestId;

    // A copy of a small body, so a request a backend refused can be sent to another (see retry()).
    const body: Buffer[] = [];
    let bodyBytes = 0;
    let replayable = true;
    req.on('data', (c: Buffer) => {
      if (!replayable) return;
      bodyBytes += c.length;
      if (bodyBytes > maxRetryBodyBytes) {
        replayable = false;
        body.length = 0;
      } else {
        body.push(c);
      }
    });
    const failed = new Set<string>();
    let current: http.ClientRequest | undefined;

    const fail = (err: NodeJS.ErrnoException, b: Backend): void => {
      const timeout = err.code === 'GATEWAY_TIMEOUT';
      log.warn('upstream failed', { isvc, revision: b.revision, backend: b.url, error: err.message, requestId, attempts: failed.size + 1 });
      sendError(
        res,
        timeout ? 504 : 502,
        timeout ? `revision ${b.revision} of ${isvc} did not answer within ${upstreamTimeoutMs} ms` : `revision ${b.revision} of ${isvc} at ${b.url} failed: ${err.code ?? err.message}`,
        requestId,
      );
    };

    const send = (b: Backend, replay: boolean): void => {
      const target = new URL(b.url);
      const upstream = http.request({ host: target.hostname, port: target.port, method: req.method, path: rewrittenPath, headers, agent: agentFor(b) });
      current = upstream;
      let answered = false;
      upstream.setTimeout(upstreamTimeoutMs, () => {
        upstream.destroy(Object.assign(new Error('upstream timeout'), { code: 'GATEWAY_TIMEOUT' }));
      });
      upstream.on('response', (up) => {
        answered = true;
        upstream.setTimeout(0);
        const out = forwardableHeaders(up.headers);
        out['x-request-id'] = requestId;
        res.writeHead(up.statusCode ?? 502, up.statusMessage, out);
        up.pipe(res);
        up.on('error', () => res.destroy());
      });
      upstream.on('error', (err: NodeJS.ErrnoException) => {
        if (res.headersSent) return res.destroy();
        if (res.destroyed) return;
        if (!answered && replayable && RETRYABLE_CODES.has(err.code ?? '') && failed.size + 1 < maxAttempts) {
          failed.add(b.url);
          log.info('upstream refused the request; retrying', { isvc, revision: b.revision, backend: b.url, error: err.code, requestId });
          void retry(err, b);
          return;
        }
        fail(err, b);
      });
      if (replay) upstream.end(body.length === 1 ? body[0] : Buffer.concat(body));
      else req.pipe(upstream);
    };

    /**
     * Sends the request again after a connection error before any response byte (the backend
     * exited, restarted on another port, or closed a keep-alive socket as it drained): to another
     * backend of the route, or, when there is none yet, to the first one a route change brings
     * within retryWaitMs (a replica killed and restarted, a rollout that just moved the route).
     * Inference requests are treated as idempotent, as a reset-retrying proxy (Envoy) does.
     */
    const retry = async (err: NodeJS.ErrnoException, last: Backend): Promise<void> => {
      req.unpipe();
      req.resume();
      if (!req.readableEnded) {
        await new Promise<void>((r) => {
          req.once('end', r);
          res.once('close', r);
        });
      }
      if (res.destroyed || !req.readableEnded) return;
      let timedOut = false;
      let wake: (() => void) | undefined;
      const timer = setTimeout(() => {
        timedOut = true;
        wake?.();
      }, retryWaitMs);
      const off = opts.table.onChange(() => wake?.());
      try {
        for (;;) {
          if (res.destroyed) return;
          const again = replayable ? opts.table.resolve({ host, path }, failed) : undefined;
          if (again?.backend) return send(again.backend, true);
          if (timedOut || !again) return fail(err, last);
          await new Promise<void>((r) => (wake = r));
        }
      } finally {
        clearTimeout(timer);
        off();
      }
    };

    // Client went away before the upstream finished: stop the upstream too.
    res.on('close', () => {
      if (!res.writableFinished) current?.destroy();
    });
    send(backend, false);
  });
  server.keepAliveTimeout = 5_000;

  const { hostPort, port } = await listen(server, opts.host, opts.port);
  log.info('gateway listening', { url: `http://${hostPort}` });

  const close = once(async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    if (inFlight > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => (drained = resolve)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, drainTimeoutMs))),
      ]);
      clearTimeout(timer);
    }
    server.closeAllConnections();
    await closed;
    for (const a of agents.values()) a.destroy();
  });
  return { url: `http://${hostPort}`, port, close };
}
