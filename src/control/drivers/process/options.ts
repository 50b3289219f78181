/**
 * ProcessDriver options: defaults, validation (messages name the key, the value and the range) and
 * freezing, once, at construction. Durations are in milliseconds; the Kubernetes values are the
 * defaults, tests scale them down.
 */
import type { Clock } from '../../../core/clock.ts';
import { systemClock } from '../../../core/clock.ts';
import type { Logger } from '../../../core/logger.ts';
import { silentLogger } from '../../../core/logger.ts';

export interface ProcessDriverOptions {
  /** Where logs (`logs/`) and pid records (`replicas/`) live; usually `kserve-ts up`'s data dir. */
  dataDir: string;
  log?: Logger;
  clock?: Clock;
  /** Readiness poll interval while a replica starts (default 50). */
  readinessIntervalMs?: number;
  /** Liveness poll interval while a replica is Ready (default 1,000; Kubernetes' periodSeconds is 10). */
  livenessIntervalMs?: number;
  /** Consecutive liveness failures that restart a replica (default 3, as Kubernetes). */
  livenessFailureThreshold?: number;
  /** How long one probe may take (default 1,000, as Kubernetes' timeoutSeconds). */
  probeTimeoutMs?: number;
  /** RSS sampling interval of the memory guard (default 250). */
  memoryIntervalMs?: number;
  /** First restart delay after a crash (default 1,000); doubles with each consecutive crash. */
  backoffBaseMs?: number;
  /** Restart delay cap (default 10,000). */
  backoffCapMs?: number;
  /** Consecutive crashes after which the phase is CrashLoopBackOff rather than Failed (default 2). */
  crashLoopAfter?: number;
  /** A replica that ran this long before crashing starts the backoff over (default 60,000). */
  backoffResetMs?: number;
  /** Grace period when the spec gives none (default 30,000, as Kubernetes). */
  defaultGracePeriodMs?: number;
  /** Log lines kept in `lastExit.logTail` (default 20). */
  logTailLines?: number;
}

export type ResolvedOptions = Readonly<Required<ProcessDriverOptions>>;

const DEFAULTS = {
  readinessIntervalMs: 50,
  livenessIntervalMs: 1_000,
  livenessFailureThreshold: 3,
  probeTimeoutMs: 1_000,
  memoryIntervalMs: 250,
  backoffBaseMs: 1_000,
  backoffCapMs: 10_000,
  crashLoopAfter: 2,
  backoffResetMs: 60_000,
  defaultGracePeriodMs: 30_000,
  logTailLines: 20,
} as const;

/** Ranges for the numeric options: [min, max], integers. */
const RANGES: Readonly<Record<keyof typeof DEFAULTS, readonly [number, number]>> = {
  readinessIntervalMs: [1, 60_000],
  livenessIntervalMs: [1, 600_000],
  livenessFailureThreshold: [1, 1_000],
  probeTimeoutMs: [1, 600_000],
  memoryIntervalMs: [1, 600_000],
  backoffBaseMs: [0, 3_600_000],
  backoffCapMs: [0, 3_600_000],
  crashLoopAfter: [1, 1_000],
  backoffResetMs: [0, 86_400_000],
  defaultGracePeriodMs: [0, 3_600_000],
  logTailLines: [0, 10_000],
};

/** Fills defaults and validates; throws an Error naming the option, its value and the expected range. */
export function resolveOptions(opts: ProcessDriverOptions): ResolvedOptions {
  if (typeof opts.dataDir !== 'string' || opts.dataDir === '') {
    throw new Error(`ProcessDriver option dataDir: got ${JSON.stringify(opts.dataDir)}, expected a non-empty directory path`);
  }
  const out: Record<string, unknown> = { dataDir: opts.dataDir, log: opts.log ?? silentLogger, clock: opts.clock ?? systemClock };
  for (const key of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]) {
    const v = opts[key] ?? DEFAULTS[key];
    const [min, max] = RANGES[key];
    if (!Number.isInteger(v) || v < min || v > max) {
      throw new Error(`ProcessDriver option ${key}: got ${JSON.stringify(v)}, expected an integer from ${min} to ${max}`);
    }
    out[key] = v;
  }
  if ((out.backoffCapMs as number) < (out.backoffBaseMs as number)) {
    throw new Error(`ProcessDriver option backoffCapMs: got ${String(out.backoffCapMs)}, expected at least backoffBaseMs (${String(out.backoffBaseMs)})`);
  }
  return Object.freeze(out as Required<ProcessDriverOptions>);
}

/** Restart delay after the n-th consecutive crash (kubelet: 10 s doubling to 5 min; ours is configurable). */
export { backoffDelayMs } from '../../../core/backoff.ts';
