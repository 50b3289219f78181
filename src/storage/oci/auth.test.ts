import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { credentialsFromDockerConfig, dockerConfigPath, loadCredentials, parseWwwAuthenticate } from './auth.ts';

test('WWW-Authenticate: bearer with quoted commas, several challenges, escapes, tokens', () => {
  assert.deepEqual(parseWwwAuthenticate('Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull,push"'), [
    { scheme: 'bearer', params: { realm: 'https://auth.example/token', service: 'registry.example', scope: 'repository:a/b:pull,push' } },
  ]);
  assert.deepEqual(parseWwwAuthenticate('Basic realm="Registry \\"Realm\\"", Bearer realm=https://t/x , error=insufficient_scope'), [
    { scheme: 'basic', params: { realm: 'Registry "Realm"' } },
    { scheme: 'bearer', params: { realm: 'https://t/x', error: 'insufficient_scope' } },
  ]);
  assert.deepEqual(parseWwwAuthenticate(''), []);
  assert.deepEqual(parseWwwAuthenticate(null), []);
  assert.deepEqual(parseWwwAuthenticate('Bearer'), [{ scheme: 'bearer', params: {} }]);
});

test('docker config auths: auth or username/password, key forms, Docker Hub aliases', () => {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const config = {
    auths: {
      'https://index.docker.io/v1/': { auth: b64('hub:pw:with:colons') },
      'http://127.0.0.1:5000': { username: 'u', password: 'p' },
      'ghcr.io': { auth: b64('gh:tok') },
      'bad.example': { auth: 'no-colon' },
    },
    credsStore: 'desktop',
  };
  assert.deepEqual(credentialsFromDockerConfig(config, 'docker.io'), { username: 'hub', password: 'pw:with:colons' });
  assert.deepEqual(credentialsFromDockerConfig(config, '127.0.0.1:5000'), { username: 'u', password: 'p' });
  assert.deepEqual(credentialsFromDockerConfig(config, 'GHCR.io'), { username: 'gh', password: 'tok' });
  assert.equal(credentialsFromDockerConfig(config, 'bad.example'), undefined);
  assert.equal(credentialsFromDockerConfig(config, 'quay.io'), undefined);
  assert.equal(credentialsFromDockerConfig(null, 'quay.io'), undefined);
});

test('config path: KSERVE_OCI_DOCKER_CONFIG, then DOCKER_CONFIG/config.json, then HOME; unreadable → anonymous with a warning', async () => {
  assert.deepEqual(dockerConfigPath({ KSERVE_OCI_DOCKER_CONFIG: '/mnt/oci-fetch-auth/config.json', DOCKER_CONFIG: '/d' }), { path: '/mnt/oci-fetch-auth/config.json', explicit: true });
  assert.deepEqual(dockerConfigPath({ DOCKER_CONFIG: '/d', HOME: '/h' }), { path: '/d/config.json', explicit: true });
  assert.deepEqual(dockerConfigPath({ HOME: '/h' }), { path: '/h/.docker/config.json', explicit: false });
  assert.equal(dockerConfigPath({}), undefined);

  const dir = await mkdtemp(join(tmpdir(), 'oci-auth-'));
  try {
    const file = join(dir, 'config.json');
    await writeFile(file, JSON.stringify({ auths: { 'reg.example': { username: 'u', password: 'secret-pw' } } }));
    assert.deepEqual(await loadCredentials({ KSERVE_OCI_DOCKER_CONFIG: file }, 'reg.example'), { username: 'u', password: 'secret-pw' });
    const warnings: string[] = [];
    const log = { debug() {}, info() {}, error() {}, warn: (m: string, f?: Record<string, unknown>) => warnings.push(`${m} ${JSON.stringify(f)}`), child() { return log; } };
    assert.equal(await loadCredentials({ KSERVE_OCI_DOCKER_CONFIG: join(dir, 'missing.json') }, 'reg.example', log), undefined);
    await writeFile(file, '{not json secret-pw');
    assert.equal(await loadCredentials({ KSERVE_OCI_DOCKER_CONFIG: file }, 'reg.example', log), undefined);
    assert.equal(warnings.length, 2);
    assert.ok(warnings.every((w) => !w.includes('secret-pw')));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
