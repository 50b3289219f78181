/**
 * V1 rows → input tensors (the Model's decodeV1Instances hook). A row is a list of values in
 * MiningSchema order (`[5.1, 3.5, 1.4, 0.2]`) or a record keyed by active field name
 * (`{"Sepal_Length": 5.1, ...}`); absent keys and nulls are missing values, unknown keys are
 * refused by name. One tensor per active field: FP64 when every value is a number (missing →
 * NaN), else BYTES (numbers as their decimal text, missing → empty string).
 */
import { invalidInput } from '../../core/errors.ts';
import type { Tensor } from '../../protocol/tensor.ts';
import { makeTensor } from '../../protocol/tensor.ts';

type Scalar = number | string | boolean | null;
type Cell = Scalar | Scalar[];

function scalar(v: unknown, where: string): Scalar {
  if (v === null || v === undefined || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v ?? null;
  throw invalidInput(where, v, 'a number, string, boolean or null');
}

export function decodeRecords(instances: readonly unknown[], fields: readonly string[], listFields: readonly string[] = []): Tensor[] {
  const known = new Set(fields);
  // List fields (an AssociationModel's items) take a list per row, or a single value.
  const cell = (v: unknown, where: string, field: string): Cell =>
    Array.isArray(v) && listFields.includes(field) ? v.map((x, i) => scalar(x, `${where}[${i}]`)) : scalar(v, where);
  const columns: Cell[][] = fields.map(() => []);
  instances.forEach((row, r) => {
    if (Array.isArray(row)) {
      if (row.length !== fields.length) {
        throw invalidInput(`instances[${r}]`, `a list of ${row.length}`, `${fields.length} values, one per active field (${fields.join(', ')})`);
      }
      row.forEach((v, j) => columns[j]?.push(cell(v, `instances[${r}][${j}] (${fields[j] ?? ''})`, fields[j] ?? '')));
      return;
    }
    if (typeof row !== 'object' || row === null) {
      throw invalidInput(`instances[${r}]`, row, 'a list of values or a record keyed by field name');
    }
    const rec = row as Record<string, unknown>;
    for (const key of Object.keys(rec)) {
      if (!known.has(key)) throw invalidInput(`instances[${r}].${key}`, key, `one of the model's active fields: ${fields.join(', ')}`);
    }
    fields.forEach((f, j) => columns[j]?.push(cell(rec[f], `instances[${r}].${f}`, f)));
  });
  const enc = new TextEncoder();
  return fields.map((f, j) => {
    const col = columns[j] ?? [];
    if (col.some((v) => Array.isArray(v))) {
      // [N, m] BYTES, shorter lists padded with empty strings (read back as missing).
      const lists = col.map((v) => (Array.isArray(v) ? v : [v]));
      const m = Math.max(1, ...lists.map((l) => l.length));
      const data = lists.flatMap((l) => Array.from({ length: m }, (_, i) => enc.encode(l[i] === null || l[i] === undefined ? '' : String(l[i]))));
      return makeTensor(f, 'BYTES', [col.length, m], data);
    }
    if (col.every((v) => v === null || typeof v === 'number')) {
      return makeTensor(f, 'FP64', [col.length], Float64Array.from(col, (v) => (v === null ? NaN : (v))));
    }
    return makeTensor(f, 'BYTES', [col.length], col.map((v) => enc.encode(v === null ? '' : String(v))));
  });
}
