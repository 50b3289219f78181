/**
 * gRPC pass-through: an h2c (HTTP/2 prior knowledge, no TLS) port that routes each stream by its
 * `:authority` (same host forms as the HTTP gateway) to the chosen revision's gRPC port and pipes
 * frames both ways, trailers included. Messages are not decoded, so any gRPC service passes.
 */
import http2 from 'node:http2';
import { once } from '../core/lifecycle.ts';
import { type Logger, silentLogger } from '../core/logger.ts';
import { listen } from './listen.ts';
import type { RoutingTable } from './routing-table.ts';

/** gRPC status codes this file answers with itself. */
const GRPC_UNAVAILABLE = 14;
const GRPC_UNIMPLEMENTED = 12; // what gRPC maps an HTTP 404 (unknown host) to

export interface GrpcGatewayOptions {
  host: string;
  port: number;
  table: RoutingTable;
  log?: Logger;
}

export interface GrpcGateway {
  /** `host:port`, as a gRPC client target. */
  readonly target: string;
  readonly port: number;
  /** Stops accepting, lets open streams finish, closes backend sessions. Idempotent. */
  close(): Promise<void>;
}

const DROP = new Set([':status', 'connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection']);

function copyHeaders(h: http2.IncomingHttpHeaders): http2.OutgoingHttpHeaders {
  const out: http2.OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined && !DROP.has(k)) out[k] = v;
  return out;
}

/** gRPC's percent-encoding of grpc-message: only '%' and bytes outside 0x20–0x7E are encoded. */
export function encodeGrpcMessage(message: string): string {
  let out = '';
  for (const byte of Buffer.from(message, 'utf8')) {
    out += byte >= 0x20 && byte <= 0x7e && byte !== 0x25 ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function answer(stream: http2.ServerHttp2Stream, code: number, message: string): void {
  if (stream.destroyed || stream.headersSent) return void stream.destroy();
  stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': String(code), 'grpc-message': encodeGrpcMessage(message) }, { endStream: true });
}

/** Starts the gRPC pass-through port. */
export async function startGrpcGateway(opts: GrpcGatewayOptions): Promise<GrpcGateway> {
  const log = opts.log ?? silentLogger;
  const sessions = new Map<string, http2.ClientHttp2Session>();
  const sessionFor = (url: string): http2.ClientHttp2Session => {
    const cached = sessions.get(url);
    if (cached && !cached.closed && !cached.destroyed) return cached;
    const s = http2.connect(url);
    s.on('error', () => undefined); // surfaced per stream; a dead session is replaced next time
    s.on('close', () => {
      if (sessions.get(url) === s) sessions.delete(url);
    });
    sessions.set(url, s);
    return s;
  };

  const server = http2.createServer();
  const clients = new Set<http2.ServerHttp2Session>();
  server.on('session', (s) => {
    clients.add(s);
    s.on('close', () => clients.delete(s));
  });
  server.on('stream', (stream, headers) => {
    const authority = String(headers[':authority'] ?? '');
    const path = String(headers[':path'] ?? '/');
    const found = opts.table.resolve({ host: authority, path: '/' });
    if (!found) return answer(stream, GRPC_UNIMPLEMENTED, `no InferenceService route for authority ${JSON.stringify(authority)}`);
    const isvc = `${found.route.namespace}/${found.route.name}`;
    const backend = found.backend;
    if (!backend) return answer(stream, GRPC_UNAVAILABLE, `InferenceService ${isvc} has no ready revision to serve the request`);
    if (!backend.grpcUrl) return answer(stream, GRPC_UNAVAILABLE, `revision ${backend.revision} of ${isvc} has no gRPC port`);
    const grpcUrl = backend.grpcUrl;
    const fwd = copyHeaders(headers);
    fwd[':authority'] = new URL(grpcUrl).host;
    fwd[':path'] = path;
    let up: http2.ClientHttp2Stream;
    try {
      up = sessionFor(grpcUrl).request(fwd);
    } catch (err) {
      return answer(stream, GRPC_UNAVAILABLE, `revision ${backend.revision} of ${isvc} at ${grpcUrl} failed: ${(err as Error).message}`);
    }
    let trailers: http2.OutgoingHttpHeaders = {};
    up.on('response', (h) => {
      if (stream.destroyed || stream.closed) return void up.close(http2.constants.NGHTTP2_CANCEL); // client gone: respond() would throw
      if (h['grpc-status'] !== undefined) {
        // Trailers-only response (an error before any message).
        stream.respond({ ...copyHeaders(h), ':status': 200 }, { endStream: true });
        up.resume();
        return;
      }
      stream.respond({ ...copyHeaders(h), ':status': h[':status'] ?? 200 }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers(trailers));
      up.pipe(stream);
    });
    up.on('trailers', (t) => (trailers = copyHeaders(t)));
    up.on('error', (err: NodeJS.ErrnoException) => {
      log.warn('grpc upstream failed', { isvc, revision: backend.revision, backend: grpcUrl, error: err.message });
      answer(stream, GRPC_UNAVAILABLE, `revision ${backend.revision} of ${isvc} at ${grpcUrl} failed: ${err.code ?? err.message}`);
    });
    stream.on('close', () => {
      if (!up.closed) up.close(http2.constants.NGHTTP2_CANCEL);
    });
    stream.pipe(up);
  });

  const { hostPort, port } = await listen(server, opts.host, opts.port);
  log.info('grpc gateway listening', { target: hostPort });
  const close = once(async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of clients) s.close(); // GOAWAY: open streams finish, no new ones
    await closed;
    for (const s of sessions.values()) s.close();
  });
  return { target: hostPort, port, close };
}
