import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { findKubeconfig, loadKubeconfig, parseKubeconfig } from './kubeconfig.ts';

const DOC = stringify({
  apiVersion: 'v1',
  kind: 'Config',
  clusters: [
    { name: 'other', cluster: { server: 'https://10.0.0.1:6443' } },
    { name: 'kserve-ts', cluster: { server: 'http://127.0.0.1:26443/', extensions: [{ name: 'kserve-ts', extension: { gateway: 'http://127.0.0.1:28090', grpcGateway: '127.0.0.1:28091' } }] } },
  ],
  contexts: [
    { name: 'kserve-ts', context: { cluster: 'kserve-ts', user: 'u', namespace: 'models' } },
    { name: 'other', context: { cluster: 'other', user: 'u' } },
  ],
  'current-context': 'kserve-ts',
});

test('parseKubeconfig: current context server, namespace and the kserve-ts gateway extension', () => {
  assert.deepEqual(parseKubeconfig(DOC, 'f'), { server: 'http://127.0.0.1:26443', namespace: 'models', gateway: 'http://127.0.0.1:28090', grpcGateway: '127.0.0.1:28091', path: 'f' });
  assert.deepEqual(parseKubeconfig(DOC, 'f', 'other'), { server: 'https://10.0.0.1:6443', namespace: 'default', gateway: undefined, grpcGateway: undefined, path: 'f' });
  assert.throws(() => parseKubeconfig(DOC, 'f', 'nope'), /kubeconfig f: context "nope" not found/);
  assert.throws(() => parseKubeconfig('kind: Config\n', 'f'), /no current-context/);
});

test('findKubeconfig: --kubeconfig, then $KUBECONFIG, then up’s data dir, then ~/.kube/config; a clear error when none', async () => {
  const home = await mkdtemp(join(tmpdir(), 'cli-kc-'));
  try {
    const env = { HOME: home };
    assert.deepEqual(findKubeconfig('/x', env), { path: '/x', tried: ['/x'] });
    await assert.rejects(loadKubeconfig(undefined, env), /no kubeconfig found \(tried .*\.local\/share\/kserve-ts\/kubeconfig, .*\.kube\/config\); start `kserve-ts up`/);
    await mkdir(join(home, '.kube'));
    await writeFile(join(home, '.kube', 'config'), DOC);
    assert.equal(findKubeconfig(undefined, env).path, join(home, '.kube', 'config'));
    await mkdir(join(home, 'xdg', 'kserve-ts'), { recursive: true });
    await writeFile(join(home, 'xdg', 'kserve-ts', 'kubeconfig'), DOC);
    assert.equal(findKubeconfig(undefined, { ...env, XDG_DATA_HOME: join(home, 'xdg') }).path, join(home, 'xdg', 'kserve-ts', 'kubeconfig'));
    assert.equal(findKubeconfig(undefined, { ...env, KUBECONFIG: `/missing:${join(home, '.kube', 'config')}`, XDG_DATA_HOME: join(home, 'xdg') }).path, join(home, '.kube', 'config'));
    assert.equal((await loadKubeconfig(undefined, env)).namespace, 'models');
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});
