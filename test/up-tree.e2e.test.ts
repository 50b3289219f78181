/**
 * `kserve-ts up` with the bundled tree example: the real kubectl applies
 * examples/manifests/iris-xgboost.yaml (modelFormat xgboost), the built-in ClusterServingRuntime
 * kserve-xgbserver is selected, the InferenceService becomes Ready, and V1 through the gateway's
 * path route answers the class probabilities of KServe's iris rows. Deleting it stops its replica.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { ROOT } from './cli-helpers.ts';
import { KUBECTL, kubectlSkip } from './support/kubectl.ts';

const run = promisify(execFile);
const argmax = (p: number[]): number => p.indexOf(Math.max(...p));

/** Replica processes (`model-server` children) of `pid`, from ps. */
async function replicasOf(pid: number): Promise<number[]> {
  const { stdout } = await run('ps', ['-o', 'pid=,args=', '--ppid', String(pid)]).catch(() => ({ stdout: '' }));
  return stdout.split('\n').filter((l) => l.includes('model-server')).map((l) => Number(l.trim().split(/\s+/)[0]));
}

test('kserve-ts up: the iris-xgboost example → kserve-xgbserver → Ready → V1 through the gateway', { skip: kubectlSkip(), timeout: 120_000 }, async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'kserve-ts-up-tree-'));
  const kubeconfig = join(dataDir, 'kubeconfig');
  const kubectl = (...args: string[]): Promise<{ stdout: string }> => run(KUBECTL, ['--kubeconfig', kubeconfig, '--cache-dir', join(dataDir, 'kube-cache'), ...args], { cwd: ROOT });
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/bin/kserve-ts.ts', 'up', '--port', '0', '--gateway-port', '0', '--grpc-gateway-port', '0', '--data-dir', dataDir, '--log-level', 'warn'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', resolve));
  try {
    const gateway = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`up did not start:\n${out}\n${err}`)), 30_000);
      proc.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /gateway (http:\/\/[^\s,]+)[\s\S]*curl /.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      void exited.then((code) => reject(new Error(`up exited with ${code}:\n${out}\n${err}`)));
    });
    assert.match((await kubectl('apply', '-f', 'examples/manifests/iris-xgboost.yaml')).stdout, /iris-xgboost created/);
    await kubectl('wait', '--for=condition=Ready', 'isvc/iris-xgboost', '--timeout=60s');
    const isvc = JSON.parse((await kubectl('get', 'isvc', 'iris-xgboost', '-o', 'json')).stdout) as {
      metadata: { annotations: Record<string, string> };
      status: { clusterServingRuntimeName?: string; components: { predictor: { latestReadyRevision: string } } };
    };
    assert.equal(isvc.status.clusterServingRuntimeName, 'kserve-xgbserver');
    assert.equal(isvc.status.components.predictor.latestReadyRevision, 'iris-xgboost-predictor-00001');

    // The manifest's example request, as `npm start` would print it.
    const example = isvc.metadata.annotations['serving.kserve-ts.io/example-request']!;
    const v1 = await fetch(`${gateway}/serving/default/iris-xgboost/v1/models/iris-xgboost:predict`, { method: 'POST', body: example });
    assert.equal(v1.status, 200);
    assert.deepEqual(((await v1.json()) as { predictions: number[][] }).predictions.map(argmax), [1, 1]);
    const rows = { instances: [[6.8, 2.8, 4.8, 1.4], [5.1, 3.5, 1.4, 0.2], [7.7, 3.0, 6.1, 2.3]] };
    const three = await fetch(`${gateway}/serving/default/iris-xgboost/v1/models/iris-xgboost:predict`, { method: 'POST', body: JSON.stringify(rows) });
    assert.equal(three.status, 200);
    assert.deepEqual(((await three.json()) as { predictions: number[][] }).predictions.map(argmax), [1, 0, 2]);

    const replicas = await replicasOf(proc.pid!);
    assert.equal(replicas.length, 1, 'one replica process');
    assert.match(readFileSync(`/proc/${replicas[0]}/cmdline`, 'utf8'), /iris-xgboost/);
    await kubectl('delete', 'isvc', 'iris-xgboost', '--wait=true', '--timeout=30s');
    assert.equal(existsSync(`/proc/${replicas[0]}`), false, 'the replica process is gone after delete');
    proc.kill('SIGTERM');
    assert.equal(await exited, 0, err);
  } finally {
    if (proc.exitCode === null) proc.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  }
});
