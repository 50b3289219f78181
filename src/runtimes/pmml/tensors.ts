/**
 * Between OIP tensors and PMML rows. Inputs: KServe's `input-0` of shape [N, k] (k = number of
 * active MiningFields, in MiningSchema order) in any numeric datatype or BYTES, or one tensor per
 * active field named after it, shape [N] or [N, 1] (what decodeV1Instances makes of records); a list
 * field (an AssociationModel's items) may be [N, m], each row's non-empty cells being its items.
 * NaN and empty strings are missing values (V1's JSON null becomes one of them). Outputs: one tensor per result column, shape [N]:
 * BYTES for string fields (missing → empty string), FP64 for numbers (missing → NaN), BOOL for
 * booleans.
 */
import { invalidInput, invalidRequest } from '../../core/errors.ts';
import type { Tensor } from '../../protocol/tensor.ts';
import { makeTensor } from '../../protocol/tensor.ts';
import type { Value } from './doc/types.ts';
import type { ResultColumn } from './eval/evaluator.ts';

/** The name of KServe's single input. */
export const INPUT_NAME = 'input-0';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

function element(t: Tensor, i: number): Value {
  const d = t.data;
  if (Array.isArray(d)) {
    const bytes = d[i] as Uint8Array;
    try {
      const text = utf8.decode(bytes);
      return text === '' ? null : text;
    } catch {
      throw invalidInput(`input ${t.name}[${i}]`, 'bytes that are not UTF-8', 'UTF-8 text');
    }
  }
  const v = d[i];
  if (typeof v === 'bigint') return Number(v);
  if (t.datatype === 'BOOL') return v === 1;
  return v === undefined || Number.isNaN(v) ? null : v;
}

/** Rows as column readers: `rows[r](field)` gives the raw value of an active field. */
export function tensorsToRows(inputs: readonly Tensor[], fields: readonly string[], listFields: readonly string[] = []): ((field: string) => Value | Value[])[] {
  const first = inputs[0];
  if (!first) throw invalidRequest(`inputs: none given; the model needs ${INPUT_NAME} with shape [-1, ${fields.length}] (${fields.join(', ')})`);
  if (inputs.length === 1 && (first.name === INPUT_NAME || !fields.includes(first.name))) {
    const k = fields.length;
    const shape = first.shape;
    const n = shape.length === 2 ? (shape[0] as number) : shape.length === 1 && k === 1 ? (shape[0] as number) : -1;
    if (n < 0 || (shape.length === 2 && shape[1] !== k)) {
      throw invalidInput(`input ${first.name}.shape`, shape, `[N, ${k}]: one column per active field (${fields.join(', ')})`);
    }
    const col = new Map(fields.map((f, j) => [f, j]));
    return Array.from({ length: n }, (_, r) => (f: string) => element(first, r * k + (col.get(f) ?? 0)));
  }
  const byField = new Map<string, Tensor>();
  let n = -1;
  for (const t of inputs) {
    if (!fields.includes(t.name)) throw invalidInput(`input ${t.name}`, t.name, `${INPUT_NAME} or one of the active fields: ${fields.join(', ')}`);
    const rows = t.shape[0] ?? 1;
    const listOk = listFields.includes(t.name);
    if ((t.shape.length === 2 && t.shape[1] !== 1 && !listOk) || t.shape.length > 2) {
      throw invalidInput(`input ${t.name}.shape`, t.shape, listOk ? '[N] or [N, items]' : '[N] or [N, 1]');
    }
    if (n >= 0 && rows !== n) throw invalidInput(`input ${t.name}.shape[0]`, rows, `${n}, as the other inputs`);
    n = rows;
    byField.set(t.name, t);
  }
  return Array.from({ length: n }, (_, r) => (f: string) => {
    const t = byField.get(f);
    if (!t) return null;
    if (!listFields.includes(f)) return element(t, r);
    // A list field's row is its m cells; empty ones pad shorter lists.
    const m = t.shape.length === 2 ? (t.shape[1] as number) : 1;
    return Array.from({ length: m }, (_, j) => element(t, r * m + j)).filter((v) => v !== null);
  });
}

/** One output tensor per result column, each of shape [N]. */
export function recordsToTensors(records: readonly Record<string, Value>[], columns: readonly ResultColumn[]): Tensor[] {
  const n = records.length;
  return columns.map((c) => {
    if (c.dataType === 'string') {
      const data = records.map((r) => {
        const v = r[c.name];
        return encoder.encode(v === null || v === undefined ? '' : String(v));
      });
      return makeTensor(c.name, 'BYTES', [n], data);
    }
    if (c.dataType === 'boolean') {
      return makeTensor(c.name, 'BOOL', [n], Uint8Array.from(records, (r) => (r[c.name] === true ? 1 : 0)));
    }
    const data = Float64Array.from(records, (r) => {
      const v = r[c.name];
      return typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : typeof v === 'string' ? Number(v) : NaN;
    });
    return makeTensor(c.name, 'FP64', [n], data);
  });
}
