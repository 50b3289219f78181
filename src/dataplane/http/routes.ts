/**
 * The REST routes of KServe's model server: V1, Open Inference Protocol v2 (with the binary
 * tensor extension and the model repository extension), `/metrics`. Each handler parses, makes
 * one DataPlane call, and encodes; nothing here knows about models.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { methodNotAllowed, modelNotReady, routeNotFound, serverNotReady } from '../../core/errors.ts';
import { parseJson } from '../../protocol/json-lossless.ts';
import { decodeV1Parameters, decodeV1Request, encodeV1Response } from '../../protocol/v1.ts';
import { HEADER_LENGTH, joinBody, splitBody } from '../../protocol/v2-binary.ts';
import { binaryOutputs, decodeV2Request, encodeV2Response } from '../../protocol/v2-json.ts';
import type { InferRequest } from '../../protocol/infer.ts';
import type { RequestContext } from '../../runtimes/model.ts';
import type { DataPlane } from '../dataplane.ts';
import type { ServerMetrics } from '../metrics.ts';
import { readBinaryBody } from './binary-body.ts';
import { type BodyGate, gated, readBody, sendChunks, sendJson } from './io.ts';

export interface RouteDeps {
  dataPlane: DataPlane;
  metrics?: ServerMetrics;
  maxBodyBytes: number;
  /** Bounds concurrent body reads. */
  gate: BodyGate;
}

type Handler = (req: IncomingMessage, res: ServerResponse, deps: RouteDeps, p: string[]) => Promise<void> | void;

interface Route {
  method: 'GET' | 'POST';
  /** Path segments; `:x` captures one (URL-decoded). */
  parts: string[];
  /** Suffix of the last segment, for V1's `name:predict`. */
  suffix?: string;
  handler: Handler;
}

/**
 * The request context: headers are copied (repeated ones joined) only when a model reads them. A
 * class, one object shape with the getter on its prototype: an object literal with a lazy getter
 * was measured 10 % slower on small JSON requests (an accessor allocated per request).
 */
class HttpContext implements RequestContext {
  private copied: Record<string, string | undefined> | undefined;
  constructor(private readonly req: IncomingMessage) {}

  get headers(): Record<string, string | undefined> {
    if (!this.copied) {
      const headers: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries(this.req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      this.copied = headers;
    }
    return this.copied;
  }
}

const ctxOf = (req: IncomingMessage): RequestContext => new HttpContext(req);

const json = (res: ServerResponse, v: unknown, status = 200): void => sendJson(res, status, JSON.stringify(v));

// ---- V1 -----------------------------------------------------------------------------------

const v1Predict = (kind: 'predict' | 'explain'): Handler => async (req, res, d, [name]) => {
  const model = d.dataPlane.model(name!);
  const body = parseJson((await readBody(req, d.maxBodyBytes, d.gate)).toString('utf8'));
  const inputs = decodeV1Request(body, model.metadata().inputs, model.decodeV1Instances?.bind(model));
  const run = kind === 'predict' ? d.dataPlane.infer.bind(d.dataPlane) : d.dataPlane.explain.bind(d.dataPlane);
  const parameters = decodeV1Parameters(body);
  const out = await run(parameters ? { modelName: name!, inputs, parameters } : { modelName: name!, inputs }, ctxOf(req));
  sendJson(res, 200, encodeV1Response(out.outputs, { records: model.v1Records === true }));
};

// ---- V2 -----------------------------------------------------------------------------------

/** Reads and decodes a V2 infer body: JSON, or the binary extension (streamed per input when possible). */
function readInferRequest(req: IncomingMessage, d: RouteDeps, name: string, version: string | undefined): Promise<InferRequest> {
  const h = req.headers[HEADER_LENGTH];
  const headerLength = Array.isArray(h) ? h[0] : h;
  if (headerLength !== undefined && /^\d+$/.test(headerLength) && Number(headerLength) > 0) {
    return gated(req, d.gate, () => readBinaryBody(req, Number(headerLength), d.maxBodyBytes)).then((b) => {
      if (b.kind === 'segments') return decodeV2Request(b.header, name, version, b.segments);
      const { json: text, binary } = splitBody(b.body, headerLength);
      return decodeV2Request(parseJson(text), name, version, binary);
    });
  }
  // One promise per request on the plain JSON path (the common one).
  return readBody(req, d.maxBodyBytes, d.gate).then((body) => {
    if (headerLength === undefined) return decodeV2Request(parseJson(body.toString('utf8')), name, version);
    const { json: text, binary } = splitBody(body, headerLength);
    return decodeV2Request(parseJson(text), name, version, binary);
  });
}

const v2Infer: Handler = async (req, res, d, [name, version]) => {
  const ir = await readInferRequest(req, d, name!, version);
  const out = await d.dataPlane.infer(ir, ctxOf(req));
  const enc = encodeV2Response(out, binaryOutputs(ir, out.outputs));
  if (enc.binary.length === 0) {
    sendJson(res, 200, enc.json);
    return;
  }
  const joined = joinBody(enc);
  sendChunks(res, 200, joined.chunks, joined.length, {
    'content-type': 'application/octet-stream',
    [HEADER_LENGTH]: joined.headerLength!,
  });
};

const v2ModelReady: Handler = async (_req, res, d, [name, version]) => {
  if (!d.dataPlane.modelReady(name!, version)) d.dataPlane.model(name!);
  await checkPredictorModel(d, name!);
  json(res, { name, ready: true });
};

/** `--enable-predictor-health-check`: a transformer's model is ready only while the predictor's is. */
async function checkPredictorModel(d: RouteDeps, name: string): Promise<void> {
  if (!(await d.dataPlane.predictorModelReady(name))) throw modelNotReady(name, 'Its predictor is not ready (--enable-predictor-health-check).');
}

const ROUTES: Route[] = [
  { method: 'GET', parts: [], handler: (_q, res) => json(res, { status: 'alive' }) },
  { method: 'GET', parts: ['metrics'], handler: async (_q, res, d) => {
    if (!d.metrics) return json(res, { error: 'metrics are disabled' }, 404);
    const m = await d.metrics.render();
    sendJson(res, 200, m.body, { 'content-type': m.contentType });
  } },
  { method: 'GET', parts: ['v1', 'models'], handler: (_q, res, d) => json(res, { models: d.dataPlane.modelNames() }) },
  { method: 'GET', parts: ['v1', 'models', ':m'], handler: async (_q, res, d, [name]) => {
    if (!d.dataPlane.modelReady(name!)) d.dataPlane.model(name!);
    await checkPredictorModel(d, name!);
    json(res, { name, ready: true });
  } },
  { method: 'POST', parts: ['v1', 'models', ':m'], suffix: ':predict', handler: v1Predict('predict') },
  { method: 'POST', parts: ['v1', 'models', ':m'], suffix: ':explain', handler: v1Predict('explain') },
  { method: 'GET', parts: ['v2'], handler: (_q, res, d) => json(res, d.dataPlane.serverMetadata()) },
  { method: 'GET', parts: ['v2', 'health', 'live'], handler: (_q, res, d) => json(res, { live: d.dataPlane.live() }) },
  { method: 'GET', parts: ['v2', 'health', 'ready'], handler: async (_q, res, d) => {
    if (!d.dataPlane.ready()) throw serverNotReady('models are loading, none is ready, or the server is shutting down');
    if (!(await d.dataPlane.predictorReady())) throw serverNotReady('the predictor is not ready (--enable-predictor-health-check)');
    json(res, { ready: true });
  } },
  { method: 'GET', parts: ['v2', 'models'], handler: (_q, res, d) => json(res, { models: d.dataPlane.modelNames() }) },
  { method: 'GET', parts: ['v2', 'models', ':m'], handler: (_q, res, d, [n]) => json(res, d.dataPlane.modelMetadata(n!)) },
  { method: 'GET', parts: ['v2', 'models', ':m', 'versions', ':v'], handler: (_q, res, d, [n, v]) => json(res, d.dataPlane.modelMetadata(n!, v)) },
  { method: 'GET', parts: ['v2', 'models', ':m', 'ready'], handler: v2ModelReady },
  { method: 'GET', parts: ['v2', 'models', ':m', 'versions', ':v', 'ready'], handler: v2ModelReady },
  { method: 'POST', parts: ['v2', 'models', ':m', 'infer'], handler: v2Infer },
  { method: 'POST', parts: ['v2', 'models', ':m', 'versions', ':v', 'infer'], handler: v2Infer },
  { method: 'POST', parts: ['v2', 'repository', 'index'], handler: async (req, res, d) => {
    const text = (await readBody(req, d.maxBodyBytes, d.gate)).toString('utf8').trim();
    const body = text ? parseJson(text) : {};
    const readyOnly = typeof body === 'object' && body !== null && (body as { ready?: unknown }).ready === true;
    json(res, d.dataPlane.repositoryIndex(readyOnly));
  } },
  { method: 'GET', parts: ['v2', 'repository', 'index'], handler: (_q, res, d) => json(res, d.dataPlane.repositoryIndex()) },
  { method: 'POST', parts: ['v2', 'repository', 'models', ':m', 'load'], handler: async (req, res, d, [n]) => {
    await readBody(req, d.maxBodyBytes, d.gate);
    await d.dataPlane.load(n!);
    json(res, { name: n, load: true });
  } },
  { method: 'POST', parts: ['v2', 'repository', 'models', ':m', 'unload'], handler: async (req, res, d, [n]) => {
    await readBody(req, d.maxBodyBytes, d.gate);
    await d.dataPlane.unload(n!);
    json(res, { name: n, unload: true });
  } },
];

function match(route: Route, segs: string[]): string[] | undefined {
  if (route.parts.length !== segs.length) return undefined;
  const params: string[] = [];
  for (let i = 0; i < segs.length; i++) {
    const want = route.parts[i]!;
    let seg = segs[i]!;
    if (route.suffix && i === segs.length - 1) {
      if (!seg.endsWith(route.suffix)) return undefined;
      seg = seg.slice(0, -route.suffix.length);
      if (seg === '') return undefined;
    } else if (i === segs.length - 1 && want.startsWith(':') && seg.includes(':') && segs[0] === 'v1') {
      return undefined;
    }
    if (want.startsWith(':')) {
      try {
        params.push(decodeURIComponent(seg));
      } catch {
        return undefined;
      }
    } else if (want !== seg) return undefined;
  }
  return params;
}

/** Finds the handler for a request, or throws ROUTE_NOT_FOUND / METHOD_NOT_ALLOWED. */
export function resolve(method: string, url: string): { handler: Handler; params: string[] } {
  const q = url.indexOf('?');
  const path = q >= 0 ? url.slice(0, q) : url;
  const segs = path.split('/').filter((s) => s !== '');
  const allowed: string[] = [];
  for (const r of ROUTES) {
    const params = match(r, segs);
    if (!params) continue;
    if (r.method === method || (method === 'HEAD' && r.method === 'GET')) return { handler: r.handler, params };
    allowed.push(r.method);
  }
  if (allowed.length > 0) throw methodNotAllowed(method, path, allowed);
  throw routeNotFound(method, path);
}

export type { Handler };
