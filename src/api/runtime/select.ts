/**
 * Runtime selection for an InferenceService predictor, exactly as KServe's controller does it
 * (`reconcileModel` in components/predictor.go, `GetSupportingRuntimes` and the sorts in
 * predictor_model.go). The outcome is written to status by the reconciler; a failure is a status
 * reason, never an admission error (as in KServe).
 *
 * Worked example: model `{modelFormat: {name: sklearn, version: "1"}}`, no protocolVersion (so v1),
 * no runtime. Namespace runtime `my-sk` (sklearn:1, autoSelect, priority 2, protocols [v2]) does
 * not speak v1 and is skipped. Cluster runtimes `kserve-sklearnserver` (sklearn:1 autoSelect
 * priority 1, [v1, v2]) and `kserve-mlserver` (sklearn:1 autoSelect priority 2, [v2]) are
 * filtered the same way: only kserve-sklearnserver is left, so it is chosen, and the protocol
 * stays v1. With protocolVersion v2, my-sk (namespace runtimes come first) would be chosen.
 */
import { isObject, text } from '../schema/path.ts';
import type { RuntimeObject } from './builtin.ts';

/** Why no runtime could be chosen (the InferenceService's `modelStatus.lastFailureInfo.reason`). */
export type SelectionFailureReason = 'RuntimeNotRecognized' | 'RuntimeDisabled' | 'NoSupportingRuntime';

/** The outcome of selectRuntime. */
export type RuntimeSelection =
  | { runtime: RuntimeObject; name: string; kind: 'ServingRuntime' | 'ClusterServingRuntime'; protocolVersion: string }
  | { error: { reason: SelectionFailureReason; message: string } };

type Obj = Record<string, unknown>;

const PROTOCOL_RANK: Readonly<Record<string, number>> = { v1: 1, v2: 2, 'grpc-v1': 3, 'grpc-v2': 4 };
const UNKNOWN_RANK = 5;

const o = (v: unknown): Obj => (isObject(v) ? v : {});
const specOf = (rt: RuntimeObject): Obj => o(rt.spec);
const nameOf = (rt: RuntimeObject): string => text(o(rt.metadata).name);
const formatsOf = (rt: RuntimeObject): Obj[] => (Array.isArray(specOf(rt).supportedModelFormats) ? (specOf(rt).supportedModelFormats as unknown[]).map(o) : []);
const protocolsOf = (rt: RuntimeObject): string[] => (Array.isArray(specOf(rt).protocolVersions) ? (specOf(rt).protocolVersions as unknown[]).map(String) : []);

/** GetProtocolVersionPriority: the rank of the runtime's lowest protocol (unknown when it lists none). */
function lowestProtocolRank(rt: RuntimeObject): number {
  const ranks = protocolsOf(rt).map((p) => PROTOCOL_RANK[p] ?? UNKNOWN_RANK);
  return ranks.length === 0 ? UNKNOWN_RANK : Math.min(...ranks);
}

function created(rt: RuntimeObject): number {
  const t = Date.parse(text(o(rt.metadata).creationTimestamp));
  return Number.isNaN(t) ? 0 : t;
}

/** sortServingRuntimeList: lowest protocol first, then newest, then by name. */
function byProtocolAgeName(a: RuntimeObject, b: RuntimeObject): number {
  return lowestProtocolRank(a) - lowestProtocolRank(b) || created(b) - created(a) || (nameOf(a) < nameOf(b) ? -1 : nameOf(a) > nameOf(b) ? 1 : 0);
}

/** GetPriority: the priority of the first supported format with this name (any version). */
function priorityFor(rt: RuntimeObject, format: string): number | undefined {
  const f = formatsOf(rt).find((x) => x.name === format);
  return typeof f?.priority === 'number' ? f.priority : undefined;
}

/** Whether the runtime's format labels (`mt:name`, `mt:name:version`) include the model's. */
function supportsModel(rt: RuntimeObject, format: string, version: string | undefined, named: boolean): boolean {
  const want = version === undefined ? `mt:${format}` : `mt:${format}:${version}`;
  return formatsOf(rt).some((f) => {
    if (!named && f.autoSelect !== true) return false; // only autoSelect formats count unless the runtime is named
    return `mt:${text(f.name)}` === want || (f.version !== undefined && `mt:${text(f.name)}:${text(f.version)}` === want);
  });
}

function supportsProtocol(rt: RuntimeObject, protocol: string): boolean {
  const list = protocolsOf(rt);
  return list.length === 0 || list.includes(protocol);
}

/** Orders candidates as KServe: the list sort, then a stable sort by descending priority (set beats unset). */
function ordered(runtimes: RuntimeObject[], format: string): RuntimeObject[] {
  const sorted = [...runtimes].sort(byProtocolAgeName);
  return sorted
    .map((rt, i) => ({ rt, i, p: priorityFor(rt, format) }))
    .sort((a, b) => (a.p === undefined ? (b.p === undefined ? a.i - b.i : 1) : b.p === undefined ? -1 : b.p - a.p || a.i - b.i))
    .map((x) => x.rt);
}

function chosen(rt: RuntimeObject, kind: 'ServingRuntime' | 'ClusterServingRuntime', explicit: string | undefined): RuntimeSelection {
  // An unset protocol takes the runtime's lowest; a runtime listing none leaves v1 (KServe's default).
  const lowest = Object.entries(PROTOCOL_RANK).find(([, r]) => r === lowestProtocolRank(rt))?.[0] ?? 'v1';
  return { runtime: rt, name: nameOf(rt), kind, protocolVersion: explicit ?? lowest };
}

/**
 * Chooses the runtime for `isvc`'s `spec.predictor.model` among the namespace's ServingRuntimes
 * and the ClusterServingRuntimes, or says why none fits.
 */
export function selectRuntime(isvc: Obj, namespaceRuntimes: readonly RuntimeObject[], clusterRuntimes: readonly RuntimeObject[]): RuntimeSelection {
  const predictor = o(o(isvc.spec).predictor);
  const model = isObject(predictor.model) ? predictor.model : undefined;
  if (!model) return { error: { reason: 'NoSupportingRuntime', message: 'spec.predictor.model is not set: only a model predictor runs on a ServingRuntime' } };
  const format = text(o(model.modelFormat).name);
  const version = typeof o(model.modelFormat).version === 'string' ? (o(model.modelFormat).version as string) : undefined;
  const explicitProtocol = typeof model.protocolVersion === 'string' ? model.protocolVersion : undefined;
  const protocol = explicitProtocol ?? 'v1';
  const multiNode = predictor.workerSpec !== undefined;
  const label = version === undefined ? format : `${format}:${version}`;

  if (typeof model.runtime === 'string') {
    const name = model.runtime;
    const ns = namespaceRuntimes.find((r) => nameOf(r) === name);
    const rt = ns ?? clusterRuntimes.find((r) => nameOf(r) === name);
    const kind = ns ? 'ServingRuntime' : 'ClusterServingRuntime';
    if (!rt) return { error: { reason: 'RuntimeNotRecognized', message: `No ServingRuntimes or ClusterServingRuntimes with the name: ${name} (waiting for runtime to become available)` } };
    if (specOf(rt).disabled === true) return { error: { reason: 'RuntimeDisabled', message: `Specified runtime ${name} is disabled` } };
    if (explicitProtocol !== undefined && !supportsProtocol(rt, explicitProtocol)) {
      return { error: { reason: 'NoSupportingRuntime', message: `Specified runtime ${name} does not support protocol version ${explicitProtocol} (it supports ${protocolsOf(rt).join(', ')})` } };
    }
    if (!supportsModel(rt, format, version, true)) return { error: { reason: 'NoSupportingRuntime', message: `Specified runtime ${name} does not support model format ${label}` } };
    return chosen(rt, kind, explicitProtocol);
  }

  const fits = (rt: RuntimeObject): boolean =>
    specOf(rt).disabled !== true && specOf(rt).multiModel !== true && (specOf(rt).workerSpec !== undefined) === multiNode && supportsModel(rt, format, version, false) && supportsProtocol(rt, protocol);
  const ns = ordered(namespaceRuntimes.filter(fits), format);
  if (ns[0]) return chosen(ns[0], 'ServingRuntime', explicitProtocol);
  const cluster = ordered(clusterRuntimes.filter(fits), format);
  if (cluster[0]) return chosen(cluster[0], 'ClusterServingRuntime', explicitProtocol);
  return { error: { reason: 'NoSupportingRuntime', message: `No runtime found to support model format ${label} with protocol ${protocol}${multiNode ? ' (multi-node)' : ''}: no enabled ServingRuntime or ClusterServingRuntime lists it with autoSelect` } };
}
