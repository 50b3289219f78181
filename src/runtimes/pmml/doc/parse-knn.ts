/** Reads NearestNeighborModel: the training instances (InlineTable) and the KNN inputs. */
import { enumAttr, kid, kids, numAttr, only, optAttr, reqAttr, reqKid } from './access.ts';
import { invalid, unsupported } from './errors.ts';
import { parseMeasure } from './parse-clustering.ts';
import type { ModelBase, NearestNeighborModel } from './types.ts';
import type { XmlElement } from './xml.ts';

export const KNN_CHILDREN = ['TrainingInstances', 'ComparisonMeasure', 'KNNInputs'];

export function parseKnn(el: XmlElement, base: ModelBase): NearestNeighborModel {
  const targets = base.miningFields.filter((f) => f.usageType === 'predicted' || f.usageType === 'target');
  if (targets.length !== 1) throw unsupported(el, `${targets.length} target fields (one is supported)`);
  const target = (targets[0] as (typeof targets)[number]).name;
  const inputs = reqKid(el, 'KNNInputs');
  only(inputs, ['KNNInput']);
  const measure = parseMeasure(el, kids(inputs, 'KNNInput'));
  const ti = reqKid(el, 'TrainingInstances');
  if (optAttr(ti, 'isTransformed') === 'true') throw unsupported(ti, 'isTransformed="true"');
  const table = kid(ti, 'InlineTable');
  if (!table) throw unsupported(kid(ti, 'TableLocator') ?? ti, 'TrainingInstances needs an InlineTable');
  // Row cells are read by local name (xml.ts drops prefixes), so columns drop theirs too.
  const local = (n: string): string => n.slice(n.indexOf(':') + 1);
  const columns = new Map(kids(reqKid(ti, 'InstanceFields'), 'InstanceField').map((f) => [reqAttr(f, 'field'), local(optAttr(f, 'column') ?? reqAttr(f, 'field'))]));
  const idField = optAttr(el, 'instanceIdVariable');
  const col = (field: string): string => {
    const c = columns.get(field);
    if (c === undefined) throw invalid(ti, `no InstanceField for ${field}`);
    return c;
  };
  const targetCol = col(target);
  const inputCols = measure.fields.map((f) => col(f.field));
  const idCol = idField === undefined ? undefined : col(idField);
  const instances = kids(table, 'row').map((r) => {
    const cells = new Map(r.children.map((c) => [c.name, c.text.trim()]));
    const x = inputCols.map((c) => {
      const t = cells.get(c);
      return t === undefined || t === '' ? undefined : Number(t);
    });
    const inst: NearestNeighborModel['instances'][number] = { x, target: cells.get(targetCol) ?? '' };
    const id = idCol === undefined ? undefined : cells.get(idCol);
    if (id !== undefined) inst.id = id;
    return inst;
  });
  const k = numAttr(el, 'numberOfNeighbors');
  if (!Number.isInteger(k) || k < 1 || k > instances.length) throw invalid(el, `numberOfNeighbors=${k} must be 1..${instances.length}`);
  return {
    ...base, ...measure, kind: 'knn', k, instances, threshold: numAttr(el, 'threshold', 0.001),
    continuousMethod: enumAttr(el, 'continuousScoringMethod', ['average', 'median', 'weightedAverage'] as const, 'average'),
    categoricalMethod: enumAttr(el, 'categoricalScoringMethod', ['majorityVote', 'weightedMajorityVote'] as const, 'majorityVote'),
  };
}
