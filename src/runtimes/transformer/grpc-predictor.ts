/**
 * The transformer's gRPC client for its predictor (`--predictor_protocol grpc-v2`): KServe's
 * `_grpc_predict`. The preprocessed InferRequest goes as a ModelInferRequest to
 * `inference.GRPCInferenceService/ModelInfer` on `host:port`, with the forwarded headers as
 * metadata (plus KServe's `request_type`/`response_type: grpc_v2`), a deadline of the timeout, and
 * the retries on UNAVAILABLE (the connection failed). Readiness is ServerReady / ModelReady.
 */
import * as grpc from '@grpc/grpc-js';
import { inferenceFailed, predictorGrpcFailed, predictorUnavailable } from '../../core/errors.ts';
import { decodeInferResponse, encodeInferRequest } from '../../protocol/grpc/codec.ts';
import type { ProtoGrpcType } from '../../protocol/grpc/generated/grpc_predict_v2.ts';
import type { GRPCInferenceServiceClient } from '../../protocol/grpc/generated/inference/GRPCInferenceService.ts';
import type { ModelInferResponse__Output } from '../../protocol/grpc/generated/inference/ModelInferResponse.ts';
import { loadInferenceProto } from '../../protocol/grpc/proto.ts';
import type { InferRequest } from '../../protocol/infer.ts';
import { type ForwardResult, type Predictor, type PredictorOptions, type RequestHeaders, type V1Body, forwardable, isInferRequest } from './predictor.ts';

type Callback<T> = (err: grpc.ServiceError | null, res?: T) => void;

export class GrpcPredictor implements Predictor {
  readonly options: Readonly<PredictorOptions>;
  private readonly client: GRPCInferenceServiceClient;
  private closed = false;

  constructor(opts: PredictorOptions) {
    this.options = Object.freeze({ ...opts });
    const pkg = grpc.loadPackageDefinition(loadInferenceProto()) as unknown as ProtoGrpcType;
    const creds = opts.useSsl ? grpc.credentials.createSsl() : grpc.credentials.createInsecure();
    this.client = new pkg.inference.GRPCInferenceService(opts.host, creds);
  }

  async infer(modelName: string, payload: InferRequest | V1Body, headers: RequestHeaders, signal?: AbortSignal): Promise<ForwardResult> {
    if (!isInferRequest(payload)) {
      throw inferenceFailed(modelName, 'preprocess returned a V1 body ({"instances": ...}) but --predictor-protocol is grpc-v2; return an InferRequest');
    }
    const md = new grpc.Metadata();
    md.set('request_type', 'grpc_v2');
    md.set('response_type', 'grpc_v2');
    for (const [k, v] of Object.entries(forwardable(headers))) md.set(k, v);
    const msg = encodeInferRequest({ ...payload, modelName }, { raw: false });
    const res = await this.call('ModelInfer', (cb: Callback<ModelInferResponse__Output>) => this.client.ModelInfer(msg, md, this.callOptions(), cb), signal);
    try {
      const decoded = decodeInferResponse(res!);
      return decoded.parameters ? { outputs: decoded.outputs, parameters: decoded.parameters } : { outputs: decoded.outputs };
    } catch (err) {
      throw predictorUnavailable(this.options.host, `its ModelInfer answer is not a valid response: ${(err as Error).message}`, err);
    }
  }

  async ready(signal?: AbortSignal): Promise<boolean> {
    try {
      const res = await this.call('ServerReady', (cb: Callback<{ ready?: boolean }>) => this.client.ServerReady({}, this.callOptions(), cb), signal);
      return res?.ready === true;
    } catch {
      return false;
    }
  }

  async modelReady(modelName: string, signal?: AbortSignal): Promise<boolean> {
    try {
      const res = await this.call('ModelReady', (cb: Callback<{ ready?: boolean }>) => this.client.ModelReady({ name: modelName }, this.callOptions(), cb), signal);
      return res?.ready === true;
    } catch {
      return false;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.client.close();
  }

  private callOptions(): grpc.CallOptions {
    return { deadline: Date.now() + this.options.timeoutMs };
  }

  /** One unary call, retried on UNAVAILABLE; a failure becomes a ServingError naming the predictor. */
  private async call<T>(rpc: string, start: (cb: Callback<T>) => grpc.ClientUnaryCall, signal?: AbortSignal): Promise<T | undefined> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await new Promise<T | undefined>((resolve, reject) => {
          const call = start((err, res) => (err ? reject(err) : resolve(res)));
          signal?.addEventListener('abort', () => call.cancel(), { once: true });
        });
      } catch (err) {
        const e = err as grpc.ServiceError;
        if (e.code === grpc.status.UNAVAILABLE && attempt < this.options.retries && !signal?.aborted) continue;
        const tries = attempt + 1 > 1 ? ` (after ${attempt + 1} tries)` : '';
        if (e.code === grpc.status.DEADLINE_EXCEEDED) {
          throw predictorUnavailable(this.options.host, `${rpc}: no answer within ${this.options.timeoutMs / 1000} s (--predictor-request-timeout-seconds)`, err);
        }
        if (e.code === grpc.status.UNAVAILABLE) throw predictorUnavailable(this.options.host, `${rpc}: ${e.details}${tries}`, err);
        throw predictorGrpcFailed(this.options.host, rpc, e.code, e.details);
      }
    }
  }
}
