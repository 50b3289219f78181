/**
 * A loaded booster: compiled evaluator + objective, predicting what `Booster.predict` returns.
 *
 * Output shapes follow XGBoost (and so KServe's xgbserver): multi:softmax → class ids [N];
 * multi:softprob → probabilities [N, num_class]; one output group → [N]; several targets →
 * [N, num_target]. With `outputMargin` the untransformed margins come back, [N] or [N, groups].
 */
import { type CompiledBooster, compileBooster } from './compile.ts';
import { type Objective, SUPPORTED_OBJECTIVES, applyTransform, objectiveByName } from './objective.ts';
import { type BoosterSpec, ModelFormatError, outputGroups } from './spec.ts';

export interface Prediction {
  data: Float32Array;
  shape: number[];
}

export class XgbBooster {
  readonly numFeature: number;
  readonly groups: number;
  readonly objective: Objective;
  readonly compiled: CompiledBooster;
  /** Base score per group, in margin space. */
  readonly baseMargin: Float32Array;

  constructor(readonly spec: BoosterSpec) {
    const objective = objectiveByName(spec.objective);
    if (!objective) {
      throw new ModelFormatError(`unsupported objective ${JSON.stringify(spec.objective)} (supported: ${SUPPORTED_OBJECTIVES.join(', ')})`);
    }
    this.objective = objective;
    this.numFeature = spec.numFeature;
    this.groups = outputGroups(spec);
    const base = spec.baseScore;
    this.baseMargin = Float32Array.from({ length: this.groups }, (_, g) => objective.toMargin(base.length === 1 ? base[0]! : base[g]!));
    for (const m of this.baseMargin) {
      if (!Number.isFinite(m)) throw new ModelFormatError(`base_score ${base.join(',')} has no finite margin under ${objective.name}`);
    }
    this.compiled = compileBooster(spec, this.baseMargin);
  }

  /** Shape of the output for `rows` rows. */
  outputShape(rows: number, outputMargin: boolean): number[] {
    if (!outputMargin && this.objective.transform === 'argmax') return [rows];
    return this.groups === 1 ? [rows] : [rows, this.groups];
  }

  /** Predicts row-major `x` [rows, numFeature] (NaN = missing). */
  predict(x: Float32Array, rows: number, outputMargin = false): Prediction {
    const margins = this.compiled.predictMargins(x, rows);
    const data = outputMargin ? margins : applyTransform(this.objective.transform, margins, this.groups);
    return { data, shape: this.outputShape(rows, outputMargin) };
  }
}
