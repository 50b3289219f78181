/** Reads SupportVectorMachineModel: kernel, VectorDictionary (dense or sparse), machines. */
import { arrayTokens, boolAttr, enumAttr, kid, kids, numAttr, only, optAttr, parseNumber, reqAttr, reqKid, presentAttrs, presentNumAttrs } from './access.ts';
import { invalid, unsupported } from './errors.ts';
import type { ModelBase, SupportVectorMachine, SupportVectorMachineModel, SvmKernel } from './types.ts';
import type { XmlElement } from './xml.ts';

const KERNELS = ['LinearKernelType', 'PolynomialKernelType', 'RadialBasisKernelType', 'SigmoidKernelType'];
export const SVM_CHILDREN = [...KERNELS, 'VectorDictionary', 'SupportVectorMachine'];

function kernel(el: XmlElement): SvmKernel {
  const k = el.children.find((c) => KERNELS.includes(c.name));
  if (!k) throw invalid(el, 'a kernel type element is required');
  const gamma = numAttr(k, 'gamma', 1);
  const coef0 = numAttr(k, 'coef0', 1);
  switch (k.name) {
    case 'LinearKernelType': return { kind: 'linear' };
    case 'PolynomialKernelType': return { kind: 'polynomial', gamma, coef0, degree: numAttr(k, 'degree', 1) };
    case 'RadialBasisKernelType': return { kind: 'radialBasis', gamma };
    default: return { kind: 'sigmoid', gamma, coef0 };
  }
}

/** A VectorInstance as a dense vector: `Array` or `REAL-SparseArray` (1-based Indices). */
function vector(el: XmlElement, n: number): Float64Array {
  const out = new Float64Array(n);
  const dense = kid(el, 'Array');
  const sparse = kid(el, 'REAL-SparseArray');
  if (dense) {
    const xs = arrayTokens(dense).map((t) => parseNumber(dense, 'Array', t));
    if (xs.length !== n) throw invalid(dense, `${xs.length} values for ${n} vector fields`);
    out.set(xs);
  } else if (sparse) {
    const idx = arrayTokens(kid(sparse, 'Indices') ?? sparse).map((t) => parseNumber(sparse, 'Indices', t));
    const vals = arrayTokens(kid(sparse, 'REAL-Entries') ?? sparse).map((t) => parseNumber(sparse, 'REAL-Entries', t));
    if (kid(sparse, 'Indices') === undefined) return out;
    if (idx.length !== vals.length) throw invalid(sparse, 'Indices and REAL-Entries differ in length');
    idx.forEach((i, j) => {
      if (!Number.isInteger(i) || i < 1 || i > n) throw invalid(sparse, `index ${i} is outside 1..${n}`);
      out[i - 1] = vals[j] as number;
    });
  } else {
    throw unsupported(el.children[0] ?? el, 'vector representation');
  }
  return out;
}

export function parseSvm(el: XmlElement, base: ModelBase): SupportVectorMachineModel {
  if (optAttr(el, 'svmRepresentation') === 'Coefficients') throw unsupported(el, 'svmRepresentation="Coefficients"');
  const dict = reqKid(el, 'VectorDictionary');
  const vf = reqKid(dict, 'VectorFields');
  const fields = vf.children.filter((c) => c.name !== 'Extension').map((c) => {
    if (c.name !== 'FieldRef') throw unsupported(c, 'inside VectorFields');
    return reqAttr(c, 'field');
  });
  const instances = new Map(kids(dict, 'VectorInstance').map((v) => [reqAttr(v, 'id'), vector(v, fields.length)]));
  const machines = kids(el, 'SupportVectorMachine').map((m): SupportVectorMachine => {
    only(m, ['SupportVectors', 'Coefficients']);
    const ids = kids(kid(m, 'SupportVectors') ?? m, 'SupportVector').map((s) => reqAttr(s, 'vectorId'));
    const coefs = reqKid(m, 'Coefficients');
    const alphas = kids(coefs, 'Coefficient').map((c) => numAttr(c, 'value', 0));
    if (alphas.length !== ids.length) throw invalid(coefs, `${alphas.length} coefficients for ${ids.length} support vectors`);
    const vectors = ids.map((id, i) => {
      const x = instances.get(id);
      if (!x) throw invalid(m, `vectorId ${id} is not in the VectorDictionary`);
      return { x, alpha: alphas[i] as number };
    });
    return { vectors, intercept: numAttr(coefs, 'absoluteValue', 0), ...presentAttrs(m, ['targetCategory', 'alternateTargetCategory']), ...presentNumAttrs(m, ['threshold']) };
  });
  if (machines.length === 0) throw invalid(el, 'at least one SupportVectorMachine is required');
  return {
    ...base, kind: 'svm', kernel: kernel(el), fields, machines,
    method: enumAttr(el, 'classificationMethod', ['OneAgainstAll', 'OneAgainstOne'] as const, 'OneAgainstAll'),
    threshold: numAttr(el, 'threshold', 0), maxWins: boolAttr(el, 'maxWins', false),
  };
}
