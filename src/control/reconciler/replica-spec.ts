/**
 * From an InferenceService and its chosen runtime to the driver's ReplicaSpec: the runtime's first
 * container with KServe's Go-template arguments rendered, `--model_dir` pointing at the model's
 * local path, the HTTP port left to the driver and a gRPC port argument added. The spec's hash
 * (without the revision) decides whether a new revision is needed.
 */
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { isAbsolute, resolve } from 'node:path';
import type { ReplicaSpec } from '../drivers/driver.ts';
import type { RuntimeObject } from '../../api/index.ts';
import type { StoredObject } from '../store/store.ts';
import { podSettings } from './pod-settings.ts';

type Obj = Record<string, unknown>;
const o = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});

/** Why a spec could not be built: a status reason and message, not an exception. */
export interface SpecProblem {
  /** `InvalidPredictorSpec`, `StorageUriNotSupported`, or a runtime selection reason (`NoSupportingRuntime`, ...). */
  reason: string;
  message: string;
}

/**
 * Renders KServe's container templates: `{{.Name}}`, `{{.Namespace}}`, `{{.Labels.key}}`,
 * `{{.Annotations.key}}` (spaces inside the braces allowed). An unknown field renders empty, as
 * Go's text/template does with a missing map key on ObjectMeta.
 */
export function renderTemplate(s: string, meta: StoredObject['metadata']): string {
  return s.replace(/\{\{\s*\.(\w+)(?:\.([\w./-]+))?\s*\}\}/g, (_m, field: string, key: string | undefined) => {
    if (field === 'Name' && key === undefined) return meta.name;
    if (field === 'Namespace' && key === undefined) return meta.namespace ?? '';
    if (field === 'Labels' && key !== undefined) return meta.labels?.[key] ?? '';
    if (field === 'Annotations' && key !== undefined) return meta.annotations?.[key] ?? '';
    return '';
  });
}

/**
 * The local directory of a `storageUri`: `file:///abs`, `file://rel` and plain paths (relative
 * ones against `baseDir`). Other schemes are a problem until the storage initializer exists.
 */
export function localModelDir(uri: string, baseDir: string): string | SpecProblem {
  if (uri.startsWith('file://')) {
    if (uri.startsWith('file:///')) return fileURLToPath(uri);
    return resolve(baseDir, uri.slice('file://'.length));
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri)) {
    const scheme = uri.slice(0, uri.indexOf('://'));
    return { reason: 'StorageUriNotSupported', message: `storageUri "${uri}": scheme "${scheme}://" is not supported yet in embedded mode: expected file:// or a local path` };
  }
  return isAbsolute(uri) ? uri : resolve(baseDir, uri);
}

export interface BuildOptions {
  /** The kserve-ts launcher (the runtime container's `command` is replaced by it). */
  launcher: string;
  /** Arguments before the runtime's (e.g. the launcher's script); default none. */
  launcherArgs?: readonly string[];
  /** Base for relative model paths. */
  baseDir: string;
  /** The model's local directory when the storage initializer fetched it (remote storageUris). */
  modelDir?: string;
}

/** Builds the ReplicaSpec (revision left empty: the caller names it from the hash). */
export function buildReplicaSpec(isvc: StoredObject, runtime: RuntimeObject, opts: BuildOptions): ReplicaSpec | SpecProblem {
  const containers = o(runtime.spec).containers;
  const container = Array.isArray(containers) ? o(containers[0]) : undefined;
  if (!container) return { reason: 'InvalidPredictorSpec', message: `runtime "${String(o(runtime.metadata).name)}" has no spec.containers[0]` };
  const model = o(o(o(isvc.spec).predictor).model);
  const uri = typeof model.storageUri === 'string' ? model.storageUri : undefined;
  if (uri === undefined) return { reason: 'InvalidPredictorSpec', message: 'spec.predictor.model.storageUri is not set: expected file:// or a local path to the model' };
  const modelDir = opts.modelDir ?? localModelDir(uri, opts.baseDir);
  if (typeof modelDir !== 'string') return modelDir;

  const rawArgs = [...(Array.isArray(container.args) ? container.args.map(String) : []), ...(Array.isArray(model.args) ? model.args.map(String) : [])];
  const args = rawArgs
    .map((a) => renderTemplate(a, isvc.metadata))
    .filter((a) => !a.startsWith('--model_dir=') && !a.startsWith('--http_port=') && !a.startsWith('--grpc_port='));
  args.push(`--model_dir=${modelDir}`, '--http_port=$(KSERVE_TS_HTTP_PORT)', '--grpc_port=$(KSERVE_TS_GRPC_PORT)');

  const env: Record<string, string> = {};
  for (const e of [...arr(container.env), ...arr(model.env)]) {
    const v = o(e);
    if (typeof v.name === 'string' && typeof v.value === 'string') env[v.name] = renderTemplate(v.value, isvc.metadata);
  }
  return {
    revision: '',
    command: opts.launcher,
    args: [...(opts.launcherArgs ?? []), 'model-server', ...args],
    env,
    readinessPath: '/v2/health/ready',
    livenessPath: '/v2/health/live',
    ...podSettings(o(o(isvc.spec).predictor), model),
  };
}

const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** A short stable hash of everything that makes a revision (the spec without its name). */
export function specHash(spec: ReplicaSpec): string {
  return createHash('sha256').update(JSON.stringify(canonical({ ...spec, revision: '' }))).digest('hex').slice(0, 16);
}

/** Objects with their keys sorted, so the hash does not depend on key order. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Obj)[k])]));
}
