/**
 * `PmmlEvaluator`: a parsed document ready to score rows. One row in (raw values by active field
 * name), one record out: the target field(s) followed by the top-level Output fields, as JPMML
 * and KServe's pmmlserver report them.
 */
import type { DataField, DataType, DefinedFunction, OutputField, DerivedField, MiningField, ModelBase, PmmlDocument, PmmlModelElement, Value } from '../doc/types.ts';
import { PmmlError } from '../doc/errors.ts';
import { prepareValue } from './inputs.ts';
import { invalidInput } from '../../../core/errors.ts';
import { evalAssociation } from './association.ts';
import { evalBayes } from './bayes.ts';
import { evalClustering } from './clustering.ts';
import { evalGeneral } from './general.ts';
import { evalRuleSet } from './ruleset.ts';
import { evalScorecard } from './scorecard.ts';
import { evalSvm } from './svm.ts';
import { evalNeural } from './neural.ts';
import { evalKnn } from './knn.ts';
import { evalMining } from './mining.ts';
import { checkReferences } from './references.ts';
import { applyTargets, computeOutputs } from './output.ts';
import { evalRegression } from './regression.ts';
import type { ModelResult } from './result.ts';
import { FieldScope } from './scope.ts';
import { evalTree } from './tree.ts';

/** One column of the result record. */
export interface ResultColumn {
  name: string;
  /** The declared type; strings become BYTES tensors, the rest FP64. */
  dataType: DataType;
}

function byName(fields: readonly DerivedField[]): Map<string, DerivedField> {
  return new Map(fields.map((f) => [f.name, f]));
}

export class PmmlEvaluator {
  /** Active input fields in MiningSchema order: the columns of V2's `input-0`. */
  readonly activeFields: readonly DataField[];
  /** Active fields that take a list per row (an AssociationModel's item field). */
  readonly listFields: readonly string[];
  /** Targets first, then Output fields. */
  readonly columns: readonly ResultColumn[];
  private readonly doc: PmmlDocument;
  private readonly dataFields: ReadonlyMap<string, DataField>;
  private readonly globalDerived: ReadonlyMap<string, DerivedField>;
  private readonly localDerived = new WeakMap<ModelBase, Map<string, DerivedField>>();
  private readonly targetNames: string[];
  private readonly functions: ReadonlyMap<string, DefinedFunction>;

  constructor(doc: PmmlDocument) {
    checkReferences(doc);
    this.doc = doc;
    this.dataFields = new Map(doc.dataFields.map((f) => [f.name, f]));
    this.globalDerived = byName(doc.derived);
    this.functions = new Map(doc.functions.map((f) => [f.name, f]));
    const model = doc.model;
    const active: DataField[] = [];
    for (const mf of model.miningFields) {
      const df = this.dataFields.get(mf.name);
      if (!df) throw new PmmlError(`MiningField ${mf.name} of <${kindName(model)}> at line ${model.line} is not in the DataDictionary`);
      if (mf.usageType === 'active') active.push(df);
    }
    this.activeFields = active;
    this.listFields = model.kind === 'association' ? [model.itemField] : [];
    this.targetNames = model.miningFields.filter((f) => f.usageType === 'predicted' || f.usageType === 'target').map((f) => f.name);
    const cols: ResultColumn[] = this.targetNames.map((n) => ({ name: n, dataType: this.targetType(n, model) }));
    for (const o of model.output) {
      if (!o.final) continue;
      cols.push({ name: o.name, dataType: o.dataType ?? defaultOutputType(o) ?? this.targetType(this.targetNames[0], model) });
    }
    this.columns = cols;
  }

  private targetType(name: string | undefined, model: PmmlModelElement): DataType {
    const df = name === undefined ? undefined : this.dataFields.get(name);
    if (df) return df.dataType;
    return model.functionName === 'regression' ? 'double' : 'string';
  }

  /**
   * Scores one row; `get` returns the raw value of an active field (null when missing). Only an
   * AssociationModel's item field takes a list: the transaction's items.
   */
  evaluate(get: (field: string) => Value | readonly Value[]): Record<string, Value> {
    const root = new FieldScope(this.globalDerived, undefined, this.functions);
    const model = this.doc.model;
    let items: ReadonlySet<string> = new Set();
    for (const mf of model.miningFields) {
      if (mf.usageType !== 'active') continue;
      const raw = get(mf.name);
      if (model.kind === 'association' && mf.name === model.itemField) {
        items = new Set((Array.isArray(raw) ? raw : [raw]).filter((v): v is string | number | boolean => v !== null).map(String));
        continue;
      }
      if (Array.isArray(raw)) throw invalidInput(mf.name, raw, 'a single value');
      root.set(mf.name, prepareValue(raw as Value, this.dataFields.get(mf.name) as DataField, mf));
    }
    const { result, outputs } = this.run(model, root, true, items);
    const record: Record<string, Value> = {};
    for (const t of this.targetNames) record[t] = result.value;
    for (const c of this.columns) if (!(c.name in record)) record[c.name] = outputs.get(c.name) ?? null;
    return record;
  }

  private run(model: PmmlModelElement, parent: FieldScope, top: boolean, items: ReadonlySet<string> = new Set()): { result: ModelResult; outputs: Map<string, Value> } {
    let local = this.localDerived.get(model);
    if (!local) {
      local = byName(model.localDerived);
      this.localDerived.set(model, local);
    }
    const scope = new FieldScope(local, parent);
    if (!top) this.prepareNested(model.miningFields, scope, parent);
    let result: ModelResult;
    switch (model.kind) {
      case 'tree':
        result = evalTree(model, scope);
        break;
      case 'regression':
        result = evalRegression(model, scope);
        break;
      case 'mining':
        result = evalMining(model, scope, (m, s) => this.run(m, s, false));
        break;
      case 'bayes':
        result = evalBayes(model, scope);
        break;
      case 'neural':
        result = evalNeural(model, scope);
        break;
      case 'clustering':
        result = evalClustering(model, scope);
        break;
      case 'svm':
        result = evalSvm(model, scope, this.categoriesOf(model));
        break;
      case 'scorecard':
        result = evalScorecard(model, scope);
        break;
      case 'ruleset':
        result = evalRuleSet(model, scope);
        break;
      case 'association':
        result = evalAssociation(model, items);
        break;
      case 'knn':
        result = evalKnn(model, scope);
        break;
      case 'general':
        result = evalGeneral(model, scope, this.categoriesOf(model));
        break;
    }
    result = applyTargets(model, result);
    return { result, outputs: computeOutputs(model, result, scope) };
  }

  /** The target's categories in DataDictionary order (empty when unknown). */
  private categoriesOf(model: ModelBase): string[] {
    const target = model.miningFields.find((f) => f.usageType === 'predicted' || f.usageType === 'target') ?? this.doc.model.miningFields.find((f) => f.usageType === 'predicted' || f.usageType === 'target');
    return target ? (this.dataFields.get(target.name)?.validValues ?? []) : [];
  }

  /** A segment's MiningSchema applies its own treatments to the values its parent sees. */
  private prepareNested(fields: readonly MiningField[], scope: FieldScope, parent: FieldScope): void {
    for (const mf of fields) {
      if (mf.usageType !== 'active') continue;
      const df = this.dataFields.get(mf.name);
      const hasTreatment = mf.missingValueReplacement !== undefined || mf.outliers !== 'asIs' || mf.invalidValueTreatment !== 'returnInvalid';
      if (df && hasTreatment) scope.set(mf.name, prepareValue(parent.get(mf.name), df, mf));
    }
  }
}

function kindName(m: PmmlModelElement): string {
  const names = { tree: 'TreeModel', regression: 'RegressionModel', mining: 'MiningModel', general: 'GeneralRegressionModel', bayes: 'NaiveBayesModel', neural: 'NeuralNetwork', clustering: 'ClusteringModel', svm: 'SupportVectorMachineModel', scorecard: 'Scorecard', ruleset: 'RuleSetModel', knn: 'NearestNeighborModel', association: 'AssociationModel' } as const;
  return names[m.kind];
}

/** An OutputField's type when it declares none; undefined: the target's type. */
function defaultOutputType(o: OutputField): DataType | undefined {
  switch (o.feature) {
    case 'entityId':
    case 'reasonCode':
      return 'string';
    case 'probability':
    case 'affinity':
    case 'confidence':
      return 'double';
    case 'ruleValue':
      return o.rule?.feature === 'ruleId' || o.rule?.feature === 'antecedent' || o.rule?.feature === 'consequent' || o.rule?.feature === 'rule' ? 'string' : 'double';
    default:
      return undefined;
  }
}
