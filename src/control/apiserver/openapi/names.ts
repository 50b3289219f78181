/**
 * Names kube-apiserver gives things in its OpenAPI documents, so kubectl finds our kinds where it
 * looks for any Kubernetes kind.
 */
import type { ResourceKind } from '../../../api/registry.ts';

/** A group-version-kind as the `x-kubernetes-group-version-kind` extension spells it. */
export interface Gvk {
  group: string;
  kind: string;
  version: string;
}

/**
 * The definition name of a kind: the group reversed, then version and kind, as kube-apiserver's
 * CRD OpenAPI builder names them (`serving.kserve.io` v1beta1 InferenceService →
 * `io.kserve.serving.v1beta1.InferenceService`). The core group ('') is `io.k8s.api.core`.
 */
export function definitionName(group: string, version: string, kind: string): string {
  const prefix = group === '' ? 'io.k8s.api.core' : group.split('.').reverse().join('.');
  return `${prefix}.${version}.${kind}`;
}

/** The `/openapi/v3` key of a group-version: `api/v1` for core, else `apis/<group>/<version>`. */
export function groupVersionKey(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

/** `<group>/<version>`, or just the version for the core group (an object's `apiVersion`). */
export function apiVersionOf(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

/** Meta definitions every document references (ObjectMeta, ListMeta, Status ...). */
export const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

/** The served versions of the kinds, grouped by `/openapi/v3` key, in first-seen order. */
export function servedGroupVersions(kinds: readonly ResourceKind[]): Map<string, { group: string; version: string }> {
  const out = new Map<string, { group: string; version: string }>();
  for (const k of kinds) {
    for (const v of k.versions) {
      if (!v.served) continue;
      const key = groupVersionKey(k.group, v.name);
      if (!out.has(key)) out.set(key, { group: k.group, version: v.name });
    }
  }
  return out;
}

/**
 * The operationId stem kube-apiserver uses: group words capitalised then version, e.g.
 * `ServingKserveIoV1beta1` (core: `CoreV1`).
 */
export function operationStem(group: string, version: string): string {
  const words = group === '' ? ['core'] : group.split('.');
  return words.map(capitalise).join('') + capitalise(version);
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
