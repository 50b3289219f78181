/**
 * `kserve-ts up` with a replica killed -9: the process driver restarts it on new ports, the
 * reconciler moves the route to the new endpoints, predictions work again over REST and gRPC
 * through the gateways, and what a KServe user
 * sees tells the story: `kubectl get isvc` goes back to Ready, and a Warning Event on the
 * InferenceService names the replica, how it exited and the restart.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { parse } from 'yaml';
import { ROOT } from './cli-helpers.ts';
import { kubectlSkip } from './support/kubectl.ts';
import { alive, copyModel, irisYaml, loadGenerator, predict, removeDataDir, replicaChildren, startUp, until, type Up } from './support/up.ts';

interface Isvc {
  status?: { conditions?: { type: string; status: string }[]; components?: { predictor?: { latestReadyRevision?: string } } };
}
interface EventList {
  items: { reason: string; type: string; message: string; involvedObject: { name: string } }[];
}
/** One gRPC ModelInfer of the iris row through up's gRPC gateway (its address is in the kubeconfig); resolves with the label. */
function grpcLabel(kubeconfig: string): Promise<string> {
  const cfg = parse(readFileSync(kubeconfig, 'utf8')) as { clusters: { cluster: { extensions?: { name: string; extension: { grpcGateway: string } }[] } }[] };
  const target = cfg.clusters[0]!.cluster.extensions!.find((e) => e.name === 'kserve-ts')!.extension.grpcGateway;
  const pkg = grpc.loadPackageDefinition(protoLoader.loadSync(join(ROOT, 'proto/grpc_predict_v2.proto'), { keepCase: true, longs: String, defaults: true })) as unknown as {
    inference: { GRPCInferenceService: new (t: string, c: grpc.ChannelCredentials, o: object) => grpc.Client & { ModelInfer(req: object, cb: (err: Error | null, res: { outputs: { name: string; contents: { int64_contents: string[] } }[] }) => void): void } };
  };
  const c = new pkg.inference.GRPCInferenceService(target, grpc.credentials.createInsecure(), { 'grpc.default_authority': 'iris-default.example.com' });
  return new Promise<string>((resolve, reject) => {
    c.ModelInfer({ model_name: 'iris', inputs: [{ name: 'input-0', datatype: 'FP32', shape: [1, 4], contents: { fp32_contents: [6.8, 2.8, 4.8, 1.4] } }], outputs: [{ name: 'label' }] }, (err, res) => {
      c.close();
      if (err) reject(err);
      else resolve(res.outputs.find((o) => o.name === 'label')?.contents.int64_contents[0] ?? '');
    });
  });
}

const ready = (o: Isvc): string | undefined => o.status?.conditions?.find((c) => c.type === 'Ready')?.status;

test('up: a replica killed -9 is restarted, the route follows its new port, status and events show it', { skip: kubectlSkip(), timeout: 90_000 }, async () => {
  let up: Up | undefined;
  try {
    up = await startUp();
    const u = up;
    const modelDir = await copyModel(u.dataDir, 'iris');
    await u.apply(irisYaml('iris', modelDir));
    await u.kubectl('wait', '--for=condition=Ready', 'isvc/iris', '--timeout=60s');
    assert.deepEqual((await predict(u.gateway, 'iris')).labels, [1]);
    assert.equal(await grpcLabel(u.kubeconfig), '1', 'gRPC through the gRPC gateway');
    const [pid] = await replicaChildren(u.proc.pid!);
    assert.ok(pid, 'one replica process');

    process.kill(pid, 'SIGKILL');
    await until('the killed replica to be gone', () => (alive(pid) ? undefined : true), 10_000);
    // Restarted: a new model-server child of up (a new pid), Ready again, and serving through the gateway.
    const next = await until('a restarted replica', async () => (await replicaChildren(u.proc.pid!)).find((p) => p !== pid), 20_000);
    assert.notEqual(next, pid);
    await u.kubectl('wait', '--for=condition=Ready', 'isvc/iris', '--timeout=30s');
    await until('predictions through the gateway again', async () => ((await predict(u.gateway, 'iris')).labels?.[0] === 1 ? true : undefined), 20_000);
    assert.equal(await until('gRPC to the restarted replica\'s new gRPC port', () => grpcLabel(u.kubeconfig), 10_000), '1');
    const isvc = await u.getJson<Isvc>('isvc', 'iris');
    assert.equal(ready(isvc), 'True');
    assert.equal(isvc.status?.components?.predictor?.latestReadyRevision, 'iris-predictor-00001', 'a restart is not a new revision');

    // The restart is visible: an Event names the replica and the signal.
    const events = await until('a ReplicaExited event', async () => {
      const list = JSON.parse(await u.kubectl('get', 'events', '-o', 'json')) as EventList;
      return list.items.find((e) => e.reason === 'ReplicaExited' && e.involvedObject.name === 'iris');
    }, 10_000);
    assert.equal(events.type, 'Warning');
    assert.match(events.message, /iris-predictor-00001-1/);
    assert.match(events.message, /SIGKILL/);
    assert.match(await u.kubectl('describe', 'isvc', 'iris'), /ReplicaExited/);
  } finally {
    if (up) {
      await up.stop();
      await removeDataDir(up.dataDir);
    }
  }
});

test('up: with two replicas, killing one -9 under continuous load fails no request (the gateway retries on the other)', { skip: kubectlSkip(), timeout: 90_000 }, async () => {
  let up: Up | undefined;
  try {
    up = await startUp();
    const u = up;
    const modelDir = await copyModel(u.dataDir, 'iris');
    await u.apply(irisYaml('iris', modelDir, {}, 2));
    await u.kubectl('wait', '--for=condition=Ready', 'isvc/iris', '--timeout=60s');
    const pids = await replicaChildren(u.proc.pid!);
    assert.equal(pids.length, 2, 'two replicas');

    // 2,000 rows a request keep each one in a replica for a while, so the kill catches some in flight.
    const load = loadGenerator(u.gateway, 'iris', 8, 2_000);
    await new Promise((r) => setTimeout(r, 500));
    process.kill(pids[0]!, 'SIGKILL');
    await until('the killed replica restarted', async () => ((await replicaChildren(u.proc.pid!)).filter((p) => !pids.includes(p)).length === 1 ? true : undefined), 20_000);
    await u.kubectl('wait', '--for=condition=Ready', 'isvc/iris', '--timeout=30s');
    await new Promise((r) => setTimeout(r, 500));
    const { ok, failures } = await load.stop();
    assert.deepEqual(failures.slice(0, 5), [], `${failures.length} of ${ok + failures.length} requests failed`);
    assert.ok(ok > 20, `the load generator ran (${ok} requests)`);
  } finally {
    if (up) {
      await up.stop();
      await removeDataDir(up.dataDir);
    }
  }
});
