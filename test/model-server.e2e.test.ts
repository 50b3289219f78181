/**
 * The `kserve-ts model-server` command end to end: the bundled example, a custom TypeScript model
 * class, KServe's snake_case flags, and graceful shutdown on SIGTERM.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { EXAMPLE_PATH, irisModel } from '../scripts/gen-example-model.ts';
import { spawnModelServer } from './cli-helpers.ts';

test('the committed example model is what scripts/gen-example-model.ts builds', () => {
  assert.ok(readFileSync(EXAMPLE_PATH).equals(irisModel()), 'run `npm run gen:example`');
});

test('serves the bundled example: KServe iris payload → versicolor, V1 and v2', async () => {
  const s = await spawnModelServer(['--model-dir', 'examples/models']);
  try {
    const banner = await s.stdoutMatching(/curl http:\/\/127\.0\.0\.1:\d+\/v2\/models\/iris/);
    assert.match(banner, /model iris: READY/);
    const base = `http://127.0.0.1:${s.httpPort}`;
    const v1 = await fetch(`${base}/v1/models/iris:predict`, { method: 'POST', body: '{"instances": [[6.8,2.8,4.8,1.4],[6.0,3.4,4.5,1.6]]}' });
    const p = (await v1.json()) as { predictions: { label: number; probabilities: number[] }[] };
    assert.deepEqual(p.predictions.map((r) => r.label), [1, 1]);
    assert.ok(Math.abs(p.predictions[0]!.probabilities.reduce((a, b) => a + b) - 1) < 1e-5);
    const v2 = await fetch(`${base}/v2/models/iris/infer`, {
      method: 'POST',
      body: JSON.stringify({ inputs: [{ name: 'input-0', shape: [3, 4], datatype: 'FP32', data: [6.8, 2.8, 4.8, 1.4, 5.1, 3.5, 1.4, 0.2, 7.7, 3.0, 6.1, 2.3] }], outputs: [{ name: 'label' }] }),
    });
    const body = (await v2.json()) as { outputs: { name: string; datatype: string; data: number[] }[] };
    assert.deepEqual(body.outputs, [{ name: 'label', datatype: 'INT64', shape: [3], data: [1, 0, 2] }]);
  } finally {
    s.proc.kill('SIGTERM');
    assert.equal(await s.exited, 0);
  }
});

test('custom TypeScript model class with KServe flag spellings', async () => {
  const s = await spawnModelServer(['--model-class', 'examples/custom-model/doubler.ts', '--model_name', 'doubler', '--max_threads', '4']);
  try {
    const r = await fetch(`http://127.0.0.1:${s.httpPort}/v2/models/doubler/infer`, {
      method: 'POST',
      body: '{"inputs":[{"name":"x","shape":[3],"datatype":"FP32","data":[1,2.5,-4]}]}',
    });
    const body = (await r.json()) as { outputs: { data: number[] }[] };
    assert.deepEqual(body.outputs[0]!.data, [2, 5, -8]);
  } finally {
    s.proc.kill('SIGTERM');
    await s.exited;
  }
});

test('SIGTERM: in-flight requests finish, then the process exits 0', async () => {
  const s = await spawnModelServer(['--model-class', 'test/models/slow-echo.ts', '--model-name', 'slow', '--enable-grpc', 'false']);
  const base = `http://127.0.0.1:${s.httpPort}`;
  const inflight = fetch(`${base}/v2/models/slow/infer`, {
    method: 'POST',
    body: '{"parameters":{"delay_ms":700},"inputs":[{"name":"a","shape":[1],"datatype":"INT32","data":[7]}]}',
  });
  await new Promise((r) => setTimeout(r, 200));
  s.proc.kill('SIGTERM');
  const r = await inflight;
  assert.equal(r.status, 200);
  assert.deepEqual(((await r.json()) as { outputs: { data: number[] }[] }).outputs[0]!.data, [7]);
  assert.equal(await s.exited, 0);
  await assert.rejects(fetch(`${base}/v2/health/live`));
});

test('bad flags exit 2 with a message naming the flag', async () => {
  await assert.rejects(spawnModelServer(['--model-dir', 'examples/models', '--http-port', 'abc']), /--http-port: got "abc", expected an integer in \[0, 65535\]/);
});
