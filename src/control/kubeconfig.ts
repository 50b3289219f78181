/**
 * Writing the kubeconfig `kserve-ts apiserver` (and later `kserve-ts up`) hands to kubectl: the
 * document is apiserver/kubeconfig.ts's; this writes it atomically (temp file + rename), readable
 * by its owner only, as kubectl expects of a credentials file.
 */
import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { kubeconfigYaml, type KubeconfigOptions } from './apiserver/kubeconfig.ts';

export async function writeKubeconfig(path: string, serverUrl: string, opts: KubeconfigOptions = {}): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, kubeconfigYaml(serverUrl, opts), { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, path);
}
