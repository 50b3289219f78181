/**
 * Which API server the CLI talks to, read from a kubeconfig as kubectl finds one: `--kubeconfig`,
 * else `$KUBECONFIG` (the first file of the list that exists), else the one `kserve-ts up` writes
 * (DATA_DIR/kubeconfig), else `~/.kube/config`. From it: the current context's server and
 * namespace, and the gateway URLs `kserve-ts up` records in the cluster's `kserve-ts` extension.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { parse } from 'yaml';
import { CliError } from './errors.ts';

/** The cluster the CLI talks to. */
export interface ClusterTarget {
  /** API server URL, e.g. `http://127.0.0.1:26443`. */
  server: string;
  /** The context's namespace (default `default`). */
  namespace: string;
  /** `kserve-ts up`'s HTTP gateway, from the kubeconfig extension (absent for other clusters). */
  gateway?: string;
  /** `host:port` of the gRPC gateway. */
  grpcGateway?: string;
  /** The kubeconfig file read. */
  path: string;
}

/**
 * `kserve-ts up`'s data dir, as `up` computes it (control/apiserver-main `defaultDataDir`; the CLI
 * may not import the control plane, so the two lines are repeated here).
 */
export function defaultDataDir(env: NodeJS.ProcessEnv): string {
  return join(env.XDG_DATA_HOME || join(env.HOME || '.', '.local', 'share'), 'kserve-ts');
}

/** The kubeconfig file to read, and the places tried when none exists. */
export function findKubeconfig(flag: string | undefined, env: NodeJS.ProcessEnv): { path?: string; tried: string[] } {
  if (flag !== undefined) return { path: flag, tried: [flag] };
  const tried: string[] = [];
  for (const p of (env.KUBECONFIG ?? '').split(delimiter).filter((s) => s !== '')) {
    tried.push(p);
    if (existsSync(p)) return { path: p, tried };
  }
  for (const p of [join(defaultDataDir(env), 'kubeconfig'), join(env.HOME || '.', '.kube', 'config')]) {
    tried.push(p);
    if (existsSync(p)) return { path: p, tried };
  }
  return { tried };
}

interface Named<T> {
  name?: string;
  [key: string]: unknown;
  value?: T;
}

function byName<T>(list: unknown, name: string, field: string): T | undefined {
  if (!Array.isArray(list)) return undefined;
  const hit = (list as Named<T>[]).find((e) => e?.name === name);
  return hit?.[field] as T | undefined;
}

/** Parses kubeconfig YAML into the target of its current (or the named) context. */
export function parseKubeconfig(text: string, path: string, contextName?: string): ClusterTarget {
  let doc: Record<string, unknown>;
  try {
    doc = (parse(text) ?? {}) as Record<string, unknown>;
  } catch (err) {
    throw new CliError(`kubeconfig ${path}: not valid YAML: ${(err as Error).message}`);
  }
  const ctxName = contextName ?? (doc['current-context'] as string | undefined);
  if (!ctxName) throw new CliError(`kubeconfig ${path}: no current-context set (pass --context)`);
  const ctx = byName<{ cluster?: string; namespace?: string }>(doc.contexts, ctxName, 'context');
  if (!ctx) throw new CliError(`kubeconfig ${path}: context ${JSON.stringify(ctxName)} not found`);
  const cluster = byName<{ server?: string; extensions?: { name?: string; extension?: Record<string, unknown> }[] }>(doc.clusters, ctx.cluster ?? '', 'cluster');
  if (!cluster?.server) throw new CliError(`kubeconfig ${path}: cluster ${JSON.stringify(ctx.cluster)} of context ${JSON.stringify(ctxName)} has no server`);
  const ext = cluster.extensions?.find((e) => e?.name === 'kserve-ts')?.extension ?? {};
  return {
    server: cluster.server.replace(/\/+$/, ''),
    namespace: ctx.namespace || 'default',
    gateway: typeof ext.gateway === 'string' ? ext.gateway.replace(/\/+$/, '') : undefined,
    grpcGateway: typeof ext.grpcGateway === 'string' ? ext.grpcGateway : undefined,
    path,
  };
}

/** Finds and reads the kubeconfig; a clear error when there is none. */
export async function loadKubeconfig(flag: string | undefined, env: NodeJS.ProcessEnv, contextName?: string): Promise<ClusterTarget> {
  const { path, tried } = findKubeconfig(flag, env);
  if (path === undefined) throw new CliError(`no kubeconfig found (tried ${tried.join(', ')}); start \`kserve-ts up\` or pass --kubeconfig FILE`);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read kubeconfig ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseKubeconfig(text, path, contextName);
}
