/**
 * The kubeconfig that points kubectl (and client libraries) at this server: one cluster, one user
 * without credentials (the server has no authentication), one context, current. The composition
 * root (`kserve-ts up` / `apiserver`) writes it; tests write it for the real kubectl.
 */
import { stringify } from 'yaml';

export interface KubeconfigOptions {
  /** Cluster, user and context name (default `kserve-ts`). */
  name?: string;
  /** Default namespace of the context (default `default`). */
  namespace?: string;
  /**
   * kserve-ts' own facts about this cluster (e.g. `{ gateway: 'http://127.0.0.1:28090' }` from
   * `kserve-ts up`), kept as the cluster's `extensions` entry named `kserve-ts`. kubectl ignores
   * extensions; the `kserve-ts` CLI reads the gateway from there.
   */
  extension?: Record<string, string>;
}

/** The name of kserve-ts' entry in a kubeconfig cluster's `extensions`. */
export const KUBECONFIG_EXTENSION = 'kserve-ts';

/** A kubeconfig document (YAML) for the server at `url` (e.g. `http://127.0.0.1:6443`). */
export function kubeconfigYaml(url: string, opts: KubeconfigOptions = {}): string {
  if (!/^https?:\/\/[^/]+$/.test(url)) throw new Error(`url: got ${JSON.stringify(url)}, expected http(s)://host:port with no path`);
  const name = opts.name ?? 'kserve-ts';
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: url, ...(opts.extension ? { extensions: [{ name: KUBECONFIG_EXTENSION, extension: opts.extension }] } : {}) } }],
    users: [{ name, user: {} }],
    contexts: [{ name, context: { cluster: name, user: name, namespace: opts.namespace ?? 'default' } }],
    'current-context': name,
    preferences: {},
  });
}
