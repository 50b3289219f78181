/**
 * What a pod spec and its container say about running a replica, in driver terms: the memory
 * limit (Kubernetes quantity → bytes, for the driver's OOM guard) and the stop grace period.
 */
import type { ReplicaSpec } from '../drivers/driver.ts';

type Obj = Record<string, unknown>;
const o = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});

const BINARY_SUFFIX: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL_SUFFIX: Record<string, number> = { m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** A Kubernetes resource quantity (`512Mi`, `1G`, `1e9`, `1500m`) in whole units, rounded up; undefined when it is not one. */
export function parseQuantity(q: unknown): number | undefined {
  if (typeof q === 'number') return Number.isFinite(q) && q >= 0 ? Math.ceil(q) : undefined;
  if (typeof q !== 'string') return undefined;
  const m = /^\+?((?:\d+(?:\.\d*)?)|(?:\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/.exec(q.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const suffix = m[2] ?? '';
  const factor = BINARY_SUFFIX[suffix] ?? DECIMAL_SUFFIX[suffix] ?? (/^[eE]/.test(suffix) ? 10 ** Number(suffix.slice(1)) : undefined);
  return factor === undefined ? undefined : Math.ceil(n * factor);
}

/** The driver settings a pod spec and container imply: memory limit and stop grace period. */
export function podSettings(componentSpec: Obj, container: Obj): Pick<ReplicaSpec, 'memoryLimitBytes' | 'terminationGracePeriodMs'> {
  const out: Pick<ReplicaSpec, 'memoryLimitBytes' | 'terminationGracePeriodMs'> = {};
  const memory = parseQuantity(o(o(container.resources).limits).memory);
  if (memory !== undefined && memory > 0) out.memoryLimitBytes = memory;
  const grace = componentSpec.terminationGracePeriodSeconds;
  if (typeof grace === 'number' && Number.isInteger(grace) && grace >= 0) out.terminationGracePeriodMs = grace * 1000;
  return out;
}
