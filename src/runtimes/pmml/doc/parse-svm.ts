/** Reads SupportVectorMachineModel: kernel, VectorDictionary (dense or sparse), machines. */
import { arrayTokens, boolAttr, enumAttr, kid, kids, numAttr, only, parseNumber, reqAttr, reqKid, presentAttrs, presentNumAttrs } from './access.ts';
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

/**
 * svmRepresentation="Coefficients" (PMML 4.4 SVM): a linear machine given by one Coefficient per
 * VectorField, f(x) = absoluteValue + Σ c_i·x_i. It is kept as a single "support vector" w = c
 * with α = 1, so the linear kernel's x·w gives the same f: c = (2, -1), b = 0.5, x = (3, 4) →
 * 0.5 + 6 − 4 = 2.5.
 */
function linearMachine(m: XmlElement, n: number): SupportVectorMachine {
  if (kid(m, 'SupportVectors')) throw invalid(m, 'SupportVectors given with svmRepresentation="Coefficients"');
  const coefs = reqKid(m, 'Coefficients');
  const w = Float64Array.from(kids(coefs, 'Coefficient').map((c) => numAttr(c, 'value', 0)));
  if (w.length !== n) throw invalid(coefs, `${w.length} coefficients for ${n} vector fields`);
  return { vectors: [{ x: w, alpha: 1 }], intercept: numAttr(coefs, 'absoluteValue', 0), ...presentAttrs(m, ['targetCategory', 'alternateTargetCategory']), ...presentNumAttrs(m, ['threshold']) };
}

export function parseSvm(el: XmlElement, base: ModelBase): SupportVectorMachineModel {
  const dict = reqKid(el, 'VectorDictionary');
  const vf = reqKid(dict, 'VectorFields');
  const fields = vf.children.filter((c) => c.name !== 'Extension').map((c) => {
    if (c.name !== 'FieldRef') throw unsupported(c, 'inside VectorFields');
    return reqAttr(c, 'field');
  });
  const instances = new Map(kids(dict, 'VectorInstance').map((v) => [reqAttr(v, 'id'), vector(v, fields.length)]));
  const coefficientForm = enumAttr(el, 'svmRepresentation', ['SupportVectors', 'Coefficients'] as const, 'SupportVectors') === 'Coefficients';
  const kern = kernel(el);
  if (coefficientForm && kern.kind !== 'linear') throw unsupported(el, `svmRepresentation="Coefficients" with a ${kern.kind} kernel (only a linear SVM has a coefficient form)`);
  const machines = kids(el, 'SupportVectorMachine').map((m): SupportVectorMachine => {
    only(m, ['SupportVectors', 'Coefficients']);
    if (coefficientForm) return linearMachine(m, fields.length);
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
    ...base, kind: 'svm', kernel: kern, fields, machines,
    method: enumAttr(el, 'classificationMethod', ['OneAgainstAll', 'OneAgainstOne'] as const, 'OneAgainstAll'),
    threshold: numAttr(el, 'threshold', 0), maxWins: boolAttr(el, 'maxWins', false),
  };
}
