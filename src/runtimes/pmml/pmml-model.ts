/**
 * `PmmlModel`: serves a `.pmml` file as KServe's pmmlserver does, evaluated natively (no JVM).
 *
 * - V2: one input `input-0` [N, k] (k active MiningFields in MiningSchema order; FP64, or any
 *   numeric datatype, or BYTES for categorical fields), or one tensor per active field; one
 *   output per result column (targets, then Output fields): BYTES for strings, FP64 for numbers.
 * - V1: rows as lists or records keyed by field name (decodeV1Instances); the V1 encoder makes
 *   one record per row keyed by output name, e.g. `{"Species": "setosa", ..., "Node_Id": "2"}`.
 *
 * Metadata declares no inputs so that the data plane leaves datatype checks to this model (it
 * accepts several datatypes for `input-0`); the expected fields are in metadata parameters.
 */
import { readFile } from 'node:fs/promises';
import { modelLoadFailed, modelNotReady } from '../../core/errors.ts';
import type { InferRequest, ModelMetadata } from '../../protocol/infer.ts';
import type { Tensor } from '../../protocol/tensor.ts';
import { Model, type ModelOptions, type PredictResult } from '../model.ts';
import { PmmlError } from './doc/errors.ts';
import { parsePmml } from './doc/parse-document.ts';
import { PmmlEvaluator } from './eval/evaluator.ts';
import { findPmmlFile } from './model-file.ts';
import { decodeRecords } from './records.ts';
import { recordsToTensors, tensorsToRows } from './tensors.ts';

/** The platform string of OIP model metadata. */
export const PMML_PLATFORM = 'pmml';

/** Largest model file read (PMML forests can be big, but not unbounded). */
const MAX_FILE_BYTES = 512 * 1024 * 1024;

export class PmmlModel extends Model {
  /** V1 answers are records keyed by output field, as pmmlserver's, even with one output. */
  override readonly v1Records = true;
  private readonly modelDir: string;
  private evaluator: PmmlEvaluator | undefined;

  constructor(opts: ModelOptions) {
    super(opts.name);
    this.modelDir = opts.modelDir;
  }

  async load(): Promise<void> {
    if (this.evaluator) return;
    const path = await findPmmlFile(this.name, this.modelDir);
    const bytes = await readFile(path);
    if (bytes.length > MAX_FILE_BYTES) throw modelLoadFailed(this.name, `${path} is ${bytes.length} bytes, over the ${MAX_FILE_BYTES}-byte limit`);
    this.evaluator = PmmlModel.compile(this.name, bytes.toString('utf8'), path);
    this.ready = true;
  }

  /** Parses and checks a document; every problem becomes MODEL_LOAD_FAILED naming the file. */
  static compile(name: string, text: string, path: string): PmmlEvaluator {
    try {
      return new PmmlEvaluator(parsePmml(text));
    } catch (err) {
      if (err instanceof PmmlError) throw modelLoadFailed(name, `${path}: ${err.message}`, err);
      throw err;
    }
  }

  private get ev(): PmmlEvaluator {
    if (!this.evaluator) throw modelNotReady(this.name);
    return this.evaluator;
  }

  private get fieldNames(): string[] {
    return this.ev.activeFields.map((f) => f.name);
  }

  metadata(): ModelMetadata {
    const ev = this.evaluator;
    return {
      name: this.name,
      platform: PMML_PLATFORM,
      inputs: [],
      outputs: (ev?.columns ?? []).map((c) => ({ name: c.name, datatype: c.dataType === 'string' ? 'BYTES' : c.dataType === 'boolean' ? 'BOOL' : 'FP64', shape: [-1] })),
      parameters: { input_fields: ev ? this.fieldNames.join(',') : '' },
    };
  }

  override decodeV1Instances(instances: readonly unknown[]): Tensor[] {
    return decodeRecords(instances, this.fieldNames, this.ev.listFields);
  }

  predict(req: InferRequest): PredictResult {
    const ev = this.ev;
    const rows = tensorsToRows(req.inputs, this.fieldNames, ev.listFields);
    const records = rows.map((get) => ev.evaluate(get));
    return { outputs: recordsToTensors(records, ev.columns) };
  }

  override unload(): Promise<void> {
    this.evaluator = undefined;
    return super.unload();
  }
}
