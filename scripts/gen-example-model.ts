/**
 * Builds the bundled example, examples/models/iris/model.onnx: a softmax-regression iris
 * classifier. Weights were fitted by this project (batch gradient descent, 20k steps, L2 1e-3) on
 * the 150-row iris data set; 98 % training accuracy. KServe's iris payload
 * `[[6.8,2.8,4.8,1.4],[6.0,3.4,4.5,1.6]]` → label [1, 1] (versicolor).
 *
 *   input  "input-0"       FP32 [batch, 4]  sepal length, sepal width, petal length, petal width (cm)
 *   output "label"         INT64 [batch]    0 setosa, 1 versicolor, 2 virginica
 *   output "probabilities" FP32 [batch, 3]
 *
 * `npm run gen:example` rewrites it; a test checks the committed file is what this script writes.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OnnxType, buildModel, f32 } from './onnx-builder.ts';

export const IRIS_WEIGHTS = [
  [1.2192, 0.5958, -1.815],
  [2.6854, -0.0391, -2.6463],
  [-3.7591, -0.1632, 3.9223],
  [-1.8479, -1.8861, 3.734],
];
export const IRIS_BIAS = [1.1079, 2.8727, -3.9806];

export function irisModel(): Buffer {
  return buildModel({
    name: 'iris_softmax_regression',
    nodes: [
      { op: 'MatMul', inputs: ['input-0', 'W'], outputs: ['xw'] },
      { op: 'Add', inputs: ['xw', 'b'], outputs: ['logits'] },
      { op: 'Softmax', inputs: ['logits'], outputs: ['probabilities'], attrs: { axis: 1 } },
      { op: 'ArgMax', inputs: ['logits'], outputs: ['label'], attrs: { axis: 1, keepdims: 0 } },
    ],
    initializers: [
      { name: 'W', type: OnnxType.FLOAT, dims: [4, 3], raw: f32(IRIS_WEIGHTS.flat()) },
      { name: 'b', type: OnnxType.FLOAT, dims: [3], raw: f32(IRIS_BIAS) },
    ],
    inputs: [{ name: 'input-0', type: OnnxType.FLOAT, dims: ['batch', 4] }],
    outputs: [
      { name: 'label', type: OnnxType.INT64, dims: ['batch'] },
      { name: 'probabilities', type: OnnxType.FLOAT, dims: ['batch', 3] },
    ],
  });
}

export const EXAMPLE_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', 'examples', 'models', 'iris', 'model.onnx');

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  mkdirSync(dirname(EXAMPLE_PATH), { recursive: true });
  writeFileSync(EXAMPLE_PATH, irisModel());
  console.log(`wrote ${EXAMPLE_PATH}`);
}
