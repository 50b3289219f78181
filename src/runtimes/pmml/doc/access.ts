/**
 * Typed accessors over XmlElement: required/optional attributes, numbers, enums and children.
 * Every failure names the element and its line.
 */
import { invalid, unsupported } from './errors.ts';
import type { ScoreDistribution } from './types.ts';
import type { XmlElement } from './xml.ts';

export function optAttr(el: XmlElement, name: string): string | undefined {
  return el.attrs[name];
}

export function reqAttr(el: XmlElement, name: string): string {
  const v = el.attrs[name];
  if (v === undefined) throw invalid(el, `attribute ${name} is required`);
  return v;
}

/** PMML numbers are xs:double: also INF, -INF and NaN. */
export function parseNumber(el: XmlElement, name: string, text: string): number {
  const t = text.trim();
  const n = t === 'INF' ? Infinity : t === '-INF' ? -Infinity : t === 'NaN' ? NaN : Number(t);
  if (t === '' || (Number.isNaN(n) && t !== 'NaN')) throw invalid(el, `${name}="${text}" is not a number`);
  return n;
}

export function numAttr(el: XmlElement, name: string, fallback?: number): number {
  const v = el.attrs[name];
  if (v === undefined) {
    if (fallback === undefined) throw invalid(el, `attribute ${name} is required`);
    return fallback;
  }
  return parseNumber(el, name, v);
}

export function optNumAttr(el: XmlElement, name: string): number | undefined {
  const v = el.attrs[name];
  return v === undefined ? undefined : parseNumber(el, name, v);
}

export function boolAttr(el: XmlElement, name: string, fallback: boolean): boolean {
  const v = el.attrs[name];
  if (v === undefined) return fallback;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw invalid(el, `${name}="${v}" is not a boolean`);
}

/** An attribute restricted to a closed set; a value outside it is invalid PMML. */
export function enumAttr<T extends string>(el: XmlElement, name: string, allowed: readonly T[], fallback: T): T {
  const v = el.attrs[name];
  if (v === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(v)) throw invalid(el, `${name}="${v}" is not one of ${allowed.join(', ')}`);
  return v as T;
}

export function kids(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}

export function kid(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name);
}

export function reqKid(el: XmlElement, name: string): XmlElement {
  const c = kid(el, name);
  if (!c) throw invalid(el, `child <${name}> is required`);
  return c;
}

/** Elements that never change a score: skipped wherever they appear. */
export const IGNORABLE = new Set(['Extension', 'Header', 'MiningBuildTask', 'ModelStats', 'ModelExplanation', 'ModelVerification', 'Annotation', 'Timestamp', 'Application']);

/**
 * PMML Array content: space-separated tokens, strings may be double-quoted with \" escapes.
 * Example: `"a b" c` → ["a b", "c"].
 */
export function arrayTokens(el: XmlElement): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (const m of el.text.matchAll(re)) {
    out.push(m[1] !== undefined ? m[1].replace(/\\"/g, '"') : (m[2] ?? ''));
  }
  return out;
}

/** Refuses any child outside `allowed` (documentation elements aside), naming it and its line. */
export function only(el: XmlElement, allowed: readonly string[]): void {
  for (const c of el.children) {
    if (!allowed.includes(c.name) && !IGNORABLE.has(c.name)) throw unsupported(c, `inside <${el.name}>`);
  }
}

/**
 * The attributes among `names` that are present, as an object to spread into a typed record
 * (`exactOptionalPropertyTypes` forbids writing `undefined`).
 * Example: `<Node id="2" score="a">` with ['id', 'score', 'defaultChild'] → { id: '2', score: 'a' }.
 */
export function presentAttrs<S extends string>(el: XmlElement, names: readonly S[]): Partial<Record<S, string>> {
  const out: Partial<Record<S, string>> = {};
  for (const n of names) {
    const v = el.attrs[n];
    if (v !== undefined) out[n] = v;
  }
  return out;
}

/** As presentAttrs, parsed as numbers. */
export function presentNumAttrs<S extends string>(el: XmlElement, names: readonly S[]): Partial<Record<S, number>> {
  const out: Partial<Record<S, number>> = {};
  for (const n of names) if (el.attrs[n] !== undefined) out[n] = numAttr(el, n);
  return out;
}

/** The ScoreDistribution children of a Node or SimpleRule. */
export function parseDistribution(el: XmlElement): ScoreDistribution[] {
  return kids(el, 'ScoreDistribution').map((d) => ({ value: reqAttr(d, 'value'), recordCount: numAttr(d, 'recordCount'), ...presentNumAttrs(d, ['probability', 'confidence']) }));
}
