/**
 * Runs that are too small to be worth a thread hop run on the event-loop thread.
 *
 * Handing a run to a worker thread and back costs the event loop ≈ 7 µs of CPU and the request
 * ≈ 100 µs of latency on a busy 2-core machine (two thread wake-ups); the iris classifier's own
 * run takes ≈ 5 µs. So a model keeps a second, inline session (created the first time a run
 * qualifies) and each run goes where it is cheapest:
 *
 * - The cost model (../run-cost.ts) keeps, per input size class, a mean of how long ONNX Runtime
 *   took (measured in the worker or inline; session-io.ts `timedRun`). The first measurement of a
 *   class (ORT plans memory for a new shape, ≈ 300 µs for iris) is replaced by the second.
 * - A run goes inline when its class's estimate is at most `budgetUs` (default 100 µs): the
 *   longest the event loop may be held by one run. Unknown classes go to the worker first, so a
 *   big model or a big batch never blocks the loop; one slow inline run (data-dependent cost)
 *   raises the estimate and sends the class back to the workers.
 * - Only models up to `maxModelBytes` get an inline session (its creation blocks the loop once,
 *   and it holds a second copy of the weights).
 *
 * `budgetUs = 0` turns inline runs off; `Infinity` runs everything inline (tests).
 */
import type { Logger } from '../../core/logger.ts';
import { RunCostModel } from '../run-cost.ts';
import type { NumericArray } from '../../protocol/datatype.ts';
import type { Tensor } from '../../protocol/tensor.ts';
import { oipDatatypeOf, type OrtTensorType } from './datatypes.ts';
import { type Session, type SessionInit, createSession, fromOrtValue, messageOf, timedRun, toOrtTensor } from './session-io.ts';
import type * as ort from 'onnxruntime-node';

/** A validated input, ready for ORT. */
export interface InlineFeed {
  name: string;
  type: OrtTensorType;
  dims: number[];
  data: NumericArray | Uint8Array[];
}

export class InlineRunner {
  private readonly cost: RunCostModel;
  private session: Session | undefined;
  private creating: Promise<void> | undefined;
  private disabled: boolean;
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly init: SessionInit,
    private readonly budgetUs: number,
    eligible: boolean,
    private readonly log: Logger,
  ) {
    this.disabled = !eligible || !(budgetUs > 0);
    this.cost = new RunCostModel(budgetUs);
  }

  /** Runs done inline / counted from the workers (diagnostics and tests). */
  get counts(): Readonly<{ inline: number; worker: number }> {
    return this.cost.counts;
  }

  /** With an infinite budget the session is made up front, so the first run already goes inline. */
  async open(): Promise<void> {
    if (!this.disabled && this.budgetUs === Infinity) await this.createSession();
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
    this.creating ??= this.createSession();
    return false;
  }

  /** Feeds a run's measured time (from a worker or inline) into the cost model. */
  record(elements: number, us: number, where: 'inline' | 'worker'): void {
    this.cost.record(elements, us, where);
  }

  /** Runs on this thread; outputs in `fetches` order. ORT's errors are thrown as they come. */
  async run(feeds: InlineFeed[], fetches: string[], elements: number): Promise<Tensor[]> {
    const session = this.session!;
    const p = this.runOn(session, feeds, fetches, elements);
    this.running.add(p);
    try {
      return await p;
    } finally {
      this.running.delete(p);
    }
  }

  /** Waits for inline runs in progress, then releases the session. */
  async close(): Promise<void> {
    this.disabled = true;
    if (this.creating) await this.creating;
    await Promise.allSettled([...this.running]);
    const s = this.session;
    this.session = undefined;
    if (s) await s.release();
  }

  private async runOn(session: Session, feeds: InlineFeed[], fetches: string[], elements: number): Promise<Tensor[]> {
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const f of feeds) ortFeeds[f.name] = toOrtTensor(f.type, Array.isArray(f.data) ? decodeStrings(f.data) : f.data, f.dims);
    const { results, us } = await timedRun(session, ortFeeds, fetches);
    this.record(elements, us, 'inline');
    return fetches.map((name) => {
      const { type, dims, data } = fromOrtValue(name, results[name]);
      return { name, datatype: oipDatatypeOf(type), shape: dims, data: type === 'string' ? encodeStrings(data as string[]) : (data as NumericArray) };
    });
  }

  private async createSession(): Promise<void> {
    try {
      const created = await createSession({ ...this.init, intraOpThreads: 1 });
      if (this.disabled) await created.session.release();
      else this.session = created.session;
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
