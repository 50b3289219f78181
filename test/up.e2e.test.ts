/**
 * `kserve-ts up` end to end (a first slice of issue 6): the real kubectl applies the example
 * InferenceService, it becomes Ready, the gateway answers V1 and V2 by path and by Host, deleting
 * it stops its replica process, and SIGTERM stops everything up started.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { request } from 'node:http';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { ROOT } from './cli-helpers.ts';
import { KUBECTL, kubectlSkip } from './support/kubectl.ts';

const run = promisify(execFile);

/** Child processes of `pid` (from /proc), so the test can see replicas come and go. */
async function childrenOf(pid: number): Promise<number[]> {
  const { stdout } = await run('ps', ['-o', 'pid=', '--ppid', String(pid)]).catch(() => ({ stdout: '' }));
  return stdout.split('\n').map((s) => Number(s.trim())).filter((n) => n > 0);
}

/** A POST with an explicit Host header (fetch does not let a caller set Host). */
function postWithHost(url: string, host: string, body: string): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { host, 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as unknown }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function commandOf(pid: number): Promise<string> {
  return (await run('ps', ['-o', 'args=', '-p', String(pid)]).catch(() => ({ stdout: '' }))).stdout;
}

test('kserve-ts up: kubectl apply → Ready → predictions through the gateway; delete and SIGTERM leave no process', { skip: kubectlSkip() }, async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'kserve-ts-up-'));
  const kubeconfig = join(dataDir, 'kubeconfig');
  const kubectl = (...args: string[]): Promise<{ stdout: string }> => run(KUBECTL, ['--kubeconfig', kubeconfig, '--cache-dir', join(dataDir, 'kube-cache'), ...args], { cwd: ROOT });
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/bin/kserve-ts.ts', 'up', '--port', '0', '--gateway-port', '0', '--data-dir', dataDir, '--log-level', 'warn'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
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
    assert.match((await kubectl('apply', '-f', 'examples/manifests/iris-onnx.yaml')).stdout, /iris created/);
    await kubectl('wait', '--for=condition=Ready', 'isvc/iris', '--timeout=60s');
    const isvc = JSON.parse((await kubectl('get', 'isvc', 'iris', '-o', 'json')).stdout) as { status: { url: string; components: { predictor: { latestReadyRevision: string } } } };
    assert.equal(isvc.status.url, 'http://iris.default.example.com');
    assert.equal(isvc.status.components.predictor.latestReadyRevision, 'iris-predictor-00001');

    const v1 = await fetch(`${gateway}/serving/default/iris/v1/models/iris:predict`, { method: 'POST', body: '{"instances": [[6.8, 2.8, 4.8, 1.4], [5.1, 3.5, 1.4, 0.2]]}' });
    assert.equal(v1.status, 200);
    assert.deepEqual(((await v1.json()) as { predictions: { label: number }[] }).predictions.map((p) => p.label), [1, 0]);
    const body = JSON.stringify({ inputs: [{ name: 'input-0', shape: [1, 4], datatype: 'FP32', data: [7.7, 3.0, 6.1, 2.3] }], outputs: [{ name: 'label' }] });
    for (const host of ['iris.default.example.com', 'iris-default.example.com']) {
      const v2 = await postWithHost(`${gateway}/v2/models/iris/infer`, host, body);
      assert.equal(v2.status, 200, host);
      assert.deepEqual((v2.json as { outputs: { data: number[] }[] }).outputs[0]!.data, [2]);
    }

    const replicas = [];
    for (const pid of await childrenOf(proc.pid!)) if ((await commandOf(pid)).includes('model-server')) replicas.push(pid);
    assert.equal(replicas.length, 1, 'one replica process');
    await kubectl('delete', 'isvc', 'iris', '--wait=true', '--timeout=30s');
    assert.equal(existsSync(`/proc/${replicas[0]}`), false, 'the replica process is gone after delete');
    const gone = await fetch(`${gateway}/serving/default/iris/v1/models/iris`);
    assert.equal(gone.status, 404);

    await kubectl('apply', '-f', 'examples/manifests/iris-onnx.yaml');
    await kubectl('wait', '--for=condition=Ready', 'isvc/iris', '--timeout=60s');
    const again = [];
    for (const pid of await childrenOf(proc.pid!)) if ((await commandOf(pid)).includes('model-server')) again.push(pid);
    assert.equal(again.length, 1);
    proc.kill('SIGTERM');
    assert.equal(await exited, 0, err);
    assert.equal(existsSync(`/proc/${again[0]}`), false, 'SIGTERM stops the replicas up started');
  } finally {
    if (proc.exitCode === null) proc.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  }
});
