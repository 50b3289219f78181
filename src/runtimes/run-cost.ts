/**
 * Where a run should go: the measured cost of runs by input size, against a budget of how long the
 * event loop may be held by one run (ONNX inline runs, onnx/inline-runner.ts; offloaded JS models,
 * offload/offload-model.ts).
 *
 * Per size class (total input elements, rounded up to a power of two) an exponentially weighted
 * mean of the measured run time. The first measurement of a class (warm-up: ONNX Runtime plans
 * memory for a new shape, V8 has not optimised the code yet) is replaced by the second. Unknown
 * classes do not fit, so the first runs of a new size go to a worker and never block the loop.
 */

/** Weight of a new measurement in a size class's mean. */
const ALPHA = 0.25;

/** The size class of a run: ⌈log2(elements)⌉. */
export function sizeClass(elements: number): number {
  return elements <= 1 ? 0 : 32 - Math.clz32(Math.min(elements, 2 ** 31) - 1);
}

/** Total elements of a request's inputs (typed-array length, or BYTES element count). */
export function inputElements(inputs: readonly { data: { length: number } }[]): number {
  let n = 0;
  for (const t of inputs) n += t.data.length;
  return n;
}

export class RunCostModel {
  /** Runs recorded inline / on a worker (diagnostics and tests). */
  readonly counts = { inline: 0, worker: 0 };
  private readonly estimates = new Map<number, { us: number; n: number }>();

  /** `budgetUs`: 0 = nothing fits; Infinity = everything fits, measured or not. */
  constructor(readonly budgetUs: number) {}

  /** The estimate for `elements`, µs (undefined until a run of that class was measured). */
  estimate(elements: number): number | undefined {
    return this.estimates.get(sizeClass(elements))?.us;
  }

  /** Whether a run over `elements` input elements fits the budget. */
  fits(elements: number): boolean {
    if (this.budgetUs === Infinity) return true;
    if (!(this.budgetUs > 0)) return false;
    const e = this.estimates.get(sizeClass(elements));
    return e !== undefined && e.us <= this.budgetUs;
  }

  /** Feeds a run's measured time into the model. */
  record(elements: number, us: number, where: 'inline' | 'worker'): void {
    this.counts[where]++;
    const k = sizeClass(elements);
    const e = this.estimates.get(k);
    if (e === undefined) this.estimates.set(k, { us, n: 1 });
    else {
      e.us = e.n === 1 ? us : e.us + ALPHA * (us - e.us);
      e.n++;
    }
  }
}
