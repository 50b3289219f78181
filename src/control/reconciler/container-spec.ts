/**
 * Custom containers as processes: KServe's custom predictor (`predictor.containers`), and the
 * transformer and explainer components, whose `containers[0]` runs here as a command on this
 * machine (there are no images in embedded mode). What Kubernetes and KServe would do to the
 * container is done to the process:
 *
 * - `command: [kserve-ts, ...]` runs this same kserve-ts (the launcher); any other command runs
 *   as found on PATH, in the control plane's working directory.
 * - `$(VAR)` in command and args expands from the container's env and `PORT` (Kubernetes'
 *   dependent-variable rule; `$$` escapes, unknown names stay as written).
 * - `PORT` is the replica's HTTP port (Knative's convention); a `--http_port` argument is set to
 *   it, and for kserve-ts `--grpc_port` too, so a spec written for a pod's fixed port still runs.
 * - A transformer or explainer gets KServe's injected arguments (transformer_custom.go,
 *   explainer_custom.go): `--model_name` (when absent), `--protocol`, and `--predictor_host`
 *   pointing at the predictor through the gateway, whose `/serving/{ns}/{isvc}-predictor` path
 *   reaches the predictor's serving revision.
 * - Readiness from `readinessProbe.httpGet.path`; without one, kserve-ts replicas answer
 *   `/v2/health/ready` and other commands are ready when their port accepts TCP (Knative's default).
 * - `resources.limits.memory` becomes the replica's memory guard; `terminationGracePeriodSeconds`
 *   its stop grace.
 */
import type { ReplicaSpec } from '../drivers/driver.ts';
import type { StoredObject } from '../store/store.ts';
import type { Component } from './observe.ts';
import { podSettings } from './pod-settings.ts';
import { renderTemplate, type BuildOptions, type SpecProblem } from './replica-spec.ts';

type Obj = Record<string, unknown>;
const o = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

const HTTP_TOKEN = '$(KSERVE_TS_HTTP_PORT)';
const GRPC_TOKEN = '$(KSERVE_TS_GRPC_PORT)';
/** Kubernetes' `$(VAR)` expansion over `vars`; `$$` is a literal `$`; unknown references stay. */
export function expandVars(s: string, vars: Readonly<Record<string, string>>): string {
  return s.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (m, name: string | undefined) => (name === undefined ? '$' : (vars[name] ?? m)));
}

/** Sets `--flag=value` (replacing `--flag=x` or `--flag x` wherever it is), or appends it. */
function setFlag(args: string[], flag: string, value: string): string[] {
  const out: string[] = [];
  let found = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === flag) {
      out.push(`${flag}=${value}`);
      found = true;
      i++; // its value
    } else if (a.startsWith(`${flag}=`)) {
      out.push(`${flag}=${value}`);
      found = true;
    } else {
      out.push(a);
    }
  }
  if (!found) out.push(`${flag}=${value}`);
  return out;
}

const hasFlag = (args: readonly string[], flag: string): boolean => args.some((a) => a === flag || a.startsWith(`${flag}=`));

/** The container that serves: the one named `kserve-container`, else the first (KServe's rule). */
function servingContainer(containers: unknown): Obj | undefined {
  if (!Array.isArray(containers) || containers.length === 0) return undefined;
  return o(containers.find((c) => o(c).name === 'kserve-container') ?? containers[0]);
}

export interface ContainerBuildOptions extends BuildOptions {
  /** `host:port` of the gateway; a transformer's predictor is reached through it. */
  gatewayAddress?: string;
}

/** The ReplicaSpec of a component given as containers (revision left empty for the caller). */
export function buildContainerSpec(isvc: StoredObject, component: Component, opts: ContainerBuildOptions): ReplicaSpec | SpecProblem {
  const spec = o(o(isvc.spec)[component]);
  const field = `spec.${component}`;
  if (component === 'explainer' && spec.art !== undefined) {
    return { reason: 'InvalidPredictorSpec', message: `${field}.art: the ART explainer image cannot run in embedded mode; expected ${field}.containers with a command that serves :explain on $PORT` };
  }
  const container = servingContainer(spec.containers);
  if (!container) return { reason: 'InvalidPredictorSpec', message: `${field}.containers: expected at least one container with a command` };
  const command = strs(container.command);
  if (command.length === 0 || command[0] === '') {
    return {
      reason: 'InvalidPredictorSpec',
      message: `${field}.containers[0].command: not set (image ${JSON.stringify(container.image ?? '')}); embedded mode runs no images: expected a command on this machine, e.g. [kserve-ts, model-server, ...] or [python3, my_server.py]`,
    };
  }
  const env: Record<string, string> = {};
  for (const e of Array.isArray(container.env) ? container.env : []) {
    const v = o(e);
    if (typeof v.name === 'string' && typeof v.value === 'string') env[v.name] = renderTemplate(v.value, isvc.metadata);
  }
  const vars = { ...env, PORT: HTTP_TOKEN };
  const isKserveTs = command[0] === 'kserve-ts';
  let args = [...command.slice(1), ...strs(container.args)].map((a) => expandVars(renderTemplate(a, isvc.metadata), vars));
  if (isKserveTs || hasFlag(args, '--http_port')) args = setFlag(args, '--http_port', HTTP_TOKEN);
  if (isKserveTs || hasFlag(args, '--grpc_port')) args = setFlag(args, '--grpc_port', GRPC_TOKEN);
  if (component !== 'predictor') {
    if (!opts.gatewayAddress) return { reason: 'InvalidPredictorSpec', message: `${field}: a ${component} needs the gateway's address to reach its predictor; none is configured` };
    if (!hasFlag(args, '--model_name')) args.push(`--model_name=${isvc.metadata.name}`);
    args = setFlag(args, '--predictor_host', `${opts.gatewayAddress}/serving/${isvc.metadata.namespace ?? 'default'}/${isvc.metadata.name}-predictor`);
    if (!hasFlag(args, '--protocol')) args.push(`--protocol=${predictorProtocol(isvc)}`);
  }
  const probePath = o(o(container.readinessProbe).httpGet).path;
  const livePath = o(o(container.livenessProbe).httpGet).path;
  const out: ReplicaSpec = {
    revision: '',
    command: isKserveTs ? opts.launcher : command[0]!,
    args: isKserveTs ? [...(opts.launcherArgs ?? []), ...args] : args,
    env,
    cwd: opts.baseDir,
    ...podSettings(spec, container),
  };
  if (typeof probePath === 'string' && probePath.startsWith('/')) out.readinessPath = probePath;
  else if (isKserveTs) out.readinessPath = '/v2/health/ready';
  if (typeof livePath === 'string' && livePath.startsWith('/')) out.livenessPath = livePath;
  else if (isKserveTs) out.livenessPath = '/v2/health/live';
  return out;
}

/** The protocol a transformer speaks to its predictor: the predictor model's `protocolVersion` (REST form), default v1. */
function predictorProtocol(isvc: StoredObject): 'v1' | 'v2' {
  const p = o(o(o(isvc.spec).predictor).model).protocolVersion;
  return p === 'v2' || p === 'grpc-v2' ? 'v2' : 'v1';
}
