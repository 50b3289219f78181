/**
 * preprocess may return a V1 body (`{"instances": ...}`), as KServe's Python preprocess may return
 * a dict. A model that does not forward it to a predictor gets it decoded into input tensors by
 * its declared inputs, then validated, as if the client had sent it over V1.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InferRequest, ModelMetadata } from '../protocol/infer.ts';
import { Model, type PredictResult, type V1Body } from '../runtimes/model.ts';
import { startHttpTestServer } from './testing/harness.ts';

class RowsFromRecords extends Model {
  async load(): Promise<void> {
    this.ready = true;
  }
  metadata(): ModelMetadata {
    return { name: this.name, platform: 'test', inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 2] }], outputs: [] };
  }
  override preprocess(req: InferRequest): V1Body {
    const a = req.inputs.find((t) => t.name === 'a')!.data as Float64Array;
    const b = req.inputs.find((t) => t.name === 'b')!.data as Float64Array;
    return { instances: Array.from(a, (v, i) => (i < b.length ? [v, b[i]!] : [v])) };
  }
  predict(req: InferRequest): PredictResult {
    return { outputs: req.inputs };
  }
}

test('a V1 body from preprocess is decoded by the model\'s inputs and validated', async () => {
  const s = await startHttpTestServer([() => new RowsFromRecords('rows')]);
  const infer = (a: number[], b: number[]): Promise<Response> =>
    fetch(`${s.url}/v2/models/rows/infer`, {
      method: 'POST',
      body: JSON.stringify({ inputs: [{ name: 'a', datatype: 'FP64', shape: [a.length], data: a }, { name: 'b', datatype: 'FP64', shape: [b.length], data: b }] }),
    });
  try {
    const r = await infer([1.5, 3.5], [2.5, 4.5]);
    assert.deepEqual(((await r.json()) as { outputs: unknown[] }).outputs, [{ name: 'x', datatype: 'FP32', shape: [2, 2], data: [1.5, 2.5, 3.5, 4.5] }]);
    // The decoded body is validated like any request: ragged rows are a 400 naming the field.
    const bad = await infer([1, 2], [3]);
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: string }).error, /^instances\[1\]/);
  } finally {
    await s.close();
  }
});
