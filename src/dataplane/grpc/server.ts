/**
 * `GrpcServer`: the Open Inference Protocol v2 over gRPC (`inference.GRPCInferenceService`) on
 * @grpc/grpc-js, over a `DataPlane`. The proto is loaded at runtime from proto/ at the package
 * root; the handlers live in ./handlers.ts.
 *
 * Message size limits default to 64 MiB each way (grpc-js's own default is 4 MiB to receive,
 * which is too small for image or embedding batches); bigger messages get RESOURCE_EXHAUSTED.
 * HTTP/2 receive windows are opened to 4 MiB (grpc-js leaves 64 KiB; see ./grpcjs.ts).
 */
import { Server, ServerCredentials, type ServiceDefinition } from '@grpc/grpc-js';
import type { MethodDefinition, ServiceDefinition as LoadedServiceDefinition } from '@grpc/proto-loader';
import { invalidInput } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import { decodeModelInferRequest } from '../../protocol/grpc/infer-wire.ts';
import { INFERENCE_SERVICE, loadInferenceProto } from '../../protocol/grpc/proto.ts';
import type { DataPlane } from '../dataplane.ts';
import { ownsWholeBuffer, widenFlowControl } from './grpcjs.ts';
import { UndecodableRequest, makeHandlers } from './handlers.ts';

export interface GrpcServerOptions {
  /** Interface to bind; default 0.0.0.0. */
  host?: string;
  /** Port to bind; 0 picks a free one (see `listen()`'s result). */
  port: number;
  /** Largest request message accepted, bytes; default 64 MiB. */
  maxReceiveMessageBytes?: number;
  /** Largest response message sent, bytes; default 64 MiB. */
  maxSendMessageBytes?: number;
  /** How long `close()` waits for in-flight calls before cancelling them, ms; default 5000. */
  shutdownGraceMs?: number;
  /** HTTP/2 receive window per connection and per stream, bytes; default 4 MiB (see ./grpcjs.ts). */
  flowControlWindowBytes?: number;
}

const MIB = 1024 * 1024;
export const GRPC_DEFAULTS = Object.freeze({
  host: '0.0.0.0', maxReceiveMessageBytes: 64 * MIB, maxSendMessageBytes: 64 * MIB, shutdownGraceMs: 5000, flowControlWindowBytes: 4 * MIB,
});

type ResolvedOptions = Readonly<Required<GrpcServerOptions>>;

function resolveOptions(o: GrpcServerOptions): ResolvedOptions {
  const r = { ...GRPC_DEFAULTS, ...o };
  const int = (key: keyof GrpcServerOptions, lo: number, hi: number): void => {
    const v = r[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) throw invalidInput(`grpc server option ${key}`, v, `an integer in [${lo}, ${hi}]`);
  };
  int('port', 0, 65535);
  int('maxReceiveMessageBytes', 1, 2 ** 31 - 1);
  int('maxSendMessageBytes', 1, 2 ** 31 - 1);
  int('shutdownGraceMs', 0, 2 ** 31 - 1);
  int('flowControlWindowBytes', 65535, 2 ** 31 - 1);
  if (typeof r.host !== 'string' || r.host === '') throw invalidInput('grpc server option host', r.host, 'a host name or address');
  return Object.freeze(r);
}

/**
 * Request deserializers by method: ModelInfer uses the hand-written decoder (no intermediate
 * objects; raw contents stay in the received buffer, which is marked detachable when it is ours,
 * see ../../protocol/detachable.ts); the other methods keep proto-loader's.
 */
const DESERIALIZERS: Readonly<Record<string, (buf: Buffer) => object>> = {
  ModelInfer: (buf) => decodeModelInferRequest(buf, { ownsBuffer: ownsWholeBuffer(buf) }),
};

/** The loaded service definition with each request deserializer made total (see UndecodableRequest). */
function serviceDefinition(): ServiceDefinition {
  const loaded = loadInferenceProto()[INFERENCE_SERVICE] as LoadedServiceDefinition;
  const out: Record<string, MethodDefinition<object, object>> = {};
  for (const [name, m] of Object.entries(loaded)) {
    const type = `inference.${name}Request`;
    const deserialize = DESERIALIZERS[name] ?? m.requestDeserialize;
    out[name] = {
      ...m,
      requestDeserialize: (buf: Buffer) => {
        try {
          return deserialize(buf);
        } catch (err) {
          return new UndecodableRequest(type, buf.byteLength, err);
        }
      },
    };
  }
  return out;
}

export class GrpcServer {
  private readonly server: Server;
  private readonly opts: ResolvedOptions;
  private readonly log: Logger;
  private listening?: Promise<number>;
  private closing?: Promise<void>;

  constructor(dataPlane: DataPlane, log: Logger, options: GrpcServerOptions) {
    this.opts = resolveOptions(options);
    this.log = log.child({ component: 'grpc' });
    this.server = new Server({
      'grpc.max_receive_message_length': this.opts.maxReceiveMessageBytes,
      'grpc.max_send_message_length': this.opts.maxSendMessageBytes,
    });
    this.server.addService(serviceDefinition(), makeHandlers(dataPlane, this.log));
  }

  /** Binds and serves; resolves with the bound port. Call once. */
  listen(): Promise<number> {
    if (this.closing) return Promise.reject(invalidInput('GrpcServer.listen', 'closed', 'a server not yet closed'));
    if (this.listening) return Promise.reject(invalidInput('GrpcServer.listen', 'called twice', 'one call'));
    const { host, port } = this.opts;
    const address = host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
    this.listening = new Promise((resolve, reject) => {
      this.server.bindAsync(address, ServerCredentials.createInsecure(), (err, bound) => {
        if (err) return reject(err);
        if (!widenFlowControl(this.server, this.opts.flowControlWindowBytes)) {
          this.log.warn('cannot open HTTP/2 flow-control windows (grpc-js internals changed); large requests will be slower');
        }
        resolve(bound);
      });
    });
    return this.listening;
  }

  /**
   * Stops accepting calls and waits up to `graceMs` (default `shutdownGraceMs`) for in-flight
   * calls, then cancels the rest. Idempotent: later calls return the first call's promise.
   */
  close(graceMs: number = this.opts.shutdownGraceMs): Promise<void> {
    return (this.closing ??= this.shutdown(graceMs));
  }

  private async shutdown(graceMs: number): Promise<void> {
    if (this.listening) await this.listening.catch(() => undefined);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.server.forceShutdown();
        resolve();
      }, graceMs);
      timer.unref();
      this.server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
