/**
 * The transformer's REST client for its predictor (v1 and v2): what KServe's `Model.predict` does
 * by default when the server was started with `--predictor_host` (python/kserve/kserve/model.py,
 * inference_client.py).
 *
 * - URL: `http[s]://{predictor_host}/v1/models/{name}:predict` (v1) or `.../v2/models/{name}/infer`
 *   (v2); the host may carry a path prefix (`127.0.0.1:28090/serving/default/iris-predictor`).
 * - Headers: FORWARDED_HEADERS (predictor.ts).
 * - Timeout per try (`--predictor_request_timeout_seconds`); `--predictor_request_retries` extra
 *   tries when the connection fails, as httpx's transport retries, and also when it is reset (a
 *   keep-alive connection the predictor closed as it was reused); never after a timeout or an answer.
 * - Errors: a non-2xx answer becomes `predictorFailed` (the predictor's status and message, in
 *   KServe's wording); no answer at all becomes `predictorUnavailable` naming the host.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { inferenceFailed, predictorFailed, predictorUnavailable, ServingError } from '../../core/errors.ts';
import { decodeV1Response, decodeV2Response, encodeV1Request, encodeV2Request } from '../../protocol/client-codec.ts';
import type { InferRequest } from '../../protocol/infer.ts';
import { parseJson } from '../../protocol/json-lossless.ts';
import { type ForwardResult, type Predictor, type PredictorOptions, type RequestHeaders, type V1Body, forwardable, isInferRequest } from './predictor.ts';

interface Answer {
  status: number;
  statusText: string;
  contentType: string;
  text: string;
}

const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export class RestPredictor implements Predictor {
  readonly options: Readonly<PredictorOptions>;
  /** `http[s]://host[:port][/prefix]`, without a trailing slash. */
  readonly baseUrl: string;
  private readonly agent: HttpAgent;
  private closed = false;

  constructor(opts: PredictorOptions) {
    this.options = Object.freeze({ ...opts });
    this.baseUrl = `${opts.useSsl ? 'https' : 'http'}://${opts.host.replace(/\/+$/, '')}`;
    this.agent = opts.useSsl ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  }

  /** Runs `payload` on the predictor's model `modelName` by the configured protocol. */
  async infer(modelName: string, payload: InferRequest | V1Body, headers: RequestHeaders, signal?: AbortSignal): Promise<ForwardResult> {
    const name = encodeURIComponent(modelName);
    if (this.options.protocol === 'v1') {
      const body = isInferRequest(payload) ? encodeV1Request(payload.inputs) : JSON.stringify(payload);
      const url = `${this.baseUrl}/v1/models/${name}:predict`;
      const parsed = await this.postJson(url, body, headers, signal);
      return { outputs: this.decode(url, () => decodeV1Response(parsed)) };
    }
    if (!isInferRequest(payload)) {
      throw inferenceFailed(modelName, 'preprocess returned a V1 body ({"instances": ...}) but --predictor-protocol is v2; return an InferRequest');
    }
    const url = `${this.baseUrl}/v2/models/${name}/infer`;
    const parsed = await this.postJson(url, encodeV2Request(payload), headers, signal);
    const res = this.decode(url, () => decodeV2Response(parsed, modelName));
    return res.parameters ? { outputs: res.outputs, parameters: res.parameters } : { outputs: res.outputs };
  }

  /**
   * The predictor server's readiness, as KServe's transformer checks it: v2 `GET /v2/health/ready`;
   * v1 has no readiness endpoint, so its liveness `GET /`. False on any failure.
   */
  async ready(signal?: AbortSignal): Promise<boolean> {
    return this.probe(this.options.protocol === 'v2' ? `${this.baseUrl}/v2/health/ready` : `${this.baseUrl}/`, signal);
  }

  /** The predictor's model readiness: `GET /v1/models/{name}` or `/v2/models/{name}/ready`. */
  async modelReady(modelName: string, signal?: AbortSignal): Promise<boolean> {
    const name = encodeURIComponent(modelName);
    return this.probe(this.options.protocol === 'v2' ? `${this.baseUrl}/v2/models/${name}/ready` : `${this.baseUrl}/v1/models/${name}`, signal);
  }

  /** Closes idle keep-alive connections. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.agent.destroy();
  }

  private async probe(url: string, signal?: AbortSignal): Promise<boolean> {
    try {
      const a = await this.send('GET', url, undefined, {}, signal);
      return a.status >= 200 && a.status < 300;
    } catch {
      return false;
    }
  }

  private decode<T>(url: string, fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw predictorUnavailable(this.options.host, `the answer from ${url} is not a valid response: ${(err as Error).message}`, err);
    }
  }

  private async postJson(url: string, body: string, headers: RequestHeaders, signal?: AbortSignal): Promise<unknown> {
    const a = await this.send('POST', url, body, forwardable(headers), signal);
    if (a.status < 200 || a.status >= 300) throw predictorFailed(url, a.status, a.statusText, errorMessageOf(a));
    try {
      return parseJson(a.text);
    } catch (err) {
      throw predictorUnavailable(this.options.host, `the answer from ${url} is not JSON`, err);
    }
  }

  /** One request with the timeout, retried on connection failure. */
  private async send(method: 'GET' | 'POST', url: string, body: string | undefined, headers: Record<string, string>, signal?: AbortSignal): Promise<Answer> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once(method, url, body, headers, signal);
      } catch (err) {
        if (err instanceof ServingError) throw err;
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== undefined && CONNECT_ERRORS.has(code) && attempt < this.options.retries && !signal?.aborted) continue;
        const tries = attempt + 1;
        const reason = code === 'ETIMEDOUT'
          ? `no answer within ${this.options.timeoutMs / 1000} s (--predictor-request-timeout-seconds)`
          : `${(err as Error).message}${tries > 1 ? ` (after ${tries} tries)` : ''}`;
        throw predictorUnavailable(this.options.host, `${method} ${url}: ${reason}`, err);
      }
    }
  }

  private once(method: string, url: string, body: string | undefined, headers: Record<string, string>, signal?: AbortSignal): Promise<Answer> {
    return new Promise<Answer>((resolve, reject) => {
      const send = this.options.useSsl ? httpsRequest : httpRequest;
      const h: Record<string, string> = { ...headers };
      if (body !== undefined) {
        h['content-type'] = 'application/json';
        h['content-length'] = String(Buffer.byteLength(body));
      }
      const req = send(url, { method, headers: h, agent: this.agent, signal }, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          clearTimeout(timer);
          resolve({
            status: res.statusCode ?? 0,
            statusText: res.statusMessage ?? '',
            contentType: String(res.headers['content-type'] ?? ''),
            text: Buffer.concat(chunks).toString('utf8'),
          });
        });
      });
      // The timeout covers the whole exchange, as httpx's does, not only idle socket time.
      const timer = setTimeout(() => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })), this.options.timeoutMs);
      req.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      req.end(body);
    });
  }
}

/** The predictor's `{"error": ...}` message, or its body text, or the status text. */
function errorMessageOf(a: Answer): string {
  if (a.contentType.startsWith('application/json')) {
    try {
      const body = JSON.parse(a.text) as unknown;
      if (typeof body === 'object' && body !== null && 'error' in body) return String(body.error);
    } catch {
      // not JSON after all: fall through to the text
    }
  }
  const text = a.text.trim();
  return text.length > 0 ? text.slice(0, 500) : a.statusText;
}
