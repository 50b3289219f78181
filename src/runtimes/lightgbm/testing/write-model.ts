/**
 * Writes an EnsembleSpec as a LightGBM text model, in the layout LightGBM's Tree::ToString and
 * GBDT::SaveModelToString use (the fields the parser reads; `%.17g`-exact numbers via JS's
 * shortest round-trip form). Test-only: property tests generate specs, write them, and parse them back.
 */
import type { EnsembleSpec, TreeSpec } from '../spec.ts';

const list = (a: ArrayLike<number>): string => Array.from(a, String).join(' ');

function treeText(t: TreeSpec, i: number): string {
  const lines = [
    `Tree=${i}`, `num_leaves=${t.numLeaves}`, `num_cat=${t.numCat}`, `split_feature=${list(t.splitFeature)}`,
    `split_gain=${list(new Array<number>(t.numLeaves - 1).fill(1))}`, `threshold=${list(t.threshold)}`,
    `decision_type=${list(t.decisionType)}`, `left_child=${list(t.leftChild)}`, `right_child=${list(t.rightChild)}`,
    `leaf_value=${list(t.leafValue)}`,
  ];
  if (t.numCat > 0) lines.push(`cat_boundaries=${list(t.catBoundaries)}`, `cat_threshold=${list(t.catThreshold)}`);
  lines.push(`is_linear=${t.linear ? 1 : 0}`);
  if (t.linear) {
    const l = t.linear;
    lines.push(`leaf_const=${list(l.leafConst)}`, `num_features=${list(l.leafFeatures.map((f) => f.length))}`);
    // LightGBM's spacing: each non-empty group then a space, and one more space per leaf.
    lines.push(`leaf_features=${l.leafFeatures.map((f) => (f.length > 0 ? `${list(f)} ` : '') + ' ').join('')}`);
    lines.push(`leaf_coeff=${l.leafCoeff.map((c) => (c.length > 0 ? `${list(c)} ` : '') + ' ').join('')}`);
  }
  lines.push(`shrinkage=${t.shrinkage}`);
  return `${lines.join('\n')}\n\n`;
}

export function writeModelText(s: EnsembleSpec): string {
  const header = [
    'tree', `version=${s.version}`, `num_class=${s.numClass}`, `num_tree_per_iteration=${s.numTreePerIteration}`,
    `label_index=${s.labelIndex}`, `max_feature_idx=${s.maxFeatureIdx}`,
  ];
  if (s.objective !== undefined) header.push(`objective=${s.objective}`);
  if (s.averageOutput) header.push('average_output');
  header.push(`feature_names=${s.featureNames.join(' ')}`, `feature_infos=${s.featureNames.map(() => 'none').join(' ')}`);
  return `${header.join('\n')}\n\n${s.trees.map(treeText).join('')}end of trees\n\nfeature_importances:\n\nparameters:\nend of parameters\n`;
}
