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

function classify(raw: Value, field: DataField): { status: Status; value: Value } {
  if (raw === null || (typeof raw === 'number' && Number.isNaN(raw))) return { status: 'missing', value: null };
  if (typeof raw === 'string' && field.dataType !== 'string' && raw.trim() === '') return { status: 'missing', value: null };
  if (field.missingValues.some((m) => sameValue(raw, m) || String(raw) === m)) return { status: 'missing', value: null };
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

/** A prepared value for one mining field; throws INVALID_INPUT for returnInvalid. */
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
  if (status === 'missing') {
    return mf.missingValueReplacement === undefined ? null : (convert(mf.missingValueReplacement, field.dataType) ?? null);
  }
  if (typeof value === 'number' && mf.outliers !== 'asIs') {
    const low = mf.lowValue ?? -Infinity;
    const high = mf.highValue ?? Infinity;
    if (value < low || value > high) return mf.outliers === 'asMissingValues' ? null : value < low ? low : high;
  }
  return value;
}

export function describeValid(field: DataField): string {
  if (field.optype !== 'continuous' && field.validValues.length > 0) return `one of ${field.validValues.map((v) => JSON.stringify(v)).join(', ')}`;
  const ivs = field.intervals.map((iv) => `${iv.closure.startsWith('closed') ? '[' : '('}${iv.left}, ${iv.right}${iv.closure.endsWith('Closed') ? ']' : ')'}`);
  const kind = field.dataType === 'string' ? 'a string' : field.dataType === 'boolean' ? 'a boolean' : `a number (${field.dataType})`;
  return ivs.length > 0 ? `${kind} in ${ivs.join(' or ')}` : kind;
}
