/**
 * MiningSchema input preparation, per active field: convert to the DataField's type, decide
 * valid / invalid / missing (DataField Values and Intervals), then apply the MiningField's
 * treatments: missingValueReplacement, invalidValueTreatment, outliers.
 */
import { invalidInput } from '../../../core/errors.ts';
import type { DataField, MiningField, Value } from '../doc/types.ts';
import { inInterval } from './expression.ts';
import { convert, sameValue } from './values.ts';

type Status = 'valid' | 'invalid' | 'missing';

const NUMERIC = new Set(['double', 'float', 'integer']);

/**
 * Missing before any conversion: null, a NaN number, an empty string in a non-string field, and
 * the string "NaN" in a numeric field (the repo's JSON spelling of a missing number, README
 * "Missing values"), besides the DataField's own missing Values.
 */
function isMissing(raw: Value, field: DataField): boolean {
  if (raw === null || (typeof raw === 'number' && Number.isNaN(raw))) return true;
  if (typeof raw === 'string' && field.dataType !== 'string') {
    const t = raw.trim();
    if (t === '' || (t === 'NaN' && NUMERIC.has(field.dataType))) return true;
  }
  return field.missingValues.some((m) => sameValue(raw, m) || String(raw) === m);
}

function classify(raw: Value, field: DataField): { status: Status; value: Value } {
  if (isMissing(raw, field)) return { status: 'missing', value: null };
  const v = convert(raw, field.dataType);
  if (v === undefined || v === null) return { status: 'invalid', value: raw };
  if (field.invalidValues.some((m) => sameValue(v, m))) return { status: 'invalid', value: v };
  if (field.optype !== 'continuous' && field.validValues.length > 0) {
    return { status: field.validValues.some((m) => sameValue(v, m)) ? 'valid' : 'invalid', value: v };
  }
  if (field.optype === 'continuous' && field.intervals.length > 0 && typeof v === 'number') {
    return { status: field.intervals.some((iv) => inInterval(v, iv)) ? 'valid' : 'invalid', value: v };
  }
  return { status: 'valid', value: v };
}

/** The MiningField's missingValueReplacement, converted to the field's type, else missing. */
function replacement(field: DataField, mf: MiningField): Value {
  return mf.missingValueReplacement === undefined ? null : (convert(mf.missingValueReplacement, field.dataType) ?? null);
}

/**
 * A prepared value for one mining field; throws INVALID_INPUT for returnInvalid. Order as PMML
 * 4.4's MiningSchema: classify, then invalidValueTreatment (asMissing makes it missing), then
 * outliers on valid numbers (asMissingValues makes it missing too), and every missing value,
 * however it came to be, takes missingValueReplacement. E.g. lowValue=0, highValue=10,
 * missingValueReplacement=5: 12 → 5 under asMissingValues, → 10 under asExtremeValues.
 */
export function prepareValue(raw: Value, field: DataField, mf: MiningField): Value {
  let { status, value } = classify(raw, field);
  if (status === 'invalid') {
    switch (mf.invalidValueTreatment) {
      case 'returnInvalid':
        throw invalidInput(field.name, raw, describeValid(field));
      case 'asIs':
        status = 'valid';
        break;
      case 'asMissing':
        status = 'missing';
        value = null;
        break;
      case 'asValue':
        return convert(mf.invalidValueReplacement ?? null, field.dataType) ?? null;
    }
  }
  if (status === 'missing') return replacement(field, mf);
  if (typeof value === 'number' && mf.outliers !== 'asIs') {
    const low = mf.lowValue ?? -Infinity;
    const high = mf.highValue ?? Infinity;
    if (value < low || value > high) return mf.outliers === 'asMissingValues' ? replacement(field, mf) : value < low ? low : high;
  }
  return value;
}

export function describeValid(field: DataField): string {
  if (field.optype !== 'continuous' && field.validValues.length > 0) return `one of ${field.validValues.map((v) => JSON.stringify(v)).join(', ')}`;
  const ivs = field.intervals.map((iv) => `${iv.closure.startsWith('closed') ? '[' : '('}${iv.left}, ${iv.right}${iv.closure.endsWith('Closed') ? ']' : ')'}`);
  const kind = field.dataType === 'string' ? 'a string' : field.dataType === 'boolean' ? 'a boolean' : `a number (${field.dataType})`;
  return ivs.length > 0 ? `${kind} in ${ivs.join(' or ')}` : kind;
}
