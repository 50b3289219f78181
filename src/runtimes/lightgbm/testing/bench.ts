/**
 * In-process LightGBM evaluation speed: rows/s at batch 10,000 and batch-1 latency (µs) of
 * `LightgbmModel.predict` for each fixture model (rows repeat the fixture's test rows).
 * Run: node --import tsx src/runtimes/lightgbm/testing/bench.ts
 */
import { join } from 'node:path';
import { LightgbmModel } from '../lightgbm-model.ts';
import { lightgbmCases } from './fixtures.ts';

function time(fn: () => void, minMs: number): number {
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < minMs) {
    fn();
    n++;
    t = performance.now();
  }
  return (t - t0) / n;
}

for (const c of lightgbmCases()) {
  const m = new LightgbmModel({ name: c.name, modelDir: c.model });
  await m.load();
  const F = m.featureNames.length;
  const batch = (n: number): Float64Array => {
    const x = new Float64Array(n * F);
    for (let i = 0; i < n; i++) x.set(c.rows[i % c.rows.length]!.slice(0, F), i * F);
    return x;
  };
  const big = { modelName: c.name, inputs: [{ name: 'input-0', datatype: 'FP64' as const, shape: [10000, F], data: batch(10000) }] };
  // Batch 1 cycles through the fixture rows: one row repeated would let the branch predictor learn its path.
  const ones = c.rows.map((r) => ({ modelName: c.name, inputs: [{ name: 'input-0', datatype: 'FP64' as const, shape: [1, F], data: Float64Array.from(r.slice(0, F)) }] }));
  let next = 0;
  const one = (): void => void m.predict(ones[next++ % ones.length]!);
  time(() => m.predict(big), 300);
  const bigMs = time(() => m.predict(big), 1500);
  time(one, 300);
  const oneMs = time(one, 1000);
  console.log(`${c.name.padEnd(22)} ${join(c.model).split('/').pop()} batch 10000: ${Math.round(10000 / (bigMs / 1000)).toLocaleString('en')} rows/s; batch 1: ${(oneMs * 1000).toFixed(2)} µs`);
}
