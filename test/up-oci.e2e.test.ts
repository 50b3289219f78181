/**
 * oci:// end to end through `kserve-ts up`: a KServe modelcar image (the iris ONNX model under
 * /models) pushed to a real docker-registry, an InferenceService naming it by tag goes Ready and
 * serves; one naming a missing tag stays un-Ready with the storage reason (NotFound) in its status.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { kubectlSkip } from './support/kubectl.ts';
import { OciPusher, tarGz } from './support/oci-push.ts';
import { registryAvailable, startRegistry, type Registry } from './support/oci-registry.ts';
import { onnxYaml, predict, removeDataDir, startUp, type Up, until } from './support/up.ts';


const skip = kubectlSkip() || (!registryAvailable() && 'docker-registry missing (/usr/bin/docker-registry)');

test('up: an oci:// modelcar image goes Ready and serves; a missing tag reports NotFound', { skip, timeout: 120_000 }, async () => {
  let reg: Registry | undefined;
  let up: Up | undefined;
  try {
    reg = await startRegistry();
    const iris = await readFile(new URL('../examples/models/iris/model.onnx', import.meta.url));
    const { digest } = await new OciPusher(`http://${reg.host}`).image('kserve/iris-modelcar', 'v1', [
      { data: tarGz([{ path: 'models/', type: 'dir' }, { path: 'models/model.onnx', body: iris }]), gzip: true },
    ]);
    up = await startUp();
    const u = up;
    await u.apply(onnxYaml('iris-oci', `oci://${reg.host}/kserve/iris-modelcar:v1`));
    await u.kubectl('wait', '--for=condition=Ready', 'isvc/iris-oci', '--timeout=60s');
    assert.deepEqual((await predict(u.gateway, 'iris-oci')).labels, [1]);
    assert.match(u.stderr(), new RegExp(digest.slice(0, 20)), 'the pulled digest is logged');

    await u.apply(onnxYaml('absent-oci', `oci://${reg.host}/kserve/absent:v1`));
    const msg = await until('a NotFound storage failure', async () => {
      const s = (await u.getJson<{ status?: { modelStatus?: { lastFailureInfo?: { message?: string } } } }>('isvc', 'absent-oci')).status;
      const m = s?.modelStatus?.lastFailureInfo?.message ?? '';
      return /NotFound/.test(m) ? m : undefined;
    }, 40_000);
    assert.match(msg, /kserve\/absent:v1/);
  } finally {
    await up?.stop();
    if (up) await removeDataDir(up.dataDir);
    await reg?.close();
  }
});
