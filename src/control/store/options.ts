/**
 * Options every Store implementation takes, parsed and validated once, then frozen.
 */
import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '../../core/clock.ts';
import { invalid } from './errors.ts';

export interface StoreOptions {
  /** Watch history kept, in events (default 10,000): a watch from an older version gets Gone (410). */
  historySize?: number;
  /** Live events queued per watcher before it falls back to reading history (default 1,000). */
  maxQueuedEvents?: number;
  /** Events per history page when a watcher replays (default 500). */
  replayPageSize?: number;
  /** Time for creationTimestamp (default the system clock). */
  clock?: Clock;
  /** uid for new objects (default crypto.randomUUID). */
  newUid?: () => string;
}

export type ResolvedStoreOptions = Readonly<Required<StoreOptions>>;

export const STORE_DEFAULTS = Object.freeze({ historySize: 10_000, maxQueuedEvents: 1_000, replayPageSize: 500 });

function positiveInt(name: string, v: number | undefined, dflt: number, max: number): number {
  if (v === undefined) return dflt;
  if (!Number.isSafeInteger(v) || v < 1 || v > max) throw invalid(name, v, `expected an integer from 1 to ${max}`);
  return v;
}

/** Applies defaults and checks ranges; errors name the option, the value and the valid range. */
export function resolveStoreOptions(o: StoreOptions = {}): ResolvedStoreOptions {
  return Object.freeze({
    historySize: positiveInt('historySize', o.historySize, STORE_DEFAULTS.historySize, 10_000_000),
    maxQueuedEvents: positiveInt('maxQueuedEvents', o.maxQueuedEvents, STORE_DEFAULTS.maxQueuedEvents, 1_000_000),
    replayPageSize: positiveInt('replayPageSize', o.replayPageSize, STORE_DEFAULTS.replayPageSize, 100_000),
    clock: o.clock ?? systemClock,
    newUid: o.newUid ?? randomUUID,
  });
}
