/**
 * The PMML fixtures (../shared/fixtures/pmml, never copied into the repo) and the JPMML-rattle
 * cases: `pmml/<Case>.pmml` scored on `csv/<Dataset>.csv` must give `csv/<Case>.csv` within
 * JPMML's tolerances (fixtures README).
 */
import { readFileSync } from 'node:fs';
import { sharedFixturesDir } from '../../testing/fixtures-dir.ts';

export function pmmlFixturesDir(): string {
  return sharedFixturesDir('pmml');
}

export interface RattleCase {
  name: string;
  dataset: string;
  /** Relative and absolute tolerance. */
  tolerance: number;
  /** Expected columns not compared (JPMML did not compare them either). */
  skipColumns: string[];
}

const TOLERANCE: Record<string, number> = {
  LogisticRegressionIris: 1e-11, LogisticRegressionAudit: 1e-10, NeuralNetworkIris: 1e-6, NeuralNetworkAuto: 1e-6, GBMAuto: 1e-7,
};
const SKIP: Record<string, string[]> = { GBMAuto: ['mpg'], RegressionAuto: ['mpg', 'Predicted_mpg'], RegressionXformAuto: ['mpg', 'Predicted_mpg'] };

/** Every case of the README, in its order. */
export const RATTLE_CASES: readonly RattleCase[] = [
  'DecisionTreeIris', 'DecisionTreeXformIris', 'DecisionTreeAuto', 'DecisionTreeXformAuto', 'DecisionTreeAudit',
  'LogisticRegressionIris', 'LogisticRegressionAudit', 'NaiveBayesIris', 'NaiveBayesAudit', 'NeuralNetworkIris', 'NeuralNetworkAuto',
  'RandomForestIris', 'RandomForestXformIris', 'RandomForestAuto', 'KMeansIris', 'HierarchicalClusteringIris',
  'GeneralRegressionVersicolor', 'GeneralRegressionAuto', 'GeneralRegressionXformAuto', 'RegressionAuto', 'RegressionXformAuto',
  'GBMAuto', 'LibSVMIris', 'KernlabSVMIris', 'AssociationRulesShopping',
].map((name) => ({
  name,
  dataset: /(Iris|Auto|Audit|Versicolor|Shopping)$/.exec(name)?.[1] ?? '',
  tolerance: TOLERANCE[name] ?? 1e-13,
  skipColumns: SKIP[name] ?? [],
}));

/**
 * The scoring rows of a case: one per CSV row, or (Shopping, an AssociationModel's data) one per
 * transaction in order of first appearance, its `item` field holding the transaction's items.
 */
export function inputRows(table: Table, dataset: string): ((field: string) => string | null | (string | null)[])[] {
  const col = (row: (string | null)[], f: string): string | null => row[table.header.indexOf(f)] ?? null;
  if (dataset !== 'Shopping') return table.rows.map((row) => (f: string) => col(row, f));
  const baskets = new Map<string, (string | null)[]>();
  for (const row of table.rows) {
    const t = col(row, 'transaction') ?? '';
    baskets.set(t, [...(baskets.get(t) ?? []), col(row, 'item')]);
  }
  return [...baskets.values()].map((items) => (f: string) => (f === 'item' ? items : null));
}

/** A simple CSV table (the fixtures hold no quoted cells); "NA" and "" are missing. */
export interface Table {
  header: string[];
  rows: (string | null)[][];
}

export function readCsv(path: string): Table {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l !== '');
  const header = (lines[0] ?? '').split(',');
  const rows = lines.slice(1).map((l) => l.split(',').map((c) => (c === 'NA' || c === '' ? null : c)));
  return { header, rows };
}

/** Equal within JPMML's rule: numbers within tolerance (relative or absolute), otherwise as text. */
export function sameCell(expected: string | null, actual: unknown, tol: number): boolean {
  if (expected === null) return actual === null || actual === undefined;
  if (actual === null || actual === undefined) return false;
  const e = Number(expected);
  const a = typeof actual === 'number' ? actual : typeof actual === 'string' && actual.trim() !== '' ? Number(actual) : NaN;
  if (!Number.isNaN(e) && !Number.isNaN(a)) return Math.abs(e - a) <= tol * Math.max(1, Math.abs(e));
  return (typeof actual === 'string' || typeof actual === 'number' || typeof actual === 'boolean') && String(actual) === expected;
}
