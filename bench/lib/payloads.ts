/**
 * The request payloads of the suite, built once in memory before a run (never per request), for
 * every transport: V2 JSON, V2 binary extension, gRPC raw_input_contents and fp32_contents.
 *
 * - iris: the anchors' 2×4 FP32 tensor (payloads/v2.json), model sklearn-iris.
 * - img224: a 1×3×224×224 FP32 image (150,528 floats) for the gap224 model (GlobalAveragePool).
 *   JSON holds pixel/255 rounded to 4 decimals ("0.1843"), about 7 bytes per float: shorter than
 *   the 17-digit floats numpy's tolist() gives, so JSON is measured at its cheapest.
 * - mnist1024: a batch of 1024 1×28×28 FP32 images (3.2 MB) for the mnist model (mnist-8).
 * - mlp1024: the same batch for the mnist-mlp model.
 */

export interface TensorSpec {
  model: string;
  input: string;
  output: string;
  shape: number[];
  data: Float32Array;
  /** The JSON text of each element (iris: as in payloads/v2.json). */
  jsonData: string;
}

const IRIS = [6.8, 2.8, 4.8, 1.4, 6.0, 3.4, 4.5, 1.6];

function pixels(n: number): { data: Float32Array; json: string } {
  const data = new Float32Array(n);
  const text: string[] = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const v = Math.round((((i * 7919) % 256) / 255) * 1e4) / 1e4;
    data[i] = v;
    text[i] = String(v);
  }
  return { data, json: `[${text.join(',')}]` };
}

export function tensorSpec(payload: string): TensorSpec {
  switch (payload) {
    case 'iris':
      return { model: 'sklearn-iris', input: 'input-0', output: 'output-0', shape: [2, 4], data: Float32Array.from(IRIS), jsonData: '[6.8,2.8,4.8,1.4,6.0,3.4,4.5,1.6]' };
    case 'img224': {
      const p = pixels(3 * 224 * 224);
      return { model: 'gap224', input: 'x', output: 'y', shape: [1, 3, 224, 224], data: p.data, jsonData: p.json };
    }
    case 'mnist1024': {
      const p = pixels(1024 * 28 * 28);
      return { model: 'mnist', input: 'Input3', output: 'Plus214_Output_0', shape: [1024, 1, 28, 28], data: p.data, jsonData: p.json };
    }
    case 'mlp1024': {
      const p = pixels(1024 * 28 * 28);
      return { model: 'mnist-mlp', input: 'Input3', output: 'logits', shape: [1024, 1, 28, 28], data: p.data, jsonData: p.json };
    }
    default:
      throw new Error(`unknown payload ${JSON.stringify(payload)}; known: iris, img224, mnist1024, mlp1024`);
  }
}

export interface HttpPayload {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

/** An HTTP request for `proto` (v2-json | v2-binary | health) carrying `payload`. */
export function httpPayload(proto: string, payload: string): HttpPayload {
  if (proto === 'health') return { method: 'GET', path: '/v2/health/live', headers: {} };
  const t = tensorSpec(payload);
  const path = `/v2/models/${t.model}/infer`;
  if (proto === 'v2-json') {
    const body = Buffer.from(`{"inputs":[{"name":"${t.input}","shape":${JSON.stringify(t.shape)},"datatype":"FP32","data":${t.jsonData}}]}`);
    return { method: 'POST', path, headers: { 'content-type': 'application/json' }, body };
  }
  if (proto === 'v2-binary') {
    const head = Buffer.from(
      JSON.stringify({
        inputs: [{ name: t.input, shape: t.shape, datatype: 'FP32', parameters: { binary_data_size: t.data.byteLength } }],
        outputs: [{ name: t.output, parameters: { binary_data: true } }],
      }),
    );
    const body = Buffer.concat([head, Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength)]);
    return { method: 'POST', path, headers: { 'content-type': 'application/octet-stream', 'inference-header-content-length': String(head.byteLength) }, body };
  }
  throw new Error(`unknown HTTP proto ${JSON.stringify(proto)}; known: v2-json, v2-binary, health`);
}

/** A ModelInferRequest object (proto-loader field names) for `proto` (grpc-raw | grpc-fp32). */
export function grpcRequest(proto: string, payload: string): Record<string, unknown> {
  const t = tensorSpec(payload);
  const input: Record<string, unknown> = { name: t.input, datatype: 'FP32', shape: t.shape };
  if (proto === 'grpc-raw') {
    return { model_name: t.model, inputs: [input], raw_input_contents: [Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength)] };
  }
  if (proto === 'grpc-fp32') {
    return { model_name: t.model, inputs: [{ ...input, contents: { fp32_contents: Array.from(t.data) } }] };
  }
  throw new Error(`unknown gRPC proto ${JSON.stringify(proto)}; known: grpc-raw, grpc-fp32`);
}
