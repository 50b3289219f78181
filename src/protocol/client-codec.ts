/**
 * The client side of the V1 and V2 REST codecs: what a transformer sends to its predictor and
 * reads back. The server-side codecs (v1.ts, v2-json.ts) are reused in the other direction, so a
 * tensor crosses transformer → predictor → transformer by the same rules it crosses client → server:
 *
 * - V1 request: input tensors → `{"instances": ...}` as the V1 response encoder lays out outputs
 *   (one input: nested lists; several with a shared batch dimension: one record per row).
 * - V1 response: `{"predictions": ...}` → tensors as the V1 request decoder reads rows (records
 *   → one tensor per key; lists → one tensor named `predictions`, typed from the values).
 * - V2: InferRequest → OIP JSON; the OIP JSON response → InferResponse.
 */
import { invalidInput } from '../core/errors.ts';
import type { InferRequest, InferResponse, RequestedOutput } from './infer.ts';
import { encodeFlat, stringifyValue } from './json-data.ts';
import type { Parameters, Tensor } from './tensor.ts';
import { decodeV1Request, encodeV1Response } from './v1.ts';
import { decodeV2Request } from './v2-json.ts';

const PREDICTIONS = '{"predictions":';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A V1 request body for `inputs`. It is the V1 response encoding under the request's key:
 * `instances` for a list, `inputs` (columnar) when the tensors share no batch dimension.
 */
export function encodeV1Request(inputs: readonly Tensor[]): string {
  const payload = encodeV1Response(inputs).slice(PREDICTIONS.length, -1);
  return payload.startsWith('{') ? `{"inputs":${payload}}` : `{"instances":${payload}}`;
}

/** Output tensors from a parsed V1 response body (`{"predictions": ...}`). */
export function decodeV1Response(body: unknown): Tensor[] {
  if (!isObject(body) || body.predictions === undefined) throw invalidInput('predictor response', body, 'a V1 body with "predictions"');
  const p = body.predictions;
  const tensors = isObject(p) ? decodeV1Request({ inputs: p }, []) : decodeV1Request({ instances: p }, []);
  // A plain list decodes as one unnamed input; name it after the field it came from.
  if (tensors.length === 1 && tensors[0]!.name === 'input-0' && !isObject(p) && !(Array.isArray(p) && isObject(p[0]))) tensors[0]!.name = 'predictions';
  return tensors;
}

/** Parameters that describe this hop's framing (binary extension), not the request's meaning. */
function withoutFraming(p: Parameters | undefined, keys: readonly string[]): Parameters | undefined {
  if (!p) return undefined;
  const out: Parameters = {};
  let any = false;
  for (const [k, v] of Object.entries(p)) {
    if (keys.includes(k)) continue;
    out[k] = v;
    any = true;
  }
  return any ? out : undefined;
}

/**
 * An OIP v2 JSON request body. The binary-extension parameters are dropped: the hop to the
 * predictor is plain JSON, and the transformer encodes binary outputs for its own client itself.
 */
export function encodeV2Request(req: InferRequest): string {
  let s = '{';
  if (req.id !== undefined) s += `"id":${JSON.stringify(req.id)},`;
  const params = withoutFraming(req.parameters, ['binary_data_output']);
  if (params) s += `"parameters":${stringifyValue(params)},`;
  s += '"inputs":[';
  req.inputs.forEach((t, i) => {
    if (i) s += ',';
    s += `{"name":${JSON.stringify(t.name)},"datatype":"${t.datatype}","shape":[${t.shape.join(',')}]`;
    const tp = withoutFraming(t.parameters, ['binary_data_size']);
    if (tp) s += `,"parameters":${stringifyValue(tp)}`;
    s += `,"data":${encodeFlat(t.data, t.datatype)}}`;
  });
  s += ']';
  if (req.outputs && req.outputs.length > 0) {
    const outs = req.outputs.map((o: RequestedOutput) => {
      const op = withoutFraming(o.parameters, ['binary_data']);
      return op ? { name: o.name, parameters: op } : { name: o.name };
    });
    s += `,"outputs":${stringifyValue(outs)}`;
  }
  return `${s}}`;
}

/** An InferResponse from a parsed OIP v2 JSON response body. */
export function decodeV2Response(body: unknown, modelName: string): InferResponse {
  if (!isObject(body) || !Array.isArray(body.outputs)) throw invalidInput('predictor response', body, 'a V2 body with "outputs"');
  // The outputs decode exactly as request inputs do (name, datatype, shape, data checked).
  const asRequest = decodeV2Request({ inputs: body.outputs, parameters: body.parameters, id: typeof body.id === 'string' ? body.id : undefined }, modelName);
  const res: InferResponse = { modelName: typeof body.model_name === 'string' ? body.model_name : modelName, id: asRequest.id ?? '', outputs: asRequest.inputs };
  if (typeof body.model_version === 'string') res.modelVersion = body.model_version;
  if (asRequest.parameters) res.parameters = asRequest.parameters;
  return res;
}
