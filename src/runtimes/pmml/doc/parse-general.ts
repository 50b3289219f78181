/** Reads GeneralRegressionModel (PMML 4.4 §GeneralRegression) for the model types we evaluate. */
import { enumAttr, kid, kids, numAttr, only, optAttr, optNumAttr, reqAttr } from './access.ts';
import { invalid, unsupported } from './errors.ts';
import type { GeneralRegressionModel, GlmLink, ModelBase } from './types.ts';
import type { XmlElement } from './xml.ts';

const LINKS: readonly GlmLink[] = ['identity', 'log', 'logit', 'probit', 'cloglog', 'loglog', 'cauchit', 'power', 'oddspower', 'logc', 'negbin'];
const TYPES = ['regression', 'generalLinear', 'generalizedLinear', 'multinomialLogistic', 'ordinalMultinomial', 'CoxRegression'] as const;

export const GENERAL_CHILDREN = ['ParameterList', 'FactorList', 'CovariateList', 'PPMatrix', 'PCovMatrix', 'ParamMatrix', 'EventValues', 'BaseCumHazardTables'];

export function parseGeneral(el: XmlElement, base: ModelBase): GeneralRegressionModel {
  const modelType = enumAttr(el, 'modelType', TYPES, 'regression');
  if (optAttr(el, 'modelType') === undefined) throw invalid(el, 'attribute modelType is required');
  if (modelType === 'ordinalMultinomial' || modelType === 'CoxRegression') throw unsupported(el, `modelType="${modelType}"`);
  if (optAttr(el, 'offsetVariable') !== undefined || optAttr(el, 'trialsVariable') !== undefined || optAttr(el, 'trialsValue') !== undefined) {
    throw unsupported(el, 'offsetVariable/trialsVariable/trialsValue');
  }
  const link = modelType === 'generalizedLinear' ? enumAttr(el, 'linkFunction', LINKS, 'identity') : 'identity';
  if (link === 'oddspower' || link === 'negbin' || link === 'logc') throw unsupported(el, `linkFunction="${link}"`);
  const factors = new Set(kids(kid(el, 'FactorList') ?? el, 'Predictor').map((p) => {
    if (p.children.some((c) => c.name === 'Categories' || c.name === 'Matrix') || optAttr(p, 'contrastMatrixType') !== undefined) {
      throw unsupported(p, 'contrast matrices');
    }
    return reqAttr(p, 'name');
  }));
  const parameters = kids(kid(el, 'ParameterList') ?? el, 'Parameter').map((p) => reqAttr(p, 'name'));
  const cells: GeneralRegressionModel['cells'] = new Map();
  const pp = kid(el, 'PPMatrix');
  if (pp) only(pp, ['PPCell']);
  for (const c of kids(pp ?? el, 'PPCell')) {
    if (optAttr(c, 'targetCategory') !== undefined) throw unsupported(c, 'targetCategory on PPCell');
    const param = reqAttr(c, 'parameterName');
    const predictor = reqAttr(c, 'predictorName');
    const list = cells.get(param) ?? [];
    list.push({ predictor, value: reqAttr(c, 'value'), factor: factors.has(predictor) });
    cells.set(param, list);
  }
  const betas: GeneralRegressionModel['betas'] = new Map();
  for (const c of kids(kid(el, 'ParamMatrix') ?? el, 'PCell')) {
    const cat = optAttr(c, 'targetCategory') ?? '';
    const m = betas.get(cat) ?? new Map<string, number>();
    m.set(reqAttr(c, 'parameterName'), numAttr(c, 'beta'));
    betas.set(cat, m);
  }
  const model: GeneralRegressionModel = { ...base, kind: 'general', modelType, link, offsetValue: numAttr(el, 'offsetValue', 0), parameters, cells, betas };
  const lp = optNumAttr(el, 'linkParameter');
  if (lp !== undefined) model.linkParameter = lp;
  if (link === 'power' && lp === undefined) throw invalid(el, 'linkFunction="power" needs linkParameter');
  const ref = optAttr(el, 'targetReferenceCategory');
  if (ref !== undefined) model.targetReferenceCategory = ref;
  return model;
}
