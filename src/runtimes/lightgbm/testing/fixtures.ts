/**
 * The LightGBM fixtures (../shared/fixtures/lightgbm, see its README): model paths, test rows
 * and the CLI's expected outputs, read as numbers. Test-only.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedFixturesDir } from '../../testing/fixtures-dir.ts';

/** The fixtures folder, found beside the repository (or inside it, in a checkout with shared/). */
export function lightgbmFixturesDir(): string {
  return sharedFixturesDir('lightgbm');
}

/** Rows of numbers from a CSV/TSV file (comma, tab or space separated). */
export function readTable(path: string): number[][] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.trim().split(/[,\t ]+/).map(Number));
}

/** One fixture: the model file, its test rows (label column dropped) and expected outputs. */
export interface LightgbmCase {
  name: string;
  dir: string;
  model: string;
  rows: number[][];
  /** Transformed predictions, one array per row (one value, or one per class). */
  pred: number[][];
  raw: number[][];
}

/** The fixture cases whose expected outputs cover every test row. */
export function lightgbmCases(): LightgbmCase[] {
  const root = lightgbmFixturesDir();
  const dropLabel = (rows: number[][]): number[][] => rows.map((r) => r.slice(1));
  const iris = join(root, 'kserve-iris');
  const cases: LightgbmCase[] = [{
    name: 'kserve-iris', dir: iris, model: join(iris, 'model.bst'),
    rows: dropLabel(readTable(join(iris, 'iris_with_dummy_label.csv'))),
    pred: readTable(join(iris, 'iris_pred.txt')), raw: readTable(join(iris, 'iris_raw.txt')),
  }];
  for (const [name, data] of [['binary_classification', 'binary.test'], ['regression', 'regression.test']] as const) {
    const dir = join(root, name);
    cases.push({
      name, dir, model: join(dir, 'LightGBM_model.txt'),
      rows: dropLabel(readTable(join(dir, data))),
      pred: readTable(join(dir, 'LightGBM_predict_result.txt')), raw: readTable(join(dir, 'LightGBM_predict_raw.txt')),
    });
  }
  return cases;
}

/** Relative difference, with an absolute floor for values near zero. */
export function relDiff(got: number, want: number): number {
  return Math.abs(got - want) / Math.max(Math.abs(want), 1e-300);
}
