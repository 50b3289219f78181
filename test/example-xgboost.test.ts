/**
 * The bundled tree example, examples/models/iris-xgboost: the committed file is what
 * scripts/gen-example-xgboost.ts builds, the model server (real REST server on port 0) predicts
 * the right iris classes from it, and — where python3-xgboost is installed — XGBoost itself loads
 * the file and gives the same probabilities.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { after, before, test } from 'node:test';
import { type TestServer, startHttpTestServer } from '../src/dataplane/testing/harness.ts';
import { XgboostModel } from '../src/runtimes/xgboost/xgboost-model.ts';
import { EXAMPLE_XGBOOST_PATH, irisData, irisXgboostModel } from '../scripts/gen-example-xgboost.ts';
import { postJson } from './support/http.ts';

const ROWS = [[6.8, 2.8, 4.8, 1.4], [5.1, 3.5, 1.4, 0.2], [7.7, 3.0, 6.1, 2.3], [6.0, 3.4, 4.5, 1.6]];
const CLASSES = [1, 0, 2, 1];
const argmax = (p: number[]): number => p.indexOf(Math.max(...p));

let server: TestServer;
before(async () => {
  server = await startHttpTestServer([() => new XgboostModel({ name: 'iris-xgboost', modelDir: dirname(EXAMPLE_XGBOOST_PATH) })]);
});
after(async () => { await server.close(); });

test('the committed iris-xgboost model is what scripts/gen-example-xgboost.ts builds', () => {
  assert.equal(readFileSync(EXAMPLE_XGBOOST_PATH, 'utf8'), irisXgboostModel(), 'run `npx tsx scripts/gen-example-xgboost.ts`');
});

test('V1: known iris rows → probabilities over 3 classes, argmax the right class', async () => {
  const r = await postJson(`${server.url}/v1/models/iris-xgboost:predict`, { instances: ROWS });
  assert.equal(r.status, 200);
  const p = r.json['predictions'] as number[][];
  assert.deepEqual(p.map((row) => row.length), [3, 3, 3, 3]);
  for (const row of p) assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-5, `sums to 1: ${row.join(', ')}`);
  assert.deepEqual(p.map(argmax), CLASSES);
});

test('V2: output-0 FP32 [N, 3]; 96 % of the 150 training rows classified right', async () => {
  const { x, y } = irisData();
  const r = await postJson(`${server.url}/v2/models/iris-xgboost/infer`, { inputs: [{ name: 'input-0', datatype: 'FP32', shape: [x.length, 4], data: x.flat() }] });
  assert.equal(r.status, 200);
  const out = (r.json['outputs'] as { name: string; shape: number[]; data: number[] }[])[0]!;
  assert.deepEqual([out.name, out.shape], ['output-0', [150, 3]]);
  const right = y.filter((c, i) => argmax(out.data.slice(3 * i, 3 * i + 3)) === c).length;
  assert.equal(right, 145);
});

const PYTHON = '/usr/bin/python3';
const hasXgboost = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import xgboost'], { stdio: 'ignore' }).status === 0;

test('XGBoost itself loads the file: the same margins bit for bit, the same probabilities to 1e-6', { skip: !hasXgboost && 'python3-xgboost not installed' }, async () => {
  const script = [
    'import sys, json, numpy, xgboost',
    'b = xgboost.Booster(); b.load_model(sys.argv[1])',
    'd = xgboost.DMatrix(numpy.array(json.loads(sys.argv[2]), dtype=numpy.float32))',
    'print(json.dumps([b.predict(d).tolist(), b.predict(d, output_margin=True).tolist()]))',
  ].join('\n');
  const py = spawnSync(PYTHON, ['-c', script, EXAMPLE_XGBOOST_PATH, JSON.stringify(ROWS)], { encoding: 'utf8' });
  assert.equal(py.status, 0, py.stderr);
  const [probs, margins] = JSON.parse(py.stdout) as [number[][], number[][]];
  const infer = async (parameters: Record<string, unknown>): Promise<number[]> => {
    const r = await postJson(`${server.url}/v2/models/iris-xgboost/infer`, { inputs: [{ name: 'input-0', datatype: 'FP32', shape: [ROWS.length, 4], data: ROWS.flat() }], parameters });
    return (r.json['outputs'] as { data: number[] }[])[0]!.data;
  };
  const m = await infer({ output_margin: true });
  margins.flat().forEach((v, i) => assert.equal(Math.fround(m[i]!), Math.fround(v), `margin ${i}`));
  // XGBoost's softmax runs in float32 (expf), ours in float64 then rounded: 1 ulp apart at most.
  const p = await infer({});
  probs.flat().forEach((v, i) => assert.ok(Math.abs(p[i]! - v) < 1e-6, `probability ${i}: ${p[i]} vs ${v}`));
});
