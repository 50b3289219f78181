/**
 * Every kind the API server serves, and lookups by the names kubectl and clients use: group +
 * plural (URLs), kind (manifests), and plural / singular / short name / `name.group` (the
 * command line: `isvc`, `inferenceservices`, `isvc.serving.kserve.io`).
 */
import type { ResourceKind } from '../registry.ts';
import { eventKind, namespaceKind, secretKind, serviceAccountKind } from './core.ts';
import { inferenceGraphKind } from './inference-graph.ts';
import { inferenceServiceKind } from './inference-service.ts';
import { clusterServingRuntimeKind, servingRuntimeKind } from './serving-runtime.ts';
import { trainedModelKind } from './trained-model.ts';

/** Builds a fresh list of every kind (callers may not share mutable schema objects). */
export function allKinds(): ResourceKind[] {
  return [inferenceServiceKind(), servingRuntimeKind(), clusterServingRuntimeKind(), inferenceGraphKind(), trainedModelKind(), namespaceKind(), eventKind(), secretKind(), serviceAccountKind()];
}

/** The version marked `storage: true` (exactly one per kind). */
export function storageVersion(kind: ResourceKind): string {
  const v = kind.versions.find((x) => x.storage);
  if (!v) throw new Error(`kind ${kind.kind} has no storage version`);
  return v.name;
}

/** The kind served at `/apis/<group>/<version>/.../<plural>` (core: group ""), or undefined. */
export function kindByGroupPlural(kinds: readonly ResourceKind[], group: string, plural: string): ResourceKind | undefined {
  return kinds.find((k) => k.group === group && k.plural === plural);
}

/** The kind of a manifest's `apiVersion` group and `kind`, or undefined. */
export function kindByKind(kinds: readonly ResourceKind[], group: string, kind: string): ResourceKind | undefined {
  return kinds.find((k) => k.group === group && k.kind === kind);
}

/**
 * The kind a command-line resource name means, as kubectl resolves it: plural, singular, short
 * name or kind, case-insensitive, optionally qualified by `.group` (`isvc.serving.kserve.io`).
 */
export function kindByName(kinds: readonly ResourceKind[], name: string): ResourceKind | undefined {
  const lower = name.toLowerCase();
  const dot = lower.indexOf('.');
  const bare = dot < 0 ? lower : lower.slice(0, dot);
  const group = dot < 0 ? undefined : lower.slice(dot + 1);
  return kinds.find(
    (k) =>
      (group === undefined || k.group === group) &&
      (k.plural === bare || k.singular === bare || k.kind.toLowerCase() === bare || k.shortNames.includes(bare)),
  );
}
