/** Reads a whole PMML document: version check, dictionaries, and the first scorable model. */
import { BUILTIN_FUNCTIONS } from '../eval/functions.ts';
import { checkConstantArgs } from '../eval/functions-text.ts';
import { IGNORABLE, kids, only, reqAttr, reqKid } from './access.ts';
import { PmmlError, invalid, unsupported } from './errors.ts';
import { parseDataDictionary, parseTransformations } from './parse-fields.ts';
import { MODEL_ELEMENTS, parseModel } from './parse-models.ts';
import { EXPRESSION_ELEMENTS, dataTypeAttr, findExpression, parseExpression } from './parse-expression.ts';
import type { DataType, DefinedFunction, PmmlDocument } from './types.ts';
import type { XmlElement } from './xml.ts';
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
  const dataFields = parseDataDictionary(reqKid(root, 'DataDictionary'));
  const derived = td.flatMap(parseTransformations);
  const functions = td.flatMap((t) => kids(t, 'DefineFunction')).map(parseDefineFunction);
  // PMML allows several models; scoring uses the first, as JPMML does by default.
  const model = root.children.find((c) => MODEL_ELEMENTS.has(c.name));
  if (!model) throw invalid(root, 'no model element');
  const doc: PmmlDocument = { version, dataFields, derived, functions, model: parseModel(model) };
  checkFunctions(doc);
  return doc;
}

function parseDefineFunction(el: XmlElement): DefinedFunction {
  only(el, ['ParameterField', ...EXPRESSION_ELEMENTS]);
  const e = findExpression(el);
  if (!e) throw invalid(el, 'an expression is required');
  return {
    name: reqAttr(el, 'name'),
    params: kids(el, 'ParameterField').map((p) => ({ name: reqAttr(p, 'name'), ...opt(dataTypeAttr(p)) })),
    ...opt(dataTypeAttr(el)),
    expr: parseExpression(e),
  };
}

function opt(dataType: DataType | undefined): { dataType?: DataType } {
  return dataType === undefined ? {} : { dataType };
}

/** Every Apply names a built-in or a DefineFunction; found by a structural walk of the document. */
function checkFunctions(doc: PmmlDocument): void {
  const defined = new Set(doc.functions.map((f) => f.name));
  const visit = (v: unknown): void => {
    if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v)) return;
    if (Array.isArray(v)) return v.forEach(visit);
    if (v instanceof Map) return [...v.values()].forEach(visit);
    const rec = v as Record<string, unknown>;
    if (rec['kind'] === 'apply' && typeof rec['fn'] === 'string' && !BUILTIN_FUNCTIONS.has(rec['fn']) && !defined.has(rec['fn'])) {
      throw new PmmlError(`unsupported PMML element <Apply> at line ${String(rec['line'])} (function "${rec['fn']}" is neither a PMML built-in we evaluate nor a DefineFunction)`);
    }
    if (rec['kind'] === 'apply' && typeof rec['fn'] === 'string' && !defined.has(rec['fn']) && Array.isArray(rec['args'])) {
      const constants = (rec['args'] as { kind?: string; value?: string | null }[]).map((a) => (a.kind === 'constant' ? (a.value ?? null) : null));
      const problem = checkConstantArgs(rec['fn'], constants);
      if (problem !== undefined) throw new PmmlError(`unsupported PMML element <Apply> at line ${String(rec['line'])} (function "${rec['fn']}": ${problem})`);
    }
    Object.values(rec).forEach(visit);
  };
  visit(doc);
}
