/**
 * A KServe explainer in TypeScript: occlusion attributions for the iris predictor. For each row it
 * asks the predictor for the class probabilities of the row as given and of the row with one
 * feature at a time replaced by its mean over the iris data; a feature's attribution is how much
 * the predicted class's probability drops without it. Model-agnostic: it only calls the predictor
 * (KServe's explainer contract: `--predictor_host`, `--model_name`, answering `:explain`).
 *
 *   kserve-ts model-server --model-dir examples/models/iris --model-name iris --http-port 8085 --grpc-port 8086
 *   kserve-ts model-server --model-class examples/explainer/iris-occlusion.ts --model_name iris \
 *     --predictor_host 127.0.0.1:8085 --protocol v2 --http-port 8082 --grpc-port 8083
 *   curl localhost:8082/v1/models/iris:explain -d '{"instances": [[6.8, 2.8, 4.8, 1.4]]}'
 *   → {"predictions":[{"label":1,"attributions":[...4 numbers]}]}
 */
import { Transformer, invalidInput, makeTensor, type InferRequest, type PredictResult, type RequestContext, type Tensor } from '../../src/index.ts';

/** Feature means of Fisher's iris data (sepal length, sepal width, petal length, petal width; cm). */
const BASELINE = [5.843, 3.057, 3.758, 1.199];
const WIDTH = BASELINE.length;

export default class IrisOcclusion extends Transformer {
  override async explain(req: InferRequest, ctx: RequestContext): Promise<PredictResult> {
    const x = req.inputs[0];
    if (!x || x.datatype === 'BYTES' || x.datatype === 'BOOL' || x.shape.length !== 2 || x.shape[1] !== WIDTH) {
      throw invalidInput('instances', x ? `${x.datatype} ${JSON.stringify(x.shape)}` : 'nothing', `rows of ${WIDTH} numbers (sepal length, sepal width, petal length, petal width)`);
    }
    const rows = x.shape[0]!;
    const values = Float32Array.from(x.data as ArrayLike<number>, Number);
    // One predictor call for all variants: the rows as given, then each row with feature j at its mean.
    const batch = new Float32Array(rows * (WIDTH + 1) * WIDTH);
    for (let r = 0; r < rows; r++) {
      const row = values.subarray(r * WIDTH, (r + 1) * WIDTH);
      batch.set(row, r * WIDTH);
      for (let j = 0; j < WIDTH; j++) {
        const at = (rows + r * WIDTH + j) * WIDTH;
        batch.set(row, at);
        batch[at + j] = BASELINE[j]!;
      }
    }
    const res = await this.forward({ modelName: req.modelName, inputs: [makeTensor('input-0', 'FP32', [rows * (WIDTH + 1), WIDTH], batch)] }, ctx);
    const probs = output(res.outputs, 'probabilities');
    const classes = probs.shape[1]!;
    const p = Array.from(probs.data as ArrayLike<number>, Number);
    const labels = new BigInt64Array(rows);
    const attributions = new Float32Array(rows * WIDTH);
    for (let r = 0; r < rows; r++) {
      const own = p.slice(r * classes, (r + 1) * classes);
      const label = own.indexOf(Math.max(...own));
      labels[r] = BigInt(label);
      for (let j = 0; j < WIDTH; j++) attributions[r * WIDTH + j] = own[label]! - p[(rows + r * WIDTH + j) * classes + label]!;
    }
    return { outputs: [makeTensor('label', 'INT64', [rows], labels), makeTensor('attributions', 'FP32', [rows, WIDTH], attributions)] };
  }
}

function output(outputs: Tensor[], name: string): Tensor {
  const t = outputs.find((o) => o.name === name);
  if (!t || t.shape.length !== 2) throw invalidInput('predictor outputs', outputs.map((o) => o.name), `a 2-D output named ${name}`);
  return t;
}
