/**
 * Every other remote scheme end to end through `kserve-ts up` (s3:// and oci:// have their own
 * files): kubectl apply → Ready → a prediction, for
 * - https?:// — a node:http file server serving the model as a .tar.gz (unpacked as KServe does);
 * - Azure Blob — real Azurite, a connection string in the model's env;
 * - gs:// — a local server with the GCS JSON API's shapes (`STORAGE_EMULATOR_HOST`);
 * - hf:// — a local server with the Hub's REST shapes (`HF_ENDPOINT`).
 * Settings travel in the predictor model's `env`, as a KServe user would set them.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { BlobServiceClient } from '@azure/storage-blob';
import { buildTar } from './support/archives.ts';
import { startAzurite } from './support/azurite.ts';
import { startFileServer } from './support/http-file-server.ts';
import { shaOf, startFakeHf } from './support/hf-fake.ts';
import { startFakeGcs } from './support/gcs-fake.ts';
import { kubectlSkip } from './support/kubectl.ts';
import { onnxYaml, predict, removeDataDir, startUp, type Up } from './support/up.ts';


test('http(s) archive, Azure Blob, gs:// and hf:// models through up: each Ready and serving', { skip: kubectlSkip(), timeout: 180_000 }, async () => {
  const model = await readFile(new URL('../examples/models/iris/model.onnx', import.meta.url));
  const files = await startFileServer();
  const azurite = await startAzurite();
  const gcs = await startFakeGcs();
  const hf = await startFakeHf();
  let up: Up | undefined;
  try {
    files.files.set('/models/iris.tar.gz', { body: buildTar([{ path: 'model.onnx', body: model }], { gzip: true }), contentType: 'application/gzip', etag: '"v1"' });
    const blobs = BlobServiceClient.fromConnectionString(azurite.connectionString);
    const container = blobs.getContainerClient('models');
    await container.create();
    await container.getBlockBlobClient('iris/model.onnx').uploadData(model);
    gcs.buckets.set('models', { objects: new Map([['iris/model.onnx', { data: model }]]) });
    const sha = shaOf('iris-commit');
    hf.repos.set('kserve/iris', { refs: { main: sha }, commits: { [sha]: new Map([['model.onnx', { data: model }], ['README.md', { data: Buffer.from('# iris') }]]) } });

    up = await startUp();
    const u = up;
    await u.apply(
      [
        onnxYaml('iris-http', `${files.url}/models/iris.tar.gz`),
        onnxYaml('iris-azure', `${azurite.blobEndpoint}/models/iris`, { AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString }),
        onnxYaml('iris-gcs', 'gs://models/iris', { STORAGE_EMULATOR_HOST: gcs.url }),
        onnxYaml('iris-hf', 'hf://kserve/iris', { HF_ENDPOINT: hf.url, HF_TOKEN: hf.token }),
      ].join('---\n'),
    );
    for (const name of ['iris-http', 'iris-azure', 'iris-gcs', 'iris-hf']) {
      try {
        await u.kubectl('wait', '--for=condition=Ready', `isvc/${name}`, '--timeout=60s');
      } catch (err) {
        const st = await u.kubectl('get', 'isvc', name, '-o', 'jsonpath={.status.conditions}').catch(() => '?');
        throw new Error(`${name} not Ready: ${st}`, { cause: err });
      }
      assert.deepEqual((await predict(u.gateway, name)).labels, [1], name);
    }
    assert.equal(files.gets('/models/iris.tar.gz'), 1, 'the archive was downloaded once');
    const statuses = await u.kubectl('get', 'isvc', '-o', 'jsonpath={.items[*].status}');
    const events = await u.kubectl('get', 'events', '-o', 'json');
    for (const text of [statuses, events, u.stderr()]) assert.doesNotMatch(text, /hf_test_secret_token|AccountKey=/, 'credentials never in status, events or logs');
  } finally {
    await up?.stop();
    if (up) await removeDataDir(up.dataDir);
    await Promise.all([files.close(), azurite.close(), gcs.close(), hf.close()]);
  }
});
