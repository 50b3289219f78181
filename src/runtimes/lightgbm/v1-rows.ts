/**
 * KServe V1 rows for a LightGBM model → one FP64 [rows, features] tensor. lgbserver builds a
 * pandas DataFrame per instance with the booster's feature names as columns, so it takes:
 *
 * - a list of numbers: one row, positional (`[5.1, 3.5, 1.4, 0.2]`);
 * - a record keyed by feature name: `{"sepal_length_(cm)": 5.1, ...}` is one row; a record of
 *   lists, `{"sepal_length_(cm)": [5.1, 6.0], ...}` (iris_input_v3.json), is one row per element;
 * - a list of records (iris_input_v4.json: one single-key record per feature). pandas would make
 *   one row per record, each with one value; we merge them into one row, which is what the payload
 *   means (KServe's e2e test only checks that row 0 is class 0, true either way for that model).
 *
 * A feature left out is NaN (missing, as pandas fills it), so iris_input_v5.json works. Unlike
 * pandas, which drops unknown columns silently, an unknown feature name is INVALID_INPUT: a typo
 * would otherwise turn into a missing value and a plausible wrong answer. Values are numbers,
 * null (missing), or the strings "NaN", "Infinity", "-Infinity" (jsonFloat, numeric-input.ts).
 */
import { invalidInput } from '../../core/errors.ts';
import type { Tensor } from '../../protocol/tensor.ts';
import { jsonFloat as valueOf } from '../numeric-input.ts';

type Row = Float64Array;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Decodes rows against the model's feature names into `name` [rows, features] FP64. */
export function decodeLightgbmRows(instances: readonly unknown[], features: readonly string[], name: string): Tensor {
  const index = new Map(features.map((f, i) => [f, i]));
  const F = features.length;
  const rows: Row[] = [];
  instances.forEach((inst, i) => {
    const field = `instances[${i}]`;
    if (Array.isArray(inst) && inst.length > 0 && inst.every(isRecord)) {
      const row = new Float64Array(F).fill(Number.NaN);
      const seen = new Set<string>();
      inst.forEach((rec, j) => {
        for (const [k, v] of Object.entries(rec)) {
          if (seen.has(k)) throw invalidInput(`${field}[${j}].${k}`, k, 'each feature once per row');
          seen.add(k);
          row[column(index, k, `${field}[${j}]`, features)] = valueOf(v, `${field}[${j}].${k}`);
        }
      });
      rows.push(row);
    } else if (Array.isArray(inst)) {
      if (inst.length !== F) throw invalidInput(field, `${inst.length} values`, `${F} features (${features.join(', ')})`);
      rows.push(Float64Array.from(inst, (v, j) => valueOf(v, `${field}[${j}]`)));
    } else if (isRecord(inst)) {
      rows.push(...recordRows(inst, index, field, features));
    } else {
      throw invalidInput(field, inst, `a list of ${F} numbers or a record keyed by feature name`);
    }
  });
  const data = new Float64Array(rows.length * F);
  rows.forEach((r, i) => data.set(r, i * F));
  return { name, datatype: 'FP64', shape: [rows.length, F], data };
}

function column(index: ReadonlyMap<string, number>, key: string, field: string, features: readonly string[]): number {
  const c = index.get(key);
  if (c === undefined) throw invalidInput(`${field}.${key}`, key, `one of the model's features: ${features.join(', ')}`);
  return c;
}

/** A record of scalars (one row) or of equal-length lists (one row per element, pandas' column dict). */
function recordRows(rec: Record<string, unknown>, index: ReadonlyMap<string, number>, field: string, features: readonly string[]): Row[] {
  const entries = Object.entries(rec);
  const lists = entries.filter(([, v]) => Array.isArray(v)).length;
  if (lists > 0 && lists !== entries.length) {
    throw invalidInput(field, rec, 'a record whose values are all numbers (one row) or all lists of one length (one row each)');
  }
  const n = lists > 0 ? (entries[0]![1] as unknown[]).length : 1;
  const out = Array.from({ length: n }, () => new Float64Array(features.length).fill(Number.NaN));
  for (const [k, v] of entries) {
    const c = column(index, k, field, features);
    const values = lists > 0 ? (v as unknown[]) : [v];
    if (values.length !== n) throw invalidInput(`${field}.${k}`, `${values.length} values`, `${n}, as many as the other features`);
    values.forEach((x, r) => (out[r]![c] = valueOf(x, lists > 0 ? `${field}.${k}[${r}]` : `${field}.${k}`)));
  }
  return out;
}
