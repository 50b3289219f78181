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
}

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
    const target = new URL(backend.url);
    const headers = forwardableHeaders(req.headers);
    const remote = req.socket.remoteAddress ?? '';
    const prior = req.headers['x-forwarded-for'];
    headers['x-forwarded-for'] = prior ? `${String(prior)}, ${remote}` : remote;
    headers['x-forwarded-host'] = host ?? '';
    headers['x-forwarded-proto'] = 'http';
    headers['x-request-id'] = requestId;
    const upstream = http.request({
      host: target.hostname,
      port: target.port,
      method: req.method,
      path: rewrittenPath,
      headers,
      agent: agentFor(backend),
    });
    upstream.setTimeout(upstreamTimeoutMs, () => {
      upstream.destroy(Object.assign(new Error('upstream timeout'), { code: 'GATEWAY_TIMEOUT' }));
    });
    upstream.on('response', (up) => {
      upstream.setTimeout(0);
      const out = forwardableHeaders(up.headers);
      out['x-request-id'] = requestId;
      res.writeHead(up.statusCode ?? 502, up.statusMessage, out);
      up.pipe(res);
      up.on('error', () => res.destroy());
    });
    upstream.on('error', (err: NodeJS.ErrnoException) => {
      if (res.headersSent) return res.destroy();
      const timeout = err.code === 'GATEWAY_TIMEOUT';
      log.warn('upstream failed', { isvc, revision: backend.revision, backend: backend.url, error: err.message, requestId });
      sendError(
        res,
        timeout ? 504 : 502,
        timeout
          ? `revision ${backend.revision} of ${isvc} did not answer within ${upstreamTimeoutMs} ms`
          : `revision ${backend.revision} of ${isvc} at ${backend.url} failed: ${err.code ?? err.message}`,
        requestId,
      );
    });
    // Client went away before the upstream finished: stop the upstream too.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
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
