import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseStorageUri, StorageError } from '../provider.ts';
import { pickManifest } from './manifest.ts';
import { insecureFromEnv, parseOciReference } from './reference.ts';

const D = `sha256:${'a'.repeat(64)}`;
const ref = (uri: string, insecure = false) => parseOciReference(parseStorageUri(uri), insecure);

test('tag, digest, default latest, nested repositories, ports', () => {
  assert.deepEqual(ref('oci://ghcr.io/org/team/model:v1.2'), {
    registry: 'ghcr.io', apiHost: 'ghcr.io', repository: 'org/team/model', tag: 'v1.2', digest: undefined,
    baseUrl: 'https://ghcr.io', display: 'oci://ghcr.io/org/team/model:v1.2',
  });
  assert.equal(ref('oci://ghcr.io/org/model').tag, 'latest');
  const d = ref(`oci://reg.example:5000/m@${D}`);
  assert.equal(d.digest, D);
  assert.equal(d.tag, undefined);
  assert.equal(d.baseUrl, 'https://reg.example:5000');
  const both = ref(`oci://reg.example:5000/m:v1@${D}`);
  assert.equal(both.tag, 'v1');
  assert.equal(both.digest, D);
});

test('Docker Hub names go to registry-1.docker.io with library/', () => {
  const r = ref('oci://docker.io/busybox:1.36');
  assert.equal(r.baseUrl, 'https://registry-1.docker.io');
  assert.equal(r.repository, 'library/busybox');
  assert.equal(ref('oci://index.docker.io/kserve/modelcar').repository, 'kserve/modelcar');
});

test('plain HTTP for loopback registries and when KSERVE_OCI_INSECURE_REGISTRY is true', () => {
  assert.equal(ref('oci://127.0.0.1:5000/m:v1').baseUrl, 'http://127.0.0.1:5000');
  assert.equal(ref('oci://localhost:5000/m:v1').baseUrl, 'http://localhost:5000');
  assert.equal(ref('oci://reg.internal:5000/m:v1', true).baseUrl, 'http://reg.internal:5000');
  assert.equal(insecureFromEnv({ KSERVE_OCI_INSECURE_REGISTRY: 'True' }), true);
  assert.equal(insecureFromEnv({ KSERVE_OCI_INSECURE_REGISTRY: 'false' }), false);
  assert.equal(insecureFromEnv({}), false);
});

test('malformed references → InvalidUri naming the part', () => {
  for (const [uri, part] of [
    ['oci://ghcr.io/', 'no repository'],
    ['oci://ghcr.io/Org/Model:v1', 'repository'],
    ['oci://ghcr.io/m:bad tag', 'tag'],
    ['oci://ghcr.io/m@sha256:abc', 'digest'],
    ['oci://user:pw@ghcr.io/m:v1', 'registry'],
  ] as const) {
    assert.throws(() => ref(uri), (e: unknown) => e instanceof StorageError && e.reason === 'InvalidUri' && e.message.includes(part) && !e.message.includes('pw@'), uri);
  }
});

test('index: wanted platform, then linux/amd64, then the first non-attestation', () => {
  const m = (os: string, architecture: string, extra: object = {}) => ({ mediaType: 'x', digest: D, size: 1, platform: { os, architecture }, ...extra });
  const arm = m('linux', 'arm64');
  const amd = m('linux', 'amd64');
  const att = { ...m('unknown', 'unknown'), annotations: { 'vnd.docker.reference.type': 'attestation-manifest' } };
  assert.equal(pickManifest([amd, arm], { os: 'linux', architecture: 'arm64' }), arm);
  assert.equal(pickManifest([arm, amd], { os: 'linux', architecture: 's390x' }), amd);
  const ppc = m('linux', 'ppc64le');
  assert.equal(pickManifest([att, ppc], { os: 'linux', architecture: 'arm64' }), ppc);
  assert.equal(pickManifest([att], { os: 'linux', architecture: 'amd64' }), undefined);
});
