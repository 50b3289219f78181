/**
 * `OnnxModel`: serves an `.onnx` file with onnxruntime-node, off the main thread.
 *
 * ORT's `session.run` is synchronous native work (onnxruntime-node only defers it with
 * setImmediate), so sessions live in worker threads (worker.ts) and requests travel as messages
 * (wire.ts, worker-pool.ts). The hop costs the event loop about 7 µs of CPU and a request about
 * 100 µs of latency on a busy 2-core box, which is many times the run itself for a small model, so
 * runs measured to take at most `inlineBudgetUs` (default 100 µs) run on the event-loop thread
 * instead (inline-runner.ts): big models and big batches always go to the workers.
 *
 * Load-time safety (metadata.ts): types that ORT cannot hand to JavaScript, non-tensor inputs and
 * models without tensor outputs fail the load with a message naming the input/output; non-tensor
 * outputs are never fetched.
 */
import { readFile, stat } from 'node:fs/promises';
import { invalidInput, modelLoadFailed, modelNotReady } from '../../core/errors.ts';
import { type Logger, silentLogger } from '../../core/logger.ts';
import type { InferRequest, ModelMetadata } from '../../protocol/infer.ts';
import type { Tensor } from '../../protocol/tensor.ts';
import { dataMatches } from '../../protocol/tensor.ts';
import { Model, type ModelOptions, type PredictResult, type RequestContext } from '../model.ts';
import { oipDatatypeOf, onnxTypeName, supportedTypesText } from './datatypes.ts';
import { type OnnxSignature, type OnnxTensorSpec, checkSignature, toTensorMetadata } from './metadata.ts';
import { type InlineFeed, InlineRunner } from './inline-runner.ts';
import { findOnnxFile } from './model-file.ts';
import { readGraphSignature } from './model-proto.ts';
import { DEFAULT_TRANSFER_MIN_BYTES, type WireTensor, encodeNumeric, isPacked, packBytes, unpackBytes } from './wire.ts';
import { WorkerLoadError, WorkerPool } from './worker-pool.ts';

/** The platform string of OIP model metadata (Triton's name for ONNX Runtime). */
export const ONNX_PLATFORM = 'onnxruntime_onnx';

export interface OnnxModelOptions extends ModelOptions {
  /** ORT intra-op threads per session (default 1: scale with `workers` instead). */
  intraOpThreads?: number;
  /** Worker threads, each with its own session on the same file (default 1). */
  workers?: number;
  /**
   * Nice value of the inference threads (Linux; default 0: unchanged). A positive value makes inference
   * then yields the CPU to the event-loop thread, so health checks and request parsing stay
   * responsive while large batches run on a busy machine.
   */
  inferenceNice?: number;
  /**
   * Runs whose measured ORT time for their input size is at most this many µs run on the calling
   * (event-loop) thread instead of a worker (inline-runner.ts). Default 100; 0 = never; Infinity =
   * always (tests).
   */
  inlineBudgetUs?: number;
  /**
   * Merge inline runs that arrive together into one ORT call along dimension 0 (default true;
   * checked per model, see merge-runs.ts and inline-runner.ts).
   */
  mergeRuns?: boolean;
  /** Largest model file that gets an inline session (default 2 MiB). */
  inlineMaxModelBytes?: number;
  /** 'cuda' tries the CUDA execution provider and falls back to CPU with a warning (default 'cpu'). */
  executionProviders?: 'cpu' | 'cuda';
  /** Most unanswered requests per worker before OVERLOADED (default 1024). */
  maxQueuedPerWorker?: number;
  /**
   * Input typed arrays at least this long that own their whole ArrayBuffer are moved to the
   * worker instead of copied, which detaches them in the caller (default 64 KiB; `Infinity`
   * never moves them).
   */
  transferMinBytes?: number;
  /**
   * How long unload() waits for workers to finish queued requests and exit (default 10 s). Past
   * it, an idle worker is terminated; a busy one is left to exit once done, because terminating a
   * worker inside an ORT run aborts the process.
   */
  closeTimeoutMs?: number;
  logger?: Logger;
}

interface Resolved {
  intraOpThreads: number;
  inlineBudgetUs: number;
  mergeRuns: boolean;
  inlineMaxModelBytes: number;
  inferenceNice: number;
  workers: number;
  executionProviders: 'cpu' | 'cuda';
  maxQueuedPerWorker: number;
  transferMinBytes: number;
  closeTimeoutMs: number;
}

interface Loaded {
  pool: WorkerPool;
  inline: InlineRunner;
  inputs: Map<string, OnnxTensorSpec>;
  outputNames: string[];
  outputSet: Set<string>;
  metadata: ModelMetadata;
  provider: 'cpu' | 'cuda';
}

export class OnnxModel extends Model {
  readonly modelDir: string;
  readonly version: string | undefined;
  private readonly cfg: Readonly<Resolved>;
  private readonly log: Logger;
  private loaded: Loaded | undefined;
  private loading: Promise<void> | undefined;

  constructor(opts: OnnxModelOptions) {
    super(opts.name);
    this.modelDir = opts.modelDir;
    this.version = opts.version;
    this.log = (opts.logger ?? silentLogger).child({ model: opts.name, runtime: 'onnx' });
    this.cfg = Object.freeze(resolveOptions(opts));
  }

  /** The execution provider the sessions run on ('cpu' after a CUDA fallback). */
  get executionProvider(): 'cpu' | 'cuda' | undefined {
    return this.loaded?.provider;
  }

  /** The worker pool (diagnostics and tests). @internal */
  get pool(): WorkerPool | undefined {
    return this.loaded?.pool;
  }

  /** Where runs go and how many went where (diagnostics and tests). @internal */
  get inlineRunner(): InlineRunner | undefined {
    return this.loaded?.inline;
  }

  /** Starts the workers and checks the model's signature; concurrent calls share one load. */
  load(): Promise<void> {
    if (this.loaded) return Promise.resolve();
    this.loading ??= this.start().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async start(): Promise<void> {
    const path = await findOnnxFile(this.name, this.modelDir);
    let started;
    try {
      started = await WorkerPool.start({
        modelName: this.name,
        init: { modelPath: path, intraOpThreads: this.cfg.intraOpThreads, executionProvider: this.cfg.executionProviders, nice: this.cfg.inferenceNice },
        workers: this.cfg.workers,
        maxQueuedPerWorker: this.cfg.maxQueuedPerWorker,
        closeTimeoutMs: this.cfg.closeTimeoutMs,
        log: this.log,
      });
    } catch (err) {
      if (err instanceof WorkerLoadError) throw modelLoadFailed(this.name, await explainLoadError(path, err.message), err);
      throw modelLoadFailed(this.name, `the ONNX Runtime worker thread failed to start: ${err instanceof Error ? err.message : String(err)}`, err);
    }
    const { pool, ready } = started;
    if (ready.warning !== undefined) this.log.warn(ready.warning);
    let sig: OnnxSignature;
    try {
      sig = checkSignature(this.name, ready.inputs, ready.outputs);
    } catch (err) {
      await pool.close();
      throw err;
    }
    if (sig.skippedOutputs.length > 0) {
      this.log.warn('outputs that are not tensors are left out of the metadata and never fetched', { outputs: sig.skippedOutputs });
    }
    const metadata: ModelMetadata = {
      name: this.name,
      platform: ONNX_PLATFORM,
      inputs: toTensorMetadata(sig.inputs),
      outputs: toTensorMetadata(sig.outputs),
    };
    if (this.version !== undefined) metadata.versions = [this.version];
    const outputNames = sig.outputs.map((o) => o.name);
    const { inlineBudgetUs: budget, inlineMaxModelBytes } = this.cfg;
    const small = budget === Infinity || (await stat(path)).size <= inlineMaxModelBytes;
    const inline = new InlineRunner(this.name, { modelPath: path, intraOpThreads: 1, executionProvider: 'cpu' }, budget, small && ready.provider === 'cpu', this.log, this.cfg.mergeRuns);
    await inline.open();
    this.loaded = {
      pool, inline, metadata, outputNames, provider: ready.provider,
      inputs: new Map(sig.inputs.map((s) => [s.name, s])),
      outputSet: new Set(outputNames),
    };
    this.ready = true;
    this.log.info('ONNX model loaded', { path, workers: this.cfg.workers, provider: ready.provider });
  }

  metadata(): ModelMetadata {
    if (!this.loaded) throw modelNotReady(this.name);
    return this.loaded.metadata;
  }

  /** Throws INVALID_INPUT synchronously for a request that does not fit the model. */
  predict(req: InferRequest, _ctx?: RequestContext): Promise<PredictResult> {
    const m = this.loaded;
    if (!m) throw modelNotReady(this.name);
    const feeds = new Array<InlineFeed>(req.inputs.length);
    let elements = 0;
    for (let i = 0; i < req.inputs.length; i++) {
      const f = checkInput(m, req.inputs[i]!, i);
      elements += f.data.length;
      feeds[i] = f;
    }
    let fetches = m.outputNames;
    if (req.outputs && req.outputs.length > 0) {
      fetches = req.outputs.map((o, i) => {
        if (!m.outputSet.has(o.name)) throw invalidInput(`outputs[${i}].name`, o.name, `one of the model's tensor outputs: ${m.outputNames.join(', ')}`);
        return o.name;
      });
    }
    if (m.inline.wants(elements)) {
      return m.inline.run(feeds, fetches, elements);
    }
    return this.onWorker(m, feeds, fetches, elements);
  }

  private async onWorker(m: Loaded, feeds: InlineFeed[], fetches: string[], elements: number): Promise<PredictResult> {
    const transfer: ArrayBuffer[] = [];
    const wire = feeds.map((f) => toWire(f, transfer, this.cfg.transferMinBytes));
    const answer = await m.pool.run(wire, fetches, transfer);
    m.inline.record(elements, answer.us, 'worker');
    return { outputs: answer.outputs.map(decodeOutput) };
  }

  /** Lets queued requests finish, then stops the workers and releases their sessions. Idempotent. */
  override async unload(): Promise<void> {
    if (this.loading) await this.loading.catch(() => undefined);
    const m = this.loaded;
    this.loaded = undefined;
    this.ready = false;
    if (m) await Promise.all([m.pool.close(), m.inline.close()]);
  }
}

/** Checks a request input against the model's signature; INVALID_INPUT names what is wrong. */
function checkInput(m: Loaded, t: Tensor, i: number): InlineFeed {
  const spec = m.inputs.get(t.name);
  if (!spec) throw invalidInput(`inputs[${i}].name`, t.name, `one of the model's inputs: ${[...m.inputs.keys()].join(', ')}`);
  if (t.datatype !== spec.datatype) throw invalidInput(`inputs[${i}].datatype (input ${t.name})`, t.datatype, spec.datatype);
  if (!dataMatches(t.datatype, t.data)) {
    throw invalidInput(`inputs[${i}].data (input ${t.name})`, t.data.constructor.name, `the array type for ${t.datatype}`);
  }
  if (Array.isArray(t.data)) {
    const bad = t.data.findIndex((b) => !(b instanceof Uint8Array));
    if (bad >= 0) throw invalidInput(`inputs[${i}].data[${bad}] (input ${t.name})`, typeof t.data[bad], 'a Uint8Array (BYTES element)');
  }
  return { name: t.name, type: spec.ortType, dims: t.shape, data: t.data };
}

function toWire(f: InlineFeed, transfer: ArrayBuffer[], transferMinBytes: number): WireTensor {
  const data = Array.isArray(f.data) ? packBytes(f.data, transfer) : encodeNumeric(f.data, transfer, transferMinBytes);
  return { name: f.name, type: f.type, dims: f.dims, data };
}

function decodeOutput(w: WireTensor): Tensor {
  return { name: w.name, datatype: oipDatatypeOf(w.type), shape: w.dims, data: isPacked(w.data) ? unpackBytes(w.data) : w.data };
}

/** ONNX Runtime's load error, plus which inputs/outputs have a type it cannot describe. */
async function explainLoadError(path: string, ortMessage: string): Promise<string> {
  const m = /Unsupported data type: (\d+)/.exec(ortMessage);
  if (!m) return ortMessage;
  const code = Number(m[1]);
  try {
    const sig = readGraphSignature(await readFile(path));
    const hits = [
      ...sig.inputs.filter((v) => v.elemType === code).map((v) => `input ${JSON.stringify(v.name)}`),
      ...sig.outputs.filter((v) => v.elemType === code).map((v) => `output ${JSON.stringify(v.name)}`),
    ];
    const who = hits.length > 0 ? hits.join(', ') : 'an input or output';
    return `${who} has element type ${onnxTypeName(code)}, which onnxruntime-node cannot exchange with JavaScript (${ortMessage}); supported element types: ${supportedTypesText()}`;
  } catch {
    return `${ortMessage} (element type ${onnxTypeName(code)}); supported element types: ${supportedTypesText()}`;
  }
}

function resolveOptions(o: OnnxModelOptions): Resolved {
  const int = (key: string, v: number | undefined, dflt: number, min: number, max: number): number => {
    const x = v ?? dflt;
    if (!Number.isInteger(x) || x < min || x > max) throw modelLoadFailed(o.name, `option ${key}: got ${String(x)}, expected an integer from ${min} to ${max}`);
    return x;
  };
  const ep = o.executionProviders ?? 'cpu';
  if (ep !== 'cpu' && ep !== 'cuda') throw modelLoadFailed(o.name, `option executionProviders: got ${JSON.stringify(ep)}, expected "cpu" or "cuda"`);
  const budget = o.inlineBudgetUs ?? 100;
  if (!(budget >= 0)) throw modelLoadFailed(o.name, `option inlineBudgetUs: got ${String(budget)}, expected a number of µs >= 0 (or Infinity)`);
  if (o.mergeRuns !== undefined && typeof o.mergeRuns !== 'boolean') throw modelLoadFailed(o.name, `option mergeRuns: got ${JSON.stringify(o.mergeRuns)}, expected true or false`);
  const tmb = o.transferMinBytes ?? DEFAULT_TRANSFER_MIN_BYTES;
  if (!(tmb >= 0)) throw modelLoadFailed(o.name, `option transferMinBytes: got ${String(tmb)}, expected a number of bytes >= 0 (or Infinity)`);
  return {
    intraOpThreads: int('intraOpThreads', o.intraOpThreads, 1, 1, 256),
    inlineBudgetUs: budget,
    mergeRuns: o.mergeRuns ?? true,
    inlineMaxModelBytes: int('inlineMaxModelBytes', o.inlineMaxModelBytes, 2 * 1024 * 1024, 0, 2 ** 40),
    inferenceNice: int('inferenceNice', o.inferenceNice, 0, 0, 19),
    workers: int('workers', o.workers, 1, 1, 256),
    executionProviders: ep,
    maxQueuedPerWorker: int('maxQueuedPerWorker', o.maxQueuedPerWorker, 1024, 1, 1_000_000),
    transferMinBytes: tmb,
    closeTimeoutMs: int('closeTimeoutMs', o.closeTimeoutMs, 10_000, 0, 3_600_000),
  };
}

/** The ModelFactory for the 'onnx' model format. */
export function createOnnxModel(opts: OnnxModelOptions): OnnxModel {
  return new OnnxModel(opts);
}
