/**
 * KServe's ComponentExtensionSpec checks (component.go `Validate`): replicas, concurrency, logger;
 * plus the bounds KServe leaves to Knative or to the agent, checked here so a bad value is an
 * admission error rather than a failed rollout: canaryTrafficPercent in [0, 100], positive batcher
 * numbers.
 */
import type { FieldError } from '../registry.ts';
import { child } from '../schema/path.ts';
import { LOGGER_MODES } from '../schemas/component.ts';
import { numAt, objAt, type Obj } from './components.ts';
import { invalid, notSupported, required } from '../field-errors.ts';

function replicas(path: string, ext: Obj): FieldError[] {
  const min = numAt(ext, 'minReplicas') ?? 1;
  const max = numAt(ext, 'maxReplicas') ?? 0;
  const errors: FieldError[] = [];
  if (min < 0) errors.push(invalid(child(path, 'minReplicas'), min, "'MinReplicas' cannot be less than 0"));
  if (max < 0) errors.push(invalid(child(path, 'maxReplicas'), max, "'MaxReplicas' cannot be less than 0"));
  // maxReplicas 0 means "no maximum" (KServe and Knative both read it so).
  if (max > 0 && min > max) errors.push(invalid(child(path, 'minReplicas'), min, `'MinReplicas' cannot be greater than MaxReplicas (${max})`));
  return errors;
}

function logger(path: string, ext: Obj): FieldError[] {
  const log = objAt(ext, 'logger');
  if (!log) return [];
  const at = child(path, 'logger');
  const errors: FieldError[] = [];
  const mode = log.mode;
  // KServe rejects a logger without a mode ("invalid logger type"): there is no default.
  if (mode === undefined || mode === '') errors.push(required(child(at, 'mode'), `one of ${LOGGER_MODES.join(', ')}`));
  else if (!LOGGER_MODES.includes(mode as (typeof LOGGER_MODES)[number])) errors.push(notSupported(child(at, 'mode'), mode, LOGGER_MODES));
  const storage = objAt(log, 'storage');
  if (storage) {
    for (const key of ['path', 'parameters', 'key']) {
      if (storage[key] === undefined) errors.push(required(child(at, `storage.${key}`), 'logger storage needs path, parameters and key'));
    }
  }
  const batchSize = numAt(log, 'batchSize');
  if (batchSize !== undefined && batchSize < 1) errors.push(invalid(child(at, 'batchSize'), batchSize, 'must be at least 1'));
  return errors;
}

function batcher(path: string, ext: Obj): FieldError[] {
  const b = objAt(ext, 'batcher');
  if (!b) return [];
  const errors: FieldError[] = [];
  for (const key of ['maxBatchSize', 'maxLatency', 'timeout']) {
    const v = numAt(b, key);
    if (v !== undefined && v < 1) errors.push(invalid(child(path, `batcher.${key}`), v, 'must be greater than 0'));
  }
  return errors;
}

/** The ComponentExtensionSpec errors of the component at `path` (e.g. `spec.predictor`). */
export function validateExtension(path: string, ext: Obj): FieldError[] {
  const errors = [...replicas(path, ext), ...logger(path, ext), ...batcher(path, ext)];
  const cc = numAt(ext, 'containerConcurrency');
  if (cc !== undefined && cc < 0) errors.push(invalid(child(path, 'containerConcurrency'), cc, 'parallelism cannot be less than 0'));
  const pct = numAt(ext, 'canaryTrafficPercent');
  if (pct !== undefined && (pct < 0 || pct > 100)) errors.push(invalid(child(path, 'canaryTrafficPercent'), pct, 'must be between 0 and 100'));
  const timeout = numAt(ext, 'timeout');
  if (timeout !== undefined && timeout < 1) errors.push(invalid(child(path, 'timeout'), timeout, 'must be at least 1 second'));
  return errors;
}
