/**
 * The REST adapter: a node:http server over the DataPlane. Graceful close: stop accepting, let
 * in-flight requests finish (bounded by a grace period), then close every connection.
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ServingError, toServingError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { DataPlane } from '../dataplane.ts';
import type { ServerMetrics } from '../metrics.ts';
import { BodyGate, sendError } from './io.ts';
import { type RouteDeps, resolve } from './routes.ts';

export interface HttpServerOptions {
  host: string;
  port: number;
  /** Largest accepted request body; bigger ones get 413. */
  maxBodyBytes: number;
  /** Most request bodies buffered at once (default 1024); more get 503. */
  maxConcurrentBodies?: number;
  /** Keep-alive timeout (KServe: 65 s). */
  keepAliveTimeoutMs?: number;
}

export class HttpServer {
  private readonly server: Server;
  private readonly deps: RouteDeps;
  private readonly log: Logger;
  private readonly opts: HttpServerOptions;
  private closing?: Promise<void>;

  constructor(dataPlane: DataPlane, log: Logger, opts: HttpServerOptions, metrics?: ServerMetrics) {
    this.deps = { dataPlane, metrics, maxBodyBytes: opts.maxBodyBytes, gate: new BodyGate(opts.maxConcurrentBodies ?? 1024) };
    this.log = log;
    this.opts = opts;
    this.server = createServer({ keepAliveTimeout: opts.keepAliveTimeoutMs ?? 65_000 }, (req, res) => this.handle(req, res));
    this.server.headersTimeout = 66_000;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    let route;
    try {
      route = resolve(req.method ?? 'GET', req.url ?? '/');
    } catch (err) {
      req.resume();
      this.fail(res, err);
      return;
    }
    try {
      const r = route.handler(req, res, this.deps, route.params);
      if (r) r.catch((err: unknown) => this.fail(res, err));
    } catch (err) {
      this.fail(res, err);
    }
  }

  private fail(res: ServerResponse, err: unknown): void {
    const e = toServingError(err);
    if (!(err instanceof ServingError)) this.log.error('request failed', { err });
    else if (e.code === 'INTERNAL' || e.code === 'INFERENCE_FAILED') this.log.error('request failed', { err: e.cause ?? e });
    sendError(res, e);
  }

  /** Starts listening; resolves with the bound port (port 0 picks a free one). */
  listen(): Promise<number> {
    return new Promise((resolveP, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.opts.port, this.opts.host, () => {
        this.server.off('error', reject);
        resolveP((this.server.address() as AddressInfo).port);
      });
    });
  }

  /** Stops accepting, waits for in-flight requests up to `graceMs`, then closes all sockets. */
  close(graceMs = 30_000): Promise<void> {
    this.closing ??= new Promise<void>((done) => {
      const timer = setTimeout(() => this.server.closeAllConnections(), graceMs);
      timer.unref();
      // Keep-alive connections become idle as their last request finishes: close them as they do.
      const sweep = setInterval(() => this.server.closeIdleConnections(), 25);
      sweep.unref();
      this.server.close(() => {
        clearTimeout(timer);
        clearInterval(sweep);
        done();
      });
      this.server.closeIdleConnections();
    });
    return this.closing;
  }
}
