/**
 * The kinds the server serves, indexed the ways requests look them up: by group, version and
 * plural (URLs), and by group and kind (bodies). Also Kubernetes' version ordering, which decides
 * the preferred version of a group (v1 > v1beta2 > v1beta1 > v1alpha1).
 */
import type { KindVersion, ResourceKind } from '../../api/registry.ts';

/** One served (kind, version) pair. */
export interface ServedKind {
  kind: ResourceKind;
  version: KindVersion;
  /** `serving.kserve.io/v1beta1`, or `v1` for the core group. */
  apiVersion: string;
}

/** A group and its served versions, highest priority first. */
export interface ServedGroup {
  name: string;
  versions: string[];
}

const VERSION_RE = /^v(\d+)(?:(alpha|beta)(\d+))?$/;

/**
 * Kubernetes' version priority: GA before beta before alpha, higher numbers first, then
 * non-Kubernetes-looking versions alphabetically. Negative when `a` sorts first.
 */
export function compareVersions(a: string, b: string): number {
  const ma = VERSION_RE.exec(a);
  const mb = VERSION_RE.exec(b);
  if (!ma || !mb) return ma ? -1 : mb ? 1 : a.localeCompare(b);
  const level = (m: RegExpExecArray): number => (m[2] === undefined ? 2 : m[2] === 'beta' ? 1 : 0);
  if (level(ma) !== level(mb)) return level(mb) - level(ma);
  if (ma[1] !== mb[1]) return Number(mb[1]) - Number(ma[1]);
  return Number(mb[3] ?? 0) - Number(ma[3] ?? 0);
}

export function apiVersionOf(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

/** Lookup tables over a fixed set of kinds. */
export class KindIndex {
  private readonly byPath = new Map<string, ServedKind>();
  private readonly byKind = new Map<string, ResourceKind>();
  private readonly byResource = new Map<string, ResourceKind>();
  readonly groups: ServedGroup[];

  constructor(readonly kinds: readonly ResourceKind[]) {
    const groups = new Map<string, Set<string>>();
    for (const kind of kinds) {
      const storage = kind.versions.filter((v) => v.storage);
      if (storage.length !== 1) throw new Error(`kind ${kind.kind}.${kind.group}: expected exactly one storage version, got ${storage.length}`);
      this.byKind.set(`${kind.group}/${kind.kind}`, kind);
      this.byResource.set(`${kind.group}/${kind.plural}`, kind);
      for (const version of kind.versions) {
        if (!version.served) continue;
        this.byPath.set(`${kind.group}/${version.name}/${kind.plural}`, { kind, version, apiVersion: apiVersionOf(kind.group, version.name) });
        groups.set(kind.group, (groups.get(kind.group) ?? new Set()).add(version.name));
      }
    }
    this.groups = [...groups]
      .map(([name, versions]) => ({ name, versions: [...versions].sort(compareVersions) }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The kind served at `/apis/{group}/{version}/{plural}`, if any. */
  lookup(group: string, version: string, plural: string): ServedKind | undefined {
    return this.byPath.get(`${group}/${version}/${plural}`);
  }

  /** A kind by group and plural, whatever the version (admission lists other kinds). */
  byPlural(group: string, plural: string): ResourceKind | undefined {
    return this.byResource.get(`${group}/${plural}`);
  }

  kindOf(group: string, kind: string): ResourceKind | undefined {
    return this.byKind.get(`${group}/${kind}`);
  }

  /** Every kind served in one group version, sorted by plural. */
  inVersion(group: string, version: string): ServedKind[] {
    return [...this.byPath.values()].filter((s) => s.kind.group === group && s.version.name === version).sort((a, b) => a.kind.plural.localeCompare(b.kind.plural));
  }

  group(name: string): ServedGroup | undefined {
    return this.groups.find((g) => g.name === name);
  }
}
