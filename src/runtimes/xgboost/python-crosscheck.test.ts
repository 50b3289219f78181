/**
 * Cross-check against XGBoost itself: testing/xgb_cases.py trains a small model per objective and
 * booster with the system's python3-xgboost (Debian's 1.7.4 here) and records `Booster.predict`;
 * each model, in each format it was saved in, must predict the same here (values and margins).
 * Skipped when /usr/bin/python3 cannot import xgboost.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { XgbBooster } from './booster.ts';
import { parseBoosterBytes } from './model-file.ts';

const PYTHON = '/usr/bin/python3';
const hasXgboost = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import xgboost'], { stdio: 'ignore' }).status === 0;

const csv = (path: string): number[][] => readFileSync(path, 'utf8').trim().split('\n').map((l) => l.split(',').map(Number));

test('every objective, booster and format predicts as XGBoost does', { skip: !hasXgboost && 'python3-xgboost not installed', timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'kserve-ts-xgb-py-'));
  try {
    execFileSync(PYTHON, [fileURLToPath(new URL('./testing/xgb_cases.py', import.meta.url)), dir], { stdio: ['ignore', 'ignore', 'pipe'] });
    const models = readdirSync(dir).filter((f) => /\.(json|ubj|bst)$/.test(f)).sort();
    assert.ok(models.length >= 50, `${models.length} model files`);
    for (const file of models) {
      const name = file.replace(/\.\w+$/, '');
      const rows = csv(join(dir, name === 'cat' ? 'catX.csv' : 'X.csv'));
      const b = new XgbBooster(parseBoosterBytes(readFileSync(join(dir, file))));
      for (const [kind, margin] of [['pred', false], ['margin', true]] as const) {
        const want = csv(join(dir, `${name}.${kind}`)).flat();
        const got = b.predict(Float32Array.from(rows.flat()), rows.length, margin).data;
        assert.equal(got.length, want.length, `${file} ${kind}: length`);
        for (let i = 0; i < want.length; i++) {
          const tol = 1e-6 * Math.max(1, Math.abs(want[i]!));
          assert.ok(Math.abs(got[i]! - want[i]!) <= tol, `${file} ${kind}[${i}]: ${got[i]} vs XGBoost ${want[i]}`);
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
