/**
 * Registry credentials and challenges.
 *
 * Credentials come from a Docker config JSON, the file KServe mounts for `oci+fetch` and names in
 * `KSERVE_OCI_DOCKER_CONFIG`; else `$DOCKER_CONFIG/config.json`; else `$HOME/.docker/config.json`.
 * Only inline `auths` entries are used (`auth` = base64 `user:password`, or `username` +
 * `password`); credential helpers (`credsStore`, `credHelpers`) run programs and are not supported.
 *
 * Challenges are RFC 7235 `WWW-Authenticate` headers: `Basic realm="…"` or the distribution
 * token flow's `Bearer realm="https://auth/token",service="registry",scope="repository:x:pull"`.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../core/logger.ts';

export interface Credentials {
  readonly username: string;
  readonly password: string;
}

export interface Challenge {
  /** Lower-case: `bearer`, `basic`. */
  readonly scheme: string;
  /** Parameter names lower-cased: `realm`, `service`, `scope`, `error`. */
  readonly params: Readonly<Record<string, string>>;
}

/**
 * Parses a `WWW-Authenticate` value into its challenges. Worked example:
 * `Bearer realm="https://a/token",service="reg",scope="repository:m:pull,push"` →
 * `[{ scheme: 'bearer', params: { realm: 'https://a/token', service: 'reg', scope: 'repository:m:pull,push' } }]`
 * (a comma inside quotes stays in the value; a new `token68`-less scheme name starts a new challenge).
 */
export function parseWwwAuthenticate(header: string | null | undefined): Challenge[] {
  const out: { scheme: string; params: Record<string, string> }[] = [];
  if (!header) return out;
  let i = 0;
  const skip = (chars: string): void => {
    while (i < header.length && chars.includes(header[i]!)) i++;
  };
  const token = (): string => {
    const start = i;
    while (i < header.length && !' \t,="'.includes(header[i]!)) i++;
    return header.slice(start, i);
  };
  while (i < header.length) {
    skip(' \t,');
    const name = token();
    if (name === '') {
      i++; // a stray quote or '=': skip it rather than loop
      continue;
    }
    skip(' \t');
    if (header[i] !== '=') {
      out.push({ scheme: name.toLowerCase(), params: {} });
      continue;
    }
    i++;
    skip(' \t');
    let value = '';
    if (header[i] === '"') {
      i++;
      while (i < header.length && header[i] !== '"') {
        if (header[i] === '\\' && i + 1 < header.length) i++;
        value += header[i];
        i++;
      }
      i++;
    } else {
      value = token();
    }
    const cur = out[out.length - 1];
    if (cur) cur.params[name.toLowerCase()] = value;
  }
  return out;
}

/** `Basic <base64(user:password)>`. */
export function basicAuthorization(c: Credentials): string {
  return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
}

/** The `auths` key forms Docker writes for a registry: bare host, with scheme, Docker Hub's v1 URL. */
function keyHost(key: string): string {
  return key.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '').toLowerCase();
}

const HUB = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/** Looks `registry` up in a parsed Docker config's `auths`. */
export function credentialsFromDockerConfig(config: unknown, registry: string): Credentials | undefined {
  if (typeof config !== 'object' || config === null) return undefined;
  const auths = (config as { auths?: unknown }).auths;
  if (typeof auths !== 'object' || auths === null) return undefined;
  const want = registry.toLowerCase();
  for (const [key, value] of Object.entries(auths as Record<string, unknown>)) {
    const host = keyHost(key);
    if (host !== want && !(HUB.has(host) && HUB.has(want))) continue;
    if (typeof value !== 'object' || value === null) continue;
    const v = value as Record<string, unknown>;
    if (typeof v.auth === 'string' && v.auth !== '') {
      const decoded = Buffer.from(v.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    }
    if (typeof v.username === 'string' && typeof v.password === 'string') return { username: v.username, password: v.password };
  }
  return undefined;
}

/** Where the Docker config is: `KSERVE_OCI_DOCKER_CONFIG` (a file), `DOCKER_CONFIG` (a dir), `HOME`. */
export function dockerConfigPath(env: Readonly<Record<string, string | undefined>>): { path: string; explicit: boolean } | undefined {
  if (env.KSERVE_OCI_DOCKER_CONFIG) return { path: env.KSERVE_OCI_DOCKER_CONFIG, explicit: true };
  if (env.DOCKER_CONFIG) return { path: join(env.DOCKER_CONFIG, 'config.json'), explicit: true };
  if (env.HOME) return { path: join(env.HOME, '.docker', 'config.json'), explicit: false };
  return undefined;
}

/**
 * Reads the credentials for `registry`, or undefined (anonymous). A named config that cannot be
 * read or parsed is logged (path only, never contents) and the pull goes on anonymously.
 */
export async function loadCredentials(
  env: Readonly<Record<string, string | undefined>>,
  registry: string,
  log?: Logger,
): Promise<Credentials | undefined> {
  const where = dockerConfigPath(env);
  if (!where) return undefined;
  let text: string;
  try {
    text = await readFile(where.path, 'utf8');
  } catch (err) {
    if (where.explicit) log?.warn('oci: docker config not readable; pulling anonymously', { path: where.path, code: (err as NodeJS.ErrnoException).code });
    return undefined;
  }
  try {
    return credentialsFromDockerConfig(JSON.parse(text), registry);
  } catch {
    log?.warn('oci: docker config is not JSON; pulling anonymously', { path: where.path });
    return undefined;
  }
}
