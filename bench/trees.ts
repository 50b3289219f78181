/**
 * The tree runtimes in process against XGBoost's C++ (Debian's python3-xgboost 1.7.4, nthread=1,
 * bench/anchors/xgb_predict.py) on the same model and rows, in the same run:
 *
 * - batch 10,000 rows: rows/s of `XgboostModel.predict` (FP32 tensor in, the objective's output
 *   out) vs `Booster.predict(DMatrix)` (target ≥ 0.5×);
 * - batch 1: p50 latency of `predict` vs Python's `Booster.predict(DMatrix(row))` (target ≤ 0.25×).
 *
 *   node --import tsx bench/trees.ts [--seconds 3]     prints one markdown table row per model
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createXgboostModel } from '../src/runtimes/xgboost/index.ts';
import type { Model } from '../src/runtimes/model.ts';
import { num, parseFlags } from './lib/args.ts';

const F = '../shared/fixtures';
const MODELS = [
  { label: 'kserve-iris (multi:softmax, 10 classes × 100 rounds)', path: `${F}/xgboost/kserve-iris/model.json` },
  { label: 'anchors xgb-iris (multi:softprob, 3 × 20)', path: '/work/shared/anchors/python-baselines/models/xgb-iris/model.json' },
];

/**
 * 10,000 distinct rows: iris's 150 with a deterministic jitter of up to ±0.5 per feature. (The same
 * few rows repeated make both evaluators look faster than they are: the same paths stay in cache.)
 */
function irisRows(): number[][] {
  const base = readFileSync(`${F}/xgboost/kserve-iris/iris.csv`, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').slice(0, 4).map(Number));
  let s = 12345;
  const jitter = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return Math.round((s / 2 ** 32 - 0.5) * 100) / 100;
  };
  return Array.from({ length: 10_000 }, (_, i) => base[i % base.length]!.map((v) => Math.round((v + jitter()) * 100) / 100));
}

function batch(rows: number[][], n: number): Float32Array {
  const x = new Float32Array(n * 4);
  for (let i = 0; i < n; i++) x.set(rows[i % rows.length]!, i * 4);
  return x;
}

async function measure(model: Model, rows: number[][], seconds: number): Promise<{ rowsPerS: number; p50us: number }> {
  const ctx = { headers: {} };
  const big = { modelName: model.name, inputs: [{ name: 'input-0', datatype: 'FP32' as const, shape: [10_000, 4], data: batch(rows, 10_000) }] };
  await model.predict(big, ctx);
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    await model.predict(big, ctx);
    n++;
  }
  const rowsPerS = (n * 10_000) / ((performance.now() - t0) / 1000);
  const lat: number[] = [];
  const end = performance.now() + seconds * 1000;
  let i = 0;
  while (performance.now() < end) {
    const one = { modelName: model.name, inputs: [{ name: 'input-0', datatype: 'FP32' as const, shape: [1, 4], data: Float32Array.from(rows[i++ % rows.length]!) }] };
    const t = performance.now();
    await model.predict(one, ctx);
    lat.push((performance.now() - t) * 1000);
  }
  lat.sort((a, b) => a - b);
  return { rowsPerS, p50us: lat[lat.length >> 1]! };
}

async function main(): Promise<void> {
  const f = parseFlags(process.argv.slice(2), { seconds: '3' });
  const seconds = num(f, 'seconds');
  const rows = irisRows();
  const csv = join(mkdtempSync(join(tmpdir(), 'kserve-ts-trees-')), 'rows.csv');
  writeFileSync(csv, rows.map((r) => r.join(',')).join('\n'));
  console.log('| model | kserve-ts rows/s (batch 10k) | XGBoost C++ rows/s | ratio (≥ 0.5) | kserve-ts p50 batch 1 | Booster.predict p50 | ratio (≤ 0.25) |');
  console.log('|---|---|---|---|---|---|---|');
  for (const m of MODELS) {
    const model = createXgboostModel({ name: 'm', modelDir: m.path });
    await model.load();
    const ts = await measure(model, rows, seconds);
    await model.unload();
    const py = JSON.parse(execFileSync('/usr/bin/python3', ['bench/anchors/xgb_predict.py', m.path, csv, '--seconds', String(seconds)], { encoding: 'utf8' })) as { rows_per_s: number; p50_us: number };
    const r1 = ts.rowsPerS / py.rows_per_s;
    const r2 = ts.p50us / py.p50_us;
    const k = (v: number): string => Math.round(v).toLocaleString('en-US');
    console.log(`| ${m.label} | ${k(ts.rowsPerS)} | ${k(py.rows_per_s)} | ${r1.toFixed(2)}× ${r1 >= 0.5 ? 'PASS' : 'FAIL'} | ${ts.p50us.toFixed(1)} µs | ${py.p50_us.toFixed(1)} µs | ${r2.toFixed(3)}× ${r2 <= 0.25 ? 'PASS' : 'FAIL'} |`);
  }
}

await main();
