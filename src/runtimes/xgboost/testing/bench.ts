/**
 * In-process XGBoost evaluation speed, the counterpart of bench/anchors/xgb_predict.py (same
 * arguments, same rows, same JSON line): rows/s of the evaluator at batch N, and the batch-1
 * latency of `XgboostModel.predict` (request in, output tensor out).
 *
 *   node --import tsx src/runtimes/xgboost/testing/bench.ts MODEL ROWS.csv [--batch 10000] [--seconds 3] [--margin]
 *   /usr/bin/python3 bench/anchors/xgb_predict.py MODEL ROWS.csv [--batch 10000] [--seconds 3] [--margin]
 *
 * ROWS.csv: numeric rows, no header ("nan" = missing), repeated to fill the batch. Use at least
 * as many distinct rows as the batch: with a few rows repeated, the CPU's branch predictor
 * learns the walks and large blocks look up to 2x faster than they are.
 */
import { readFileSync } from 'node:fs';
import { XgboostModel } from '../xgboost-model.ts';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
}

async function main(): Promise<void> {
  const [model, csv] = process.argv.slice(2);
  if (!model || !csv) throw new Error('usage: bench.ts MODEL ROWS.csv [--batch N] [--seconds S] [--margin]');
  const batch = arg('--batch', 10_000);
  const ms = arg('--seconds', 3) * 1000;
  const margin = process.argv.includes('--margin');
  const rows = readFileSync(csv, 'utf8').trim().split('\n').map((l) => l.split(',').map(Number));
  const F = rows[0]!.length;
  const x = new Float32Array(batch * F);
  for (let r = 0; r < batch; r++) x.set(rows[r % rows.length]!, r * F);
  const m = new XgboostModel({ name: 'm', modelDir: model });
  await m.load();
  const b = m.evaluator!;
  for (let i = 0; i < 3; i++) b.predict(x, batch, margin);
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    b.predict(x, batch, margin);
    n++;
  }
  const rowsPerS = (n * batch) / ((performance.now() - t0) / 1000);
  const req = { modelName: 'm', inputs: [{ name: 'input-0', datatype: 'FP32' as const, shape: [1, F], data: x.slice(0, F) }], parameters: { output_margin: margin } };
  for (let i = 0; i < 10_000; i++) m.predict(req);
  // Latency per call, averaged over 100 calls per sample (one call is below the timer's resolution).
  const lat: number[] = [];
  const end = performance.now() + ms;
  while (performance.now() < end) {
    const t = performance.now();
    for (let i = 0; i < 100; i++) m.predict(req);
    lat.push(((performance.now() - t) * 1000) / 100);
  }
  lat.sort((a, c) => a - c);
  console.log(JSON.stringify({ rows_per_s: Math.round(rowsPerS), batch, p50_us: Number(lat[lat.length >> 1]!.toFixed(3)), samples: lat.length }));
}

await main();
