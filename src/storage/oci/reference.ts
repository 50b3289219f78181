/**
 * `oci://{registry}/{repository}[:{tag}|@{digest}]` → the pieces the distribution API needs.
 *
 * The grammar is the OCI distribution spec's: repository components `[a-z0-9]+([._-]|__|-+)…`
 * joined by `/`, tags `[A-Za-z0-9_][A-Za-z0-9._-]{0,127}`, digests `algorithm:hex`. A reference
 * with neither tag nor digest means `latest`, as `docker pull` does. Docker Hub names
 * (`docker.io/busybox`) go to `registry-1.docker.io` with the implicit `library/` prefix.
 */
import { StorageError, type ParsedUri } from '../provider.ts';

export interface OciReference {
  /** Registry host[:port] as written (`ghcr.io`, `127.0.0.1:5000`). */
  readonly registry: string;
  /** The host requests go to (`registry-1.docker.io` for Docker Hub). */
  readonly apiHost: string;
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
  /** `http://host` or `https://host`. */
  readonly baseUrl: string;
  /** For messages: `oci://registry/repository:tag` (no credentials ever appear in a reference). */
  readonly display: string;
}

const REPO_RE = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;
const TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const DIGEST_RE = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;
const DOCKER_HUB = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/** True for `sha256:<64 hex>` / `sha512:<128 hex>`, the algorithms this client verifies. */
export function isDigest(s: string): boolean {
  return DIGEST_RE.test(s);
}

/** Loopback registries speak plain HTTP, as Docker treats 127.0.0.0/8 as insecure by default. */
function isLoopback(registry: string): boolean {
  const host = registry.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** True when `KSERVE_OCI_INSECURE_REGISTRY` asks for plain HTTP (`true`/`1`/`yes`, case-insensitive). */
export function insecureFromEnv(env: Readonly<Record<string, string | undefined>>): boolean {
  const v = env.KSERVE_OCI_INSECURE_REGISTRY?.trim().toLowerCase();
  return v === 'true' || v === '1' || v === 'yes';
}

/** Parses an `oci://` (or `oci+fetch://`, `oci+native://`) URI. Throws StorageError('InvalidUri'). */
export function parseOciReference(uri: ParsedUri, insecure: boolean): OciReference {
  const bad = (why: string): StorageError =>
    new StorageError('InvalidUri', `storageUri ${uri.display}: ${why}; expected oci://registry/repository[:tag|@sha256:digest]`);
  const registry = uri.host;
  if (registry.includes('@')) throw bad('registry carries user:password (credentials belong in the docker config KSERVE_OCI_DOCKER_CONFIG names)');
  if (registry === '' || !/^[A-Za-z0-9.-]+(:\d+)?$|^\[[0-9a-fA-F:]+\](:\d+)?$/.test(registry)) {
    throw bad(`registry ${JSON.stringify(registry)} is not a host[:port]`);
  }
  let rest = uri.path;
  let digest: string | undefined;
  let tag: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!isDigest(digest)) throw bad(`digest ${JSON.stringify(digest)} is not sha256:<64 hex> or sha512:<128 hex>`);
  }
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.indexOf(':', lastSlash + 1);
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG_RE.test(tag)) throw bad(`tag ${JSON.stringify(tag)} is not valid`);
  }
  let repository = rest;
  if (repository === '') throw bad('no repository');
  if (!REPO_RE.test(repository)) throw bad(`repository ${JSON.stringify(repository)} is not valid (lower-case components separated by /)`);
  let apiHost = registry;
  if (DOCKER_HUB.has(registry.toLowerCase())) {
    apiHost = 'registry-1.docker.io';
    if (!repository.includes('/')) repository = `library/${repository}`;
  }
  if (digest === undefined && tag === undefined) tag = 'latest';
  const scheme = insecure || isLoopback(registry) ? 'http' : 'https';
  const display = `oci://${registry}/${repository}${tag !== undefined ? `:${tag}` : ''}${digest !== undefined ? `@${digest}` : ''}`;
  return { registry, apiHost, repository, tag, digest, baseUrl: `${scheme}://${apiHost}`, display };
}
