/** Reads AssociationModel: Items, Itemsets and AssociationRules (items resolved to their values). */
import { kids, numAttr, only, optAttr, presentNumAttrs, reqAttr } from './access.ts';
import { invalid, unsupported } from './errors.ts';
import type { AssociationModel, ModelBase } from './types.ts';
import type { XmlElement } from './xml.ts';

export const ASSOCIATION_CHILDREN = ['LocalTransformations', 'Item', 'Itemset', 'AssociationRule'];

export function parseAssociation(el: XmlElement, base: ModelBase): AssociationModel {
  const active = base.miningFields.filter((f) => f.usageType === 'active');
  if (active.length !== 1) throw unsupported(el, `${active.length} active fields (one item field is supported)`);
  const items = new Map(kids(el, 'Item').map((i) => {
    if (optAttr(i, 'mappedValue') !== undefined || optAttr(i, 'field') !== undefined) throw unsupported(i, 'field/mappedValue');
    return [reqAttr(i, 'id'), reqAttr(i, 'value')];
  }));
  const itemsets = new Map(kids(el, 'Itemset').map((s) => {
    only(s, ['ItemRef']);
    return [reqAttr(s, 'id'), kids(s, 'ItemRef').map((r) => {
      const v = items.get(reqAttr(r, 'itemRef'));
      if (v === undefined) throw invalid(r, `itemRef ${reqAttr(r, 'itemRef')} is not an Item`);
      return v;
    })];
  }));
  const set = (r: XmlElement, attr: string): string[] => {
    const s = itemsets.get(reqAttr(r, attr));
    if (!s) throw invalid(r, `${attr} ${reqAttr(r, attr)} is not an Itemset`);
    return s;
  };
  const rules = kids(el, 'AssociationRule').map((r, i) => ({
    id: optAttr(r, 'id') ?? String(i + 1), support: numAttr(r, 'support'), confidence: numAttr(r, 'confidence'),
    antecedent: set(r, 'antecedent'), consequent: set(r, 'consequent'), ...presentNumAttrs(r, ['lift', 'leverage', 'affinity']),
  }));
  return { ...base, kind: 'association', itemField: (active[0] as (typeof active)[number]).name, rules };
}
