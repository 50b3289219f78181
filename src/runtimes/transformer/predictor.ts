/**
 * What a transformer forwards to: the `Predictor` interface, with one implementation per
 * protocol (rest-predictor.ts for v1/v2 REST, grpc-predictor.ts for grpc-v2), and what they share:
 * the headers passed on and the payload types.
 */
import type { InferRequest } from '../../protocol/infer.ts';
import type { Parameters, Tensor } from '../../protocol/tensor.ts';

/** Transformer → predictor protocols, KServe's `--predictor_protocol` values. */
export type PredictorProtocol = 'v1' | 'v2' | 'grpc-v2';

export interface PredictorOptions {
  /** `host`, `host:port` or `host:port/path/prefix` (REST only), no scheme. */
  host: string;
  protocol: PredictorProtocol;
  /** TLS to the predictor (https, or gRPC over TLS). */
  useSsl: boolean;
  /** Per-try timeout. */
  timeoutMs: number;
  /** Extra tries after a connection failure. */
  retries: number;
}

/** A V1 request body as a transformer's preprocess may return it, KServe-style. */
export interface V1Body {
  instances?: unknown[];
  inputs?: unknown;
  [key: string]: unknown;
}

/** The predictor's outputs (a Model's PredictResult; not imported, so model.ts may import this file). */
export interface ForwardResult {
  outputs: Tensor[];
  parameters?: Parameters;
}

/** Request headers, lower-cased (as RequestContext carries them). */
export type RequestHeaders = Readonly<Record<string, string | undefined>>;

export interface Predictor {
  readonly options: Readonly<PredictorOptions>;
  /** Runs `payload` on the predictor's model `modelName`; errors are ServingErrors naming the predictor. */
  infer(modelName: string, payload: InferRequest | V1Body, headers: RequestHeaders, signal?: AbortSignal): Promise<ForwardResult>;
  /** The predictor server's readiness; false on any failure. */
  ready(signal?: AbortSignal): Promise<boolean>;
  /** The predictor's model readiness; false on any failure. */
  modelReady(modelName: string, signal?: AbortSignal): Promise<boolean>;
  /** Closes connections. Idempotent. */
  close(): void;
}

/**
 * Headers a transformer passes on to its predictor. KServe forwards `x-request-id`,
 * `x-b3-traceid` and `authorization`; the rest of the B3 set and W3C `traceparent`/`tracestate`
 * go too, so a trace continues through both hops.
 */
export const FORWARDED_HEADERS: readonly string[] = [
  'x-request-id', 'authorization', 'x-b3-traceid', 'x-b3-spanid', 'x-b3-parentspanid', 'x-b3-sampled', 'x-b3-flags', 'b3',
  'traceparent', 'tracestate',
];

/** The forwarded subset of `headers`. */
export function forwardable(headers: RequestHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of FORWARDED_HEADERS) {
    const v = headers[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** An InferRequest (tensors) as opposed to a V1 body from a KServe-style preprocess. */
export function isInferRequest(v: unknown): v is InferRequest {
  return typeof v === 'object' && v !== null && typeof (v as InferRequest).modelName === 'string' && Array.isArray((v as InferRequest).inputs);
}
