/** Reads a whole PMML document: version check, dictionaries, and the first scorable model. */
import { IGNORABLE, kids, reqAttr, reqKid } from './access.ts';
import { PmmlError, invalid, unsupported } from './errors.ts';
import { parseDataDictionary, parseTransformations } from './parse-fields.ts';
import { MODEL_ELEMENTS, parseModel } from './parse-models.ts';
import type { PmmlDocument } from './types.ts';
import { parseXml } from './xml.ts';

/** PMML versions whose schema this reader follows (3.x documents differ in too many places). */
const VERSIONS = /^4\.[0-4](\.\d+)?$/;

export function parsePmml(text: string): PmmlDocument {
  const root = parseXml(text);
  if (root.name !== 'PMML') throw new PmmlError(`the root element is <${root.name}> at line ${root.line}, expected <PMML>`);
  const version = reqAttr(root, 'version');
  if (!VERSIONS.test(version)) throw invalid(root, `version="${version}" is not supported (PMML 4.0 to 4.4 are)`);
  for (const c of root.children) {
    if (c.name === 'DataDictionary' || c.name === 'TransformationDictionary' || MODEL_ELEMENTS.has(c.name) || IGNORABLE.has(c.name)) continue;
    throw unsupported(c, 'inside <PMML>');
  }
  const td = kids(root, 'TransformationDictionary');
  for (const t of td) {
    const fn = t.children.find((c) => c.name === 'DefineFunction');
    if (fn) throw unsupported(fn, 'user-defined functions');
  }
  const dataFields = parseDataDictionary(reqKid(root, 'DataDictionary'));
  const derived = td.flatMap(parseTransformations);
  // PMML allows several models; scoring uses the first, as JPMML does by default.
  const model = root.children.find((c) => MODEL_ELEMENTS.has(c.name));
  if (!model) throw invalid(root, 'no model element');
  return { version, dataFields, derived, model: parseModel(model) };
}
