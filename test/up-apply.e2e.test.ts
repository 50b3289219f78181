/**
 * `kserve-ts up -f examples/manifests/iris-onnx.yaml` (what `npm start` runs): it applies the
 * manifest, waits Ready with plain progress lines (stdout is a pipe here), and prints a curl
 * through the gateway whose request, run by the real curl, returns predictions. Started again on
 * the same data dir (the state an earlier `npm start` left), the apply is `unchanged` and the
 * service comes back Ready.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from './cli-helpers.ts';

const CURL = '/usr/bin/curl';

async function upWithFile(dataDir: string): Promise<{ out: string; stderr: () => string; stop(): Promise<number | null> }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/bin/kserve-ts.ts', 'up', '--port', '0', '--gateway-port', '0', '--grpc-gateway-port', '0', '--data-dir', dataDir, '--log-level', 'warn', '-f', 'examples/manifests/iris-onnx.yaml'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code, signal) => resolve(signal === null ? code : null)));
  const stop = async (): Promise<number | null> => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
    }
    return exited;
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`up -f did not finish starting:\n${out}\n${err}`)), 60_000);
      proc.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        // The hook's last line: the KUBECONFIG hint.
        if (/kserve-ts up: API [\s\S]*export KUBECONFIG=[^\n]*\n/.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      });
      void exited.then((code) => reject(new Error(`up exited with ${code}:\n${out}\n${err}`)));
    });
  } catch (e) {
    proc.kill('SIGKILL');
    throw e;
  }
  return { out, stderr: () => err, stop };
}

test('up -f: apply, progress, Ready, a printed curl that returns predictions; again on the same data dir', { timeout: 120_000, skip: existsSync(CURL) ? false : `${CURL} not found: SKIPPED` }, async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'kserve-ts-up-f-'));
  try {
    let up = await upWithFile(dataDir);
    try {
      assert.match(up.out, /^inferenceservice\.serving\.kserve\.io\/iris created$/m);
      assert.match(up.out, /^isvc\/iris: model Loaded, replicas 1, Ready=True$/m);
      assert.match(up.out, /^isvc\/iris is Ready\. Call it through the gateway:$/m);
      assert.match(up.out, new RegExp(`export KUBECONFIG=${join(dataDir, 'kubeconfig')}`));
      const curl = /^ {2}(curl http:\/\/127\.0\.0\.1:\d+\/serving\/default\/iris\/v1\/models\/iris:predict .*)$/m.exec(up.out);
      assert.ok(curl, `a curl by path in:\n${up.out}`);
      assert.ok(curl[1]!.includes(`-d '{"instances": [[6.8, 2.8, 4.8, 1.4], [6.0, 3.4, 4.5, 1.6]]}'`), 'the body is the manifest annotation');
      assert.match(up.out, /^ {2}→ 200 \{"predictions":\[\{"label":1,/m);
      // The printed command itself, run by a shell with the real curl.
      const { stdout } = await new Promise<{ stdout: string }>((resolve, reject) =>
        execFile('/bin/sh', ['-c', `${curl[1]!} -sS --fail-with-body`], (e, so, se) => (e ? reject(new Error(`${e.message}\n${se}`)) : resolve({ stdout: so }))),
      );
      assert.deepEqual((JSON.parse(stdout) as { predictions: { label: number }[] }).predictions.map((p) => p.label), [1, 1]);
    } finally {
      assert.equal(await up.stop(), 0, up.stderr());
    }
    up = await upWithFile(dataDir);
    try {
      assert.match(up.out, /^inferenceservice\.serving\.kserve\.io\/iris unchanged$/m);
      assert.match(up.out, /^ {2}→ 200 \{"predictions"/m);
    } finally {
      assert.equal(await up.stop(), 0, up.stderr());
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
