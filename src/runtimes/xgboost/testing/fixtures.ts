/**
 * The XGBoost fixtures in ../shared/fixtures/xgboost (see its README), read for tests and
 * benchmarks: kserve-iris (one booster in three formats, expected classes and margins) and
 * agaricus (LIBSVM rows where an absent feature is missing, expected probabilities).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedFixturesDir } from '../../testing/fixtures-dir.ts';

/** The fixtures folder, found from the repo root (shared/ inside it, or beside it). */
export function xgboostFixturesDir(): string {
  return sharedFixturesDir('xgboost');
}

function csvRows(path: string): number[][] {
  return readFileSync(path, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
}

export interface IrisExpected {
  /** Row-major [150, 4]. */
  x: Float32Array;
  rows: number;
  classes: number[];
  /** Row-major [150, 10]. */
  margins: number[];
}

export function irisExpected(dir = xgboostFixturesDir()): IrisExpected {
  const rows = csvRows(join(dir, 'kserve-iris/expected_predictions.csv'));
  return {
    x: Float32Array.from(rows.flatMap((r) => r.slice(1, 5))),
    rows: rows.length,
    classes: rows.map((r) => r[5]!),
    margins: rows.flatMap((r) => r.slice(6, 16)),
  };
}

export interface AgaricusExpected {
  /** Row-major [1611, 127], NaN where the LIBSVM row has no entry. */
  x: Float32Array;
  rows: number;
  numFeature: number;
  probabilities: number[];
  margins: number[];
  /** Predictions when absent features are sent as 0 instead. */
  zeroFilled: number[];
}

export function agaricusExpected(dir = xgboostFixturesDir(), numFeature = 127): AgaricusExpected {
  const base = join(dir, 'agaricus-binary-logistic');
  const lines = readFileSync(join(base, 'agaricus.txt.test'), 'utf8').trim().split('\n');
  const x = new Float32Array(lines.length * numFeature).fill(Number.NaN);
  lines.forEach((line, r) => {
    for (const entry of line.trim().split(/\s+/).slice(1)) {
      const [k, v] = entry.split(':');
      x[r * numFeature + Number(k)] = Number(v);
    }
  });
  const expected = csvRows(join(base, 'expected_predictions.csv'));
  return {
    x, rows: lines.length, numFeature,
    probabilities: expected.map((r) => r[2]!),
    margins: expected.map((r) => r[3]!),
    zeroFilled: readFileSync(join(base, 'dense_zero_filled_predictions.txt'), 'utf8').trim().split('\n').map(Number),
  };
}
