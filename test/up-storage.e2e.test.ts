/**
 * `s3://` end to end through `kserve-ts up`, credentials the way KServe takes them: a real S3
 * server (s3rver) holds the iris model; a Secret (keys + `serving.kserve.io/s3-*` annotations)
 * bound through a ServiceAccount named by the predictor. The InferenceService shows the download,
 * goes Ready and serves; a second InferenceService of the same model is served from the cache
 * (one entry, no second download); a missing prefix fails with the storage reason in
 * lastFailureInfo; no credential appears in status, events or `kubectl get`.
 */
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { kubectlSkip } from './support/kubectl.ts';
import { predict, removeDataDir, startUp, until, type Up } from './support/up.ts';

const KEY_ID = 'S3RVER';
const SECRET = 'S3RVER';

const manifests = (endpoint: string): string => `apiVersion: v1
kind: Secret
metadata:
  name: s3creds
  annotations:
    serving.kserve.io/s3-endpoint: ${endpoint}
    serving.kserve.io/s3-usehttps: "0"
    serving.kserve.io/s3-region: us-east-1
type: Opaque
stringData:
  AWS_ACCESS_KEY_ID: ${KEY_ID}
  AWS_SECRET_ACCESS_KEY: ${SECRET}
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: models-reader
secrets:
  - name: s3creds
`;

const isvc = (name: string, uri: string): string => `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: ${name}
spec:
  predictor:
    serviceAccountName: models-reader
    model:
      modelFormat:
        name: onnx
      protocolVersion: v2
      storageUri: ${uri}
`;

interface Status {
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
  modelStatus?: { states?: { targetModelState?: string }; lastFailureInfo?: { reason?: string; message?: string } };
}

test('s3:// through up: ServiceAccount Secret credentials, Ready and serving, cache shared, missing prefix reported', { skip: kubectlSkip(), timeout: 120_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kserve-ts-s3rver-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir });
  const addr = (await server.run()) as { address: string; port: number };
  const endpoint = `127.0.0.1:${addr.port}`;
  let up: Up | undefined;
  try {
    const s3 = new S3Client({ endpoint: `http://${endpoint}`, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: KEY_ID, secretAccessKey: SECRET } });
    await s3.send(new CreateBucketCommand({ Bucket: 'models' }));
    await s3.send(new PutObjectCommand({ Bucket: 'models', Key: 'iris/model.onnx', Body: await readFile(new URL('../examples/models/iris/model.onnx', import.meta.url)) }));
    s3.destroy();

    up = await startUp();
    const u = up;
    assert.match(await u.apply(manifests(endpoint)), /secret\/s3creds created[\s\S]*serviceaccount\/models-reader created/);
    assert.doesNotMatch(await u.kubectl('get', 'secret', 's3creds'), /S3RVER|UzNSVkVS/, 'kubectl get shows no value');

    await u.apply(isvc('iris-s3', 's3://models/iris'));
    await u.kubectl('wait', '--for=condition=Ready', 'isvc/iris-s3', '--timeout=60s');
    assert.deepEqual((await predict(u.gateway, 'iris-s3')).labels, [1]);

    // The same model again: served from the cache (still one entry).
    await u.apply(isvc('iris-s3-b', 's3://models/iris'));
    await u.kubectl('wait', '--for=condition=Ready', 'isvc/iris-s3-b', '--timeout=60s');
    assert.deepEqual((await predict(u.gateway, 'iris-s3-b')).labels, [1]);
    const entries = (await readdir(join(u.dataDir, 'models', 'entries'))).filter((n) => !n.endsWith('.json'));
    assert.equal(entries.length, 1, `one cache entry for both: ${entries.join(', ')}`);

    // A prefix that does not exist: FailedToLoad with the storage initializer's reason, no replica.
    await u.apply(isvc('iris-missing', 's3://models/nothing-here'));
    const failed = await until('a NotFound storage failure', async () => {
      const s = (await u.getJson<{ status?: Status }>('isvc', 'iris-missing')).status;
      return /NotFound/.test(s?.modelStatus?.lastFailureInfo?.message ?? '') ? s : undefined;
    }, 40_000);
    assert.equal(failed.modelStatus?.lastFailureInfo?.reason, 'ModelLoadFailed');
    assert.match(failed.modelStatus?.lastFailureInfo?.message ?? '', /^storage-initializer: NotFound: .*s3:\/\/models\/nothing-here/);
    assert.equal(failed.conditions?.find((c) => c.type === 'Ready')?.status, 'False');
    const events = await u.kubectl('get', 'events', '-o', 'json');
    assert.match(events, /ModelLoadFailed/);
    for (const text of [JSON.stringify(failed), events, await u.kubectl('get', 'isvc', '-o', 'json')]) assert.doesNotMatch(text, /S3RVER/, 'no credential in status or events');
  } finally {
    await up?.stop();
    if (up) await removeDataDir(up.dataDir);
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
});
