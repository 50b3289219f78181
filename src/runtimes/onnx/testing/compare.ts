/**
 * Compares model outputs with expected tensors the way the ONNX backend test suite does
 * (numpy's assert_allclose): floating point values pass when
 * |expected − actual| <= atol + rtol·|expected| (rtol 1e-3, atol 1e-7 by default), NaN equals NaN,
 * and an infinite expectation needs exactly that infinity (under the bare formula rtol·∞ would
 * accept any value); integers, BOOL and BYTES must be equal. Datatype and shape must match exactly.
 *
 * Worked example with the defaults: expected 2.0, actual 2.0019 → |diff| 0.0019 <= 1e-7 + 0.002,
 * pass; actual 2.0021 → 0.0021 > 0.0020001, fail.
 *
 * Transport-agnostic: give it tensors decoded from any transport (REST JSON, binary, gRPC).
 */
import { halfToNumber } from '../../../protocol/fp16.ts';
import type { Tensor } from '../../../protocol/tensor.ts';

export interface Tolerance {
  rtol: number;
  atol: number;
}

/** The ONNX backend test defaults. */
export const DEFAULT_TOLERANCE: Readonly<Tolerance> = Object.freeze({ rtol: 1e-3, atol: 1e-7 });

const MAX_REPORTED = 5;

function numbersOf(t: Tensor): ArrayLike<number> | undefined {
  if (t.datatype === 'FP32' || t.datatype === 'FP64') return t.data as Float32Array | Float64Array;
  if (t.datatype === 'FP16') return Array.from(t.data as Uint16Array, halfToNumber);
  return undefined;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

function show(v: unknown): string {
  if (v instanceof Uint8Array) return JSON.stringify(new TextDecoder().decode(v));
  return String(v);
}

/**
 * Compares one tensor with its expected value.
 * @returns undefined when they match, otherwise a message naming the tensor and the first
 *   mismatching elements.
 */
export function compareTensor(expected: Tensor, actual: Tensor, tol: Tolerance = DEFAULT_TOLERANCE): string | undefined {
  const name = expected.name || actual.name;
  if (expected.datatype !== actual.datatype) return `${name}: datatype ${actual.datatype}, expected ${expected.datatype}`;
  if (expected.shape.length !== actual.shape.length || expected.shape.some((d, i) => d !== actual.shape[i])) {
    return `${name}: shape ${JSON.stringify(actual.shape)}, expected ${JSON.stringify(expected.shape)}`;
  }
  if (expected.data.length !== actual.data.length) return `${name}: ${actual.data.length} elements, expected ${expected.data.length}`;
  const bad: string[] = [];
  let count = 0;
  const note = (i: number, e: unknown, a: unknown): void => {
    count++;
    if (bad.length < MAX_REPORTED) bad.push(`[${i}] ${show(a)} (expected ${show(e)})`);
  };
  const en = numbersOf(expected);
  if (en) {
    const an = numbersOf(actual)!;
    for (let i = 0; i < en.length; i++) {
      const e = en[i]!;
      const a = an[i]!;
      if (Number.isNaN(e) ? Number.isNaN(a) : e === a || (Number.isFinite(e) && Math.abs(e - a) <= tol.atol + tol.rtol * Math.abs(e))) continue;
      note(i, e, a);
    }
  } else if (expected.datatype === 'BYTES') {
    const e = expected.data as Uint8Array[];
    const a = actual.data as Uint8Array[];
    for (let i = 0; i < e.length; i++) if (!bytesEqual(e[i]!, a[i]!)) note(i, e[i], a[i]);
  } else {
    const e = expected.data as ArrayLike<number | bigint>;
    const a = actual.data as ArrayLike<number | bigint>;
    for (let i = 0; i < e.length; i++) if (e[i] !== a[i]) note(i, e[i], a[i]);
  }
  if (count === 0) return undefined;
  return `${name}: ${count} of ${en?.length ?? expected.data.length} elements differ (rtol ${tol.rtol}, atol ${tol.atol}): ${bad.join(', ')}${count > bad.length ? ', …' : ''}`;
}

/**
 * Compares a model's outputs with the expected ones. Expected tensors are matched to actual ones
 * by name, or by position when the expected tensor has no name. Extra actual outputs are ignored.
 * @returns one message per problem; empty when everything matches.
 */
export function compareOutputs(expected: readonly Tensor[], actual: readonly Tensor[], tol: Tolerance = DEFAULT_TOLERANCE): string[] {
  const byName = new Map(actual.map((t) => [t.name, t]));
  const problems: string[] = [];
  expected.forEach((e, i) => {
    const a = e.name ? byName.get(e.name) : actual[i];
    if (!a) {
      problems.push(`output ${e.name ? JSON.stringify(e.name) : `#${i}`} is missing; got ${actual.map((t) => JSON.stringify(t.name)).join(', ') || 'no outputs'}`);
      return;
    }
    const p = compareTensor(e, a, tol);
    if (p !== undefined) problems.push(p);
  });
  return problems;
}
