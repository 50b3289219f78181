/**
 * Load-time check that every field a document reads is declared somewhere: in the
 * DataDictionary, as a DerivedField (global, local, or inside a BayesInput/NeuralInput), or as an
 * OutputField (modelChain segments read earlier segments' outputs). A typo in a FieldRef would
 * otherwise read as a missing value and give a silently wrong score.
 *
 * The walk is structural over the typed document: every string under a key `field` or
 * `predictor`, and every string in a `fields` list, is a reference.
 */
import { PmmlError } from '../doc/errors.ts';
import type { PmmlDocument } from '../doc/types.ts';

function walk(v: unknown, refs: Set<string>, decls: Set<string>, key = ''): void {
  if (typeof v === 'string') {
    if (key === 'field' || key === 'predictor' || key === 'fields') refs.add(v);
    return;
  }
  if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v)) return;
  if (Array.isArray(v)) {
    for (const x of v) walk(x, refs, decls, key);
    return;
  }
  if (v instanceof Map) {
    for (const x of v.values()) walk(x, refs, decls);
    return;
  }
  const rec = v as Record<string, unknown>;
  // Declarations: DataFields, DerivedFields and OutputFields all carry `name` plus a type or feature.
  if (typeof rec['name'] === 'string' && ('dataType' in rec || 'feature' in rec || 'expr' in rec)) decls.add(rec['name']);
  for (const [k, x] of Object.entries(rec)) walk(x, refs, decls, k);
}

/** Throws a PmmlError naming the first field that is read but never declared. */
export function checkReferences(doc: PmmlDocument): void {
  const refs = new Set<string>();
  const decls = new Set<string>();
  walk(doc, refs, decls);
  // A DefineFunction's body reads its ParameterFields.
  for (const f of doc.functions) for (const p of f.params) decls.add(p.name);
  for (const r of refs) {
    if (!decls.has(r)) throw new PmmlError(`field "${r}" is referenced but not declared (DataDictionary, DerivedField or OutputField)`);
  }
}
