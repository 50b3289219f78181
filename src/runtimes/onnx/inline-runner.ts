/**
 * Runs that are too small to be worth a thread hop run on the event-loop thread.
 *
 * Handing a run to a worker thread and back costs the event loop ≈ 7 µs of CPU and the request
 * ≈ 100 µs of latency on a busy 2-core machine (two thread wake-ups); the iris classifier's own
 * run takes ≈ 5 µs. So a model keeps a second, inline session (created the first time a run
 * qualifies) and each run goes where it is cheapest:
 *
 * - The cost model (../run-cost.ts) keeps, per input size class, a mean of how long ONNX Runtime
 *   took (measured in the worker by session-io.ts `timedRun`, inline around the synchronous call). The first measurement of a
 *   class (ORT plans memory for a new shape, ≈ 300 µs for iris) is replaced by the second.
 * - A run goes inline when its class's estimate is at most `budgetUs` (default 100 µs): the
 *   longest the event loop may be held by one run. Unknown classes go to the worker first, so a
 *   big model or a big batch never blocks the loop; one slow inline run (data-dependent cost)
 *   raises the estimate and sends the class back to the workers.
 * - Only models up to `maxModelBytes` get an inline session (its creation blocks the loop once,
 *   and it holds a second copy of the weights).
 * - Inline runs call ONNX Runtime's native session synchronously (native-session.ts), queued
 *   and made together in one immediate per event-loop turn (see `run`).
 * - Queued runs with the same inputs and trailing dimensions are merged into one ORT call
 *   (merge-runs.ts) unless `mergeRuns` is false. Merging turns itself off for a model whose merged
 *   run fails while its requests alone succeed, or whose outputs do not split by rows, and the first `VERIFY_MERGES` merged runs are
 *   also made one by one, and one in `RECHECK_EVERY` after that: any difference in any byte turns
 *   merging off for good (logged), so a model whose rows affect each other keeps its own answers.
 *   A merged call stays within the budget by its size class's estimate; a size measured over it is
 *   retried once in `MERGE_RETRY_EVERY` merges it stops, so a one-off slow call does not stop it for good.
 *
 * `budgetUs = 0` turns inline runs off; `Infinity` runs everything inline (tests).
 */
import { invalidRequest } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import { RunCostModel } from '../run-cost.ts';
import type { NumericArray } from '../../protocol/datatype.ts';
import type { Tensor } from '../../protocol/tensor.ts';
import { oipDatatypeOf } from './datatypes.ts';
import { concatFeeds, mergeRows, outputsDiffer, sameMergeShape, splitOutputs } from './merge-runs.ts';
import { NativeSession } from './native-session.ts';
import { type InlineFeed, type SessionInit, fromOrtValue, messageOf, toOrtTensor } from './session-io.ts';
import type * as ort from 'onnxruntime-node';

export type { InlineFeed } from './session-io.ts';

interface PendingRun {
  feeds: InlineFeed[];
  fetches: string[];
  elements: number;
  /** Rows (dimension 0) when the run could be merged with others; 0 when it cannot. */
  rows: number;
  resolve: (result: { outputs: Tensor[] }) => void;
  reject: (err: unknown) => void;
}

/** The longest one immediate makes queued runs for before letting the loop poll I/O. */
const FLUSH_SLICE_MS = 2;

/** Merged runs that are checked against separate runs before merging is trusted for a model. */
export const VERIFY_MERGES = 16;

/** After verification, one merged run in this many is still checked against separate runs. */
const RECHECK_EVERY = 256;

/** Most input elements one merged run may hold. */
const MERGE_MAX_ELEMENTS = 16_384;

/**
 * A merged size measured over the budget is still tried once in this many times it would stop a
 * merge. Only merged calls measure merged sizes, so without retries one slow call would stop
 * merging at its size for good. Such a call is usually one whose thread was descheduled on a busy
 * machine: without retries, iris at c=8 on 2 cores stopped merging within seconds, although its
 * merged calls take 5–20 µs.
 */
export const MERGE_RETRY_EVERY = 16;

type MergeState = 'verify' | 'on' | 'off';

export class InlineRunner {
  private readonly cost: RunCostModel;
  private session: NativeSession | undefined;
  private creating: Promise<void> | undefined;
  private disabled: boolean;
  private queue: PendingRun[] = [];
  private merge: MergeState;
  private verified = 0;
  /** Merges stopped by a merged size measured over the budget (every `MERGE_RETRY_EVERY`th goes ahead). */
  private overBudget = 0;
  /** Requests answered from a merged run, merged ORT calls made, most requests in one (diagnostics and tests). */
  readonly merged = { requests: 0, runs: 0, largest: 0 };

  constructor(
    private readonly modelName: string,
    private readonly init: SessionInit,
    private readonly budgetUs: number,
    eligible: boolean,
    private readonly log: Logger,
    mergeRuns = true,
  ) {
    this.disabled = !eligible || !(budgetUs > 0);
    this.cost = new RunCostModel(budgetUs);
    this.merge = mergeRuns ? 'verify' : 'off';
  }

  /** Runs done inline / counted from the workers (diagnostics and tests). */
  get counts(): Readonly<{ inline: number; worker: number }> {
    return this.cost.counts;
  }

  /** Whether queued runs are merged: 'verify' while the first merges are checked, 'off' after a failed check. */
  get mergeState(): MergeState {
    return this.merge;
  }

  /** With an infinite budget the session is made up front, so the first run already goes inline. */
  async open(): Promise<void> {
    if (!this.disabled && this.budgetUs === Infinity) this.createSession();
  }

  /** The estimate for `elements`, µs (undefined until a run of that class was measured). */
  estimate(elements: number): number | undefined {
    return this.cost.estimate(elements);
  }

  /** Whether a run over `elements` input elements should run inline now. */
  wants(elements: number): boolean {
    if (this.disabled) return false;
    if (!this.cost.fits(elements)) return false;
    if (this.session) return true;
    // Created in an immediate, after this request has gone to a worker.
    this.creating ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.createSession());
    return false;
  }

  /** Feeds a run's measured time (from a worker or inline) into the cost model. */
  record(elements: number, us: number, where: 'inline' | 'worker'): void {
    this.cost.record(elements, us, where);
  }

  /**
   * Runs on this thread; outputs in `fetches` order. ORT's errors reject as INVALID_INPUT with ORT's message.
   *
   * Runs are queued and made together in one immediate, after the event loop has read every
   * request that arrived: measured on iris at 32 connections, running each request's ORT call as
   * soon as it is parsed (interleaved with socket reads and writes) doubled both ORT's and
   * writev's CPU per request (cold caches), and cost 25 % of the requests/s.
   */
  run(feeds: InlineFeed[], fetches: string[], elements: number): Promise<{ outputs: Tensor[] }> {
    return new Promise((resolve, reject) => {
      const rows = this.merge === 'off' ? 0 : mergeRows(feeds);
      if (this.queue.push({ feeds, fetches, elements, rows, resolve, reject }) === 1) setImmediate(this.flush);
    });
  }

  /** Makes the queued runs; past `FLUSH_SLICE_MS` the rest wait for the next immediate, so I/O is polled between. */
  private readonly flush = (): void => {
    const q = this.queue;
    const t0 = performance.now();
    let i = 0;
    while (i < q.length) {
      const p = q[i]!;
      let j = i + 1;
      if (p.rows > 0 && this.merge !== 'off') {
        let elements = p.elements;
        for (; j < q.length; j++) {
          const r = q[j]!;
          const total = elements + r.elements;
          if (r.rows === 0 || total > MERGE_MAX_ELEMENTS) break;
          // A merged call holds the loop too: not past the budget once a size has been measured over it (retried now and then).
          if ((this.cost.estimate(total) ?? 0) > this.budgetUs && ++this.overBudget % MERGE_RETRY_EVERY !== 0) break;
          if (!sameMergeShape(p.feeds, p.fetches, r.feeds, r.fetches)) break;
          elements += r.elements;
        }
      }
      if (j - i > 1) this.runMerged(q.slice(i, j));
      else this.runOne(p);
      i = j;
      if (performance.now() - t0 > FLUSH_SLICE_MS) break;
    }
    this.queue = q.slice(i);
    if (this.queue.length > 0) setImmediate(this.flush);
  };

  /** Runs one request alone; false when ORT rejected it (the request is rejected with ORT's message). */
  private runOne(p: PendingRun): boolean {
    try {
      p.resolve({ outputs: this.runNow(p.feeds, p.fetches, p.elements) });
      return true;
    } catch (err) {
      p.reject(invalidRequest(`model ${this.modelName}: ONNX Runtime rejected the request: ${messageOf(err)}`));
      return false;
    }
  }

  /** One ORT call for runs with the same inputs, trailing dims and outputs; each run alone when the merge cannot be trusted. */
  private runMerged(runs: PendingRun[]): void {
    const rows = runs.map((r) => r.rows);
    let parts: Tensor[][] | string;
    try {
      const elements = runs.reduce((n, r) => n + r.elements, 0);
      parts = splitOutputs(this.runNow(concatFeeds(runs.map((r) => r.feeds)), runs[0]!.fetches, elements), rows);
    } catch (err) {
      // One bad request (data ORT rejects, e.g. an index out of range) fails the whole merged call:
      // each request is answered alone, and merging stays on unless every one of them succeeds alone.
      let rejected = 0;
      for (const r of runs) if (!this.runOne(r)) rejected++;
      if (rejected === 0) this.stopMerging(`ONNX Runtime rejected the merged run but none of its requests alone (${messageOf(err)})`);
      return;
    }
    if (typeof parts === 'string') {
      this.stopMerging(parts);
      for (const r of runs) this.runOne(r);
      return;
    }
    this.merged.runs++;
    if (runs.length > this.merged.largest) this.merged.largest = runs.length;
    if (this.merge === 'verify' || this.merged.runs % RECHECK_EVERY === 0) {
      for (let k = 0; k < runs.length; k++) {
        const r = runs[k]!;
        let alone: Tensor[];
        try {
          alone = this.runNow(r.feeds, r.fetches, r.elements);
        } catch (err) {
          this.stopMerging(`a request ORT rejected alone was accepted merged (${messageOf(err)})`);
          r.reject(invalidRequest(`model ${this.modelName}: ONNX Runtime rejected the request: ${messageOf(err)}`));
          continue;
        }
        const diff = outputsDiffer(parts[k]!, alone);
        if (diff !== undefined) this.stopMerging(`a merged run answered differently from the same request alone: ${diff}`);
        r.resolve({ outputs: alone });
      }
      if (this.merge === 'verify' && ++this.verified >= VERIFY_MERGES) this.merge = 'on';
      // Later checks catch rows that only affect each other for traffic unlike the first merges'.
      return;
    }
    this.merged.requests += runs.length;
    for (let k = 0; k < runs.length; k++) runs[k]!.resolve({ outputs: parts[k]! });
  }

  private stopMerging(why: string): void {
    if (this.merge === 'off') return;
    this.merge = 'off';
    this.log.warn('requests are no longer merged into one ONNX Runtime run for this model', { reason: why });
  }

  private runNow(feeds: InlineFeed[], fetches: string[], elements: number): Tensor[] {
    const session = this.session;
    if (!session) throw new Error('the inline session was closed');
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const f of feeds) ortFeeds[f.name] = toOrtTensor(f.type, Array.isArray(f.data) ? decodeStrings(f.data) : f.data, f.dims);
    const t0 = performance.now();
    const results = session.run(ortFeeds, fetches);
    this.record(elements, Math.round((performance.now() - t0) * 1000), 'inline');
    return fetches.map((name) => {
      const { type, dims, data } = fromOrtValue(name, results[name]);
      return { name, datatype: oipDatatypeOf(type), shape: dims, data: type === 'string' ? encodeStrings(data as string[]) : (data as NumericArray) };
    });
  }

  /** Makes the queued runs, then releases the session. */
  async close(): Promise<void> {
    this.disabled = true;
    if (this.creating) await this.creating;
    while (this.queue.length > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    const s = this.session;
    this.session = undefined;
    s?.release();
  }

  private createSession(): void {
    if (this.disabled || this.session) return;
    try {
      this.session = new NativeSession(this.init);
    } catch (err) {
      this.disabled = true;
      this.log.warn('inline ONNX Runtime session could not be created; every run goes to the worker threads', { error: messageOf(err) });
    }
  }
}

function decodeStrings(items: readonly Uint8Array[]): string[] {
  const dec = new TextDecoder();
  return items.map((b) => dec.decode(b));
}

function encodeStrings(items: readonly string[]): Uint8Array[] {
  const enc = new TextEncoder();
  return items.map((s) => enc.encode(s));
}
