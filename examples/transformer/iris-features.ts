/**
 * A KServe transformer in TypeScript: named iris features in, class names out; the iris model in
 * between runs in its own predictor. preprocess turns records such as
 *   {"instances": [{"sepal_length": 6.8, "sepal_width": 2.8, "petal_length": 4.8, "petal_width": 1.4}]}
 * into the rows [[6.8, 2.8, 4.8, 1.4]] the predictor expects; the default predict (Transformer's)
 * forwards them; postprocess maps each predicted label to setosa, versicolor or virginica.
 *
 *   kserve-ts model-server --model-dir examples/models/iris --model-name iris --http-port 8085 --grpc-port 8086
 *   kserve-ts model-server --model-class examples/transformer/iris-features.ts --model_name iris \
 *     --predictor_host 127.0.0.1:8085 --http-port 8080 --grpc-port 8081
 *   curl localhost:8080/v1/models/iris:predict -d '{"instances": [{"sepal_length": 6.8, "sepal_width": 2.8, "petal_length": 4.8, "petal_width": 1.4}]}'
 *   → {"predictions":["versicolor"]}
 */
import { Transformer, invalidInput, makeTensor, type InferRequest, type PredictResult, type V1Body } from '../../src/index.ts';

/** The predictor's column order. */
export const FEATURES = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'] as const;
export const CLASSES = ['setosa', 'versicolor', 'virginica'] as const;

export default class IrisFeatures extends Transformer {
  /**
   * V1 records arrive as one tensor per key (the V1 codec's row format), so each feature is a
   * column here; a V2 client sends the same four named tensors.
   */
  override preprocess(req: InferRequest): InferRequest | V1Body {
    const columns = FEATURES.map((name) => {
      const t = req.inputs.find((x) => x.name === name);
      if (!t) throw invalidInput('instances[0]', req.inputs.map((x) => x.name), `a value for each of ${FEATURES.join(', ')}`);
      if (t.datatype === 'BYTES' || t.datatype === 'BOOL') throw invalidInput(name, t.datatype, 'numbers');
      return Array.from(t.data as ArrayLike<number | bigint>, Number);
    });
    const rows = columns[0]!.map((_, r) => columns.map((c) => c[r]!));
    // KServe-style: a V1 body goes to a v1 predictor as it is. A v2 or grpc-v2 predictor needs its input tensor.
    if (this.predictor && this.predictor.options.protocol !== 'v1') {
      return { modelName: req.modelName, inputs: [makeTensor('input-0', 'FP32', [rows.length, FEATURES.length], Float32Array.from(rows.flat()))] };
    }
    return { instances: rows };
  }

  /** The predicted `label` (one per row) as the class name. */
  override postprocess(res: PredictResult): PredictResult {
    const label = res.outputs.find((t) => t.name === 'label');
    if (!label) throw invalidInput('predictor outputs', res.outputs.map((t) => t.name), 'an output named label');
    const enc = new TextEncoder();
    const names = Array.from(label.data as ArrayLike<number | bigint>, (v) => enc.encode(CLASSES[Number(v)] ?? `unknown-${String(v)}`));
    return { outputs: [makeTensor('class', 'BYTES', [names.length], names)] };
  }
}
