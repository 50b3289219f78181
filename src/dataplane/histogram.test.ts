/** The hand-rolled histogram renders exactly as a prom-client Histogram with the same observations. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Histogram, Registry } from 'prom-client';
import { LabelledHistogram } from './histogram.ts';

const BUCKETS = [0.001, 0.01, 0.1, 1];

test('same text as prom-client for any observations', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom('a', 'b', 'iris'), fc.double({ min: 0, max: 5, noNaN: true })), { maxLength: 40 }), async (obs) => {
      const ours = new Registry();
      const theirs = new Registry();
      const h = new LabelledHistogram('request_predict_seconds', 'predict latency', 'model_name', BUCKETS, ours);
      const p = new Histogram({ name: 'request_predict_seconds', help: 'predict latency', labelNames: ['model_name'], buckets: BUCKETS, registers: [theirs] });
      for (const [m, v] of obs) {
        h.child(m).observe(v);
        p.labels(m).observe(v);
      }
      assert.equal(await ours.metrics(), await theirs.metrics());
    }),
  );
});

test('a value on a bound counts in that bound (le is inclusive); reset empties', async () => {
  const reg = new Registry();
  const h = new LabelledHistogram('x_seconds', 'x', 'model_name', BUCKETS, reg);
  h.child('m').observe(0.01);
  const text = await reg.metrics();
  assert.match(text, /x_seconds_bucket\{le="0.001",model_name="m"\} 0/);
  assert.match(text, /x_seconds_bucket\{le="0.01",model_name="m"\} 1/);
  assert.match(text, /x_seconds_count\{model_name="m"\} 1/);
  reg.resetMetrics();
  assert.doesNotMatch(await reg.metrics(), /model_name="m"/);
});

test('buckets must be distinct finite numbers', () => {
  assert.throws(() => new LabelledHistogram('y', 'y', 'l', [1, 1], new Registry()), /distinct finite/);
  assert.throws(() => new LabelledHistogram('z', 'z', 'l', [1, Infinity], new Registry()), /distinct finite/);
});
