/**
 * The kubeconfig file `kserve-ts apiserver` (and later `kserve-ts up`) writes, so that kubectl and
 * the Kubernetes client libraries reach the embedded API server with `--kubeconfig FILE` or
 * `KUBECONFIG=FILE`. Plain HTTP on loopback, no credentials (the server listens on 127.0.0.1 by
 * default); one cluster, user and context named `kserve-ts`.
 */
import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { stringify } from 'yaml';

export const KUBECONFIG_NAME = 'kserve-ts';

export function renderKubeconfig(serverUrl: string, namespace = 'default'): string {
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: KUBECONFIG_NAME, cluster: { server: serverUrl } }],
    users: [{ name: KUBECONFIG_NAME, user: {} }],
    contexts: [{ name: KUBECONFIG_NAME, context: { cluster: KUBECONFIG_NAME, user: KUBECONFIG_NAME, namespace } }],
    'current-context': KUBECONFIG_NAME,
    preferences: {},
  };
  return stringify(doc);
}

/** Writes the file atomically (temp + rename), readable by its owner only, as kubectl expects. */
export async function writeKubeconfig(path: string, serverUrl: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, renderKubeconfig(serverUrl), { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, path);
}
