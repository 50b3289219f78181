/** Reads center-based ClusteringModel with a distance measure (similarity measures not yet). */
import { arrayTokens, enumAttr, kid, kids, numAttr, only, optAttr, parseNumber, reqAttr, reqKid } from './access.ts';
import { invalid, unsupported } from './errors.ts';
import type { ClusteringModel, DistanceMeasure, ModelBase } from './types.ts';
import type { XmlElement } from './xml.ts';

export const CLUSTERING_CHILDREN = ['ComparisonMeasure', 'ClusteringField', 'MissingValueWeights', 'Cluster'];
const MEASURES = ['euclidean', 'squaredEuclidean', 'chebychev', 'cityBlock', 'minkowski'] as const;

/** ComparisonMeasure plus the per-field compare elements (ClusteringField, KNNInput). */
export function parseMeasure(el: XmlElement, fieldElements: readonly XmlElement[]): DistanceMeasure {
  const cm = reqKid(el, 'ComparisonMeasure');
  if (optAttr(cm, 'kind') !== 'distance') throw unsupported(cm, `kind="${optAttr(cm, 'kind') ?? ''}" (only distance measures)`);
  const m = cm.children.find((c) => c.name !== 'Extension');
  if (!m) throw invalid(cm, 'a measure element is required');
  if (!(MEASURES as readonly string[]).includes(m.name)) throw unsupported(m, 'comparison measure');
  const defaultCompare = enumAttr(cm, 'compareFunction', ['absDiff', 'gaussSim', 'delta', 'equal', 'table'] as const, 'absDiff');
  const fields = fieldElements.map((f) => {
    only(f, []);
    const compare = enumAttr(f, 'compareFunction', ['absDiff', 'gaussSim', 'delta', 'equal', 'table'] as const, defaultCompare);
    if (compare === 'table') throw unsupported(f, 'compareFunction="table"');
    const out: DistanceMeasure['fields'][number] = { field: reqAttr(f, 'field'), weight: numAttr(f, 'fieldWeight', 1), compare };
    if (compare === 'gaussSim') out.similarityScale = numAttr(f, 'similarityScale');
    return out;
  });
  return { measure: m.name as DistanceMeasure['measure'], minkowskiP: numAttr(m, 'p-parameter', 2), fields };
}

export function parseClustering(el: XmlElement, base: ModelBase): ClusteringModel {
  if (optAttr(el, 'modelClass') === 'distributionBased') throw unsupported(el, 'modelClass="distributionBased"');
  const mv = kid(el, 'MissingValueWeights');
  if (mv) throw unsupported(mv);
  const measure = parseMeasure(el, kids(el, 'ClusteringField').filter((f) => optAttr(f, 'isCenterField') !== 'false'));
  const fields = measure.fields;
  const clusters = kids(el, 'Cluster').map((c, i) => {
    const arr = reqKid(c, 'Array');
    if (kid(c, 'Covariances') || kid(c, 'Partition')) throw unsupported(c, 'Covariances/Partition');
    const center = arrayTokens(arr).map((t) => parseNumber(arr, 'Array', t));
    if (center.length !== fields.length) throw invalid(arr, `${center.length} values for ${fields.length} clustering fields`);
    // The cluster's id is its `id`, else its 1-based position (PMML 4.4 §Clustering).
    return { id: optAttr(c, 'id') ?? String(i + 1), center };
  });
  if (clusters.length === 0) throw invalid(el, 'at least one Cluster is required');
  return { ...base, kind: 'clustering', ...measure, clusters };
}
