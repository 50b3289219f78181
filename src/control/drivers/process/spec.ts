/** Validation of what the reconciler hands the driver: errors name the field, the value and what was expected. */
import type { ReplicaSpec } from '../driver.ts';

/** Revision ids become file names: DNS-1123-ish segments joined by '/' (so '/' → '_' cannot collide). */
const REVISION = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(\/[a-z0-9]([a-z0-9.-]*[a-z0-9])?)*$/;

function bad(field: string, value: unknown, expected: string): Error {
  return new Error(`ReplicaSpec ${field}: got ${JSON.stringify(value)}, expected ${expected}`);
}

/** Throws on the first invalid field of `spec`, or on a replica count that is not a non-negative integer. */
export function validateSpec(spec: ReplicaSpec, replicas: number): void {
  if (typeof spec.revision !== 'string' || !REVISION.test(spec.revision) || spec.revision.length > 512) {
    throw bad('revision', spec.revision, "lowercase DNS-1123 segments joined by '/' (e.g. default/iris/predictor/iris-predictor-00001)");
  }
  if (typeof spec.command !== 'string' || spec.command === '') throw bad('command', spec.command, 'a non-empty executable path or name');
  if (!Array.isArray(spec.args) || spec.args.some((a) => typeof a !== 'string')) throw bad('args', spec.args, 'an array of strings');
  if (typeof spec.env !== 'object' || spec.env === null || Object.values(spec.env).some((v) => typeof v !== 'string')) {
    throw bad('env', spec.env, 'an object of string values');
  }
  if (spec.readinessPath !== undefined && (typeof spec.readinessPath !== 'string' || !spec.readinessPath.startsWith('/'))) throw bad('readinessPath', spec.readinessPath, "a path starting with '/'");
  if (spec.livenessPath !== undefined && (typeof spec.livenessPath !== 'string' || !spec.livenessPath.startsWith('/'))) {
    throw bad('livenessPath', spec.livenessPath, "a path starting with '/'");
  }
  if (spec.memoryLimitBytes !== undefined && (!Number.isSafeInteger(spec.memoryLimitBytes) || spec.memoryLimitBytes <= 0)) {
    throw bad('memoryLimitBytes', spec.memoryLimitBytes, 'a positive integer');
  }
  if (spec.terminationGracePeriodMs !== undefined && (!Number.isSafeInteger(spec.terminationGracePeriodMs) || spec.terminationGracePeriodMs < 0)) {
    throw bad('terminationGracePeriodMs', spec.terminationGracePeriodMs, 'a non-negative integer');
  }
  if (spec.cwd !== undefined && (typeof spec.cwd !== 'string' || spec.cwd === '')) throw bad('cwd', spec.cwd, 'a non-empty directory path');
  if (!Number.isSafeInteger(replicas) || replicas < 0 || replicas > 10_000) {
    throw new Error(`replicas for revision ${spec.revision}: got ${JSON.stringify(replicas)}, expected an integer from 0 to 10000`);
  }
}

/** A canonical form of the spec (sorted keys), to tell "same revision, same spec" from a changed one. */
export function canonicalSpec(spec: ReplicaSpec): string {
  return JSON.stringify(spec, (_k, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );
}
