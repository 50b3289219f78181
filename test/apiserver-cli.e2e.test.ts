/**
 * `kserve-ts apiserver` end to end: the command starts on the SQLite store, writes a kubeconfig,
 * the real kubectl applies the example manifests through it, and everything acknowledged survives
 * a restart of the process (the store is on disk).
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { ROOT } from './cli-helpers.ts';
import { KUBECTL, kubectlSkip } from './support/kubectl.ts';

const run = promisify(execFile);

interface Started {
  proc: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

async function startApiserver(args: string[]): Promise<Started> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/bin/kserve-ts.ts', 'apiserver', '--port', '0', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stderr.on('data', (c: Buffer) => (err += c.toString()));
  let signal: string | null = null;
  const exited = new Promise<number | null>((resolve) =>
    proc.on('exit', (code, sig) => {
      signal = sig;
      resolve(code);
    }),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`apiserver did not start:\n${out}\n${err}`)), 30_000);
    proc.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening: (http:\/\/\S+)[\s\S]*kubectl get isvc\n/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    void exited.then((code) => reject(new Error(`apiserver exited with ${code}:\n${out}\n${err}`)));
  });
  return { proc, url, stdout: () => out, stderr: () => `${err}${signal ? `\n(killed by ${signal})` : ''}`, exited };
}

async function stop(s: Started): Promise<void> {
  s.proc.kill('SIGTERM');
  const code = await s.exited;
  assert.equal(code, 0, `apiserver exited with ${code}; stderr:\n${s.stderr().slice(-3000)}`);
}

test('kserve-ts apiserver --help names its flags', async () => {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/bin/kserve-ts.ts', 'apiserver', '--help'], { cwd: ROOT });
  assert.match(stdout, /--data-dir DIR/);
  assert.match(stdout, /--kubeconfig FILE/);
});

test('a bad flag is rejected naming it', async () => {
  const r = await run(process.execPath, ['--import', 'tsx', 'src/bin/kserve-ts.ts', 'apiserver', '--port', 'http'], { cwd: ROOT }).catch((e: { code: number; stderr: string }) => e);
  assert.equal((r as { code: number }).code, 2);
  assert.match((r as { stderr: string }).stderr, /--port: got "http", expected an integer from 0 to 65535/);
});

test('kubectl applies the example manifests; they survive a restart', { skip: kubectlSkip() }, async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'kserve-ts-apiserver-'));
  const kubeconfig = join(dataDir, 'kubeconfig');
  const kubectl = (...args: string[]): Promise<{ stdout: string; stderr: string }> =>
    run(KUBECTL, ['--kubeconfig', kubeconfig, '--cache-dir', join(dataDir, 'kube-cache'), ...args], { cwd: ROOT });
  try {
    let s = await startApiserver(['--data-dir', dataDir]);
    try {
      const cfg = parse(await readFile(kubeconfig, 'utf8')) as { clusters: { cluster: { server: string } }[] };
      assert.equal(cfg.clusters[0]!.cluster.server, s.url);
      const applied = await kubectl('apply', '-f', 'examples/manifests/');
      assert.match(applied.stdout, /inferenceservice\.serving\.kserve\.io\/iris created/);
      assert.match(applied.stdout, /inferenceservice\.serving\.kserve\.io\/sklearn-iris created/);
    } finally {
      await stop(s);
    }
    s = await startApiserver(['--data-dir', dataDir]);
    try {
      const got = await kubectl('get', 'isvc', 'iris', '-o', 'json');
      const isvc = JSON.parse(got.stdout) as { metadata: { generation: number; labels: Record<string, string> }; spec: { predictor: Record<string, unknown> } };
      assert.deepEqual(isvc.metadata.labels, { app: 'iris' });
      // The legacy `onnx:` key was rewritten by defaulting, as KServe's webhook does.
      assert.deepEqual((isvc.spec.predictor.model as { modelFormat: unknown }).modelFormat, { name: 'onnx' });
      const list = await kubectl('get', 'inferenceservices');
      assert.match(list.stdout, /^NAME\s+URL\s+READY/m);
      assert.match(list.stdout, /^sklearn-iris\s/m);
      const runtimes = await kubectl('get', 'clusterservingruntimes', '-o', 'name');
      for (const r of ['kserve-sklearnserver', 'kserve-xgbserver', 'kserve-lgbserver', 'kserve-pmmlserver', 'kserve-tritonserver']) {
        assert.match(runtimes.stdout, new RegExp(`^clusterservingruntime\\.serving\\.kserve\\.io/${r}$`, 'm'));
      }
      const again = await kubectl('apply', '-f', 'examples/manifests/sklearn-iris.yaml');
      assert.match(again.stdout, /sklearn-iris unchanged/);
    } finally {
      await stop(s);
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
