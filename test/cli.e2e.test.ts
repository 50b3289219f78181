/**
 * The `kserve-ts` CLI verbs against a real `kserve-ts up` (port 0, temp data dir), over HTTP only:
 * apply → wait (progress) → get / describe → predict V1 and V2 through the gateway → logs (and
 * `-f` receiving lines written later) → delete; and the failures a user meets: unknown kind,
 * missing object, bad flags (exit 2), a wait that times out naming the reason, a model that fails
 * to load, predict on a service that is not Ready. Most verbs run in-process through `runVerb`
 * (the same code the binary runs, with captured streams); a few run the real binary to check
 * exit codes and the wiring in src/bin/main.ts.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { appendFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { test } from 'node:test';
import { runVerb, type CliIo } from '../src/cli/index.ts';
import { ROOT } from './cli-helpers.ts';
import { startUp, until } from './support/up.ts';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (c: Buffer) => (text += c.toString()));
  return { stream, text: () => text };
}

/** Runs a verb in-process with captured streams. */
async function cli(env: NodeJS.ProcessEnv, argv: string[], stdin = ''): Promise<Result> {
  const out = capture();
  const err = capture();
  const io: CliIo = { stdout: out.stream, stderr: err.stream, stdin: Readable.from([stdin]), env };
  const code = await runVerb(argv[0]!, argv.slice(1), io);
  return { code, stdout: out.text(), stderr: err.text() };
}

/** Runs the real binary (tsx from source). */
function bin(env: NodeJS.ProcessEnv, argv: string[]): Promise<Result> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/bin/kserve-ts.ts', ...argv], { cwd: ROOT, env: { ...env, PATH: process.env.PATH } }, (e, stdout, stderr) =>
      resolve({ code: e ? ((e as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function findLogs(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) if (e.isFile() && e.name.endsWith('.log')) out.push(join(e.parentPath, e.name));
  return out;
}

test('CLI against kserve-ts up: apply, wait, get, describe, predict V1/V2, logs (-f), errors, delete', { timeout: 90_000 }, async () => {
  const up = await startUp();
  const env = { KUBECONFIG: up.kubeconfig, HOME: up.dataDir };
  try {
    // apply: created, then unchanged (idempotent, as `npm start` over an earlier data dir relies on).
    let r = await cli(env, ['apply', '-f', 'examples/manifests/iris-onnx.yaml']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'inferenceservice.serving.kserve.io/iris created\n');

    r = await cli(env, ['wait', '--for=condition=Ready', 'isvc/iris', '--timeout=60s']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'inferenceservice.serving.kserve.io/iris condition met\n');
    // Not a TTY: one plain progress line per change, ending with the Ready state.
    assert.match(r.stderr, /^isvc\/iris: model \w+/m);
    assert.match(r.stderr.trimEnd().split('\n').at(-1)!, /model Loaded, replicas 1, Ready=True/);
    assert.ok(!r.stderr.includes('\r'), 'no carriage returns off a TTY');

    r = await cli(env, ['apply', '-f', 'examples/manifests/iris-onnx.yaml']);
    assert.equal(r.stdout, 'inferenceservice.serving.kserve.io/iris unchanged\n');
    r = await cli(env, ['apply', '-n', 'kserve', '-f', '-'], 'apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata:\n  name: x\n  namespace: default\n');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /the namespace from the provided object "default" does not match the namespace "kserve"/);

    r = await cli(env, ['get', 'isvc']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^NAME\s+URL\s+READY/);
    assert.match(r.stdout, /\niris\s+http:\/\/iris\.default\.example\.com\s+True/);
    r = await cli(env, ['get', 'inferenceservices', '-A']);
    assert.match(r.stdout, /^NAMESPACE\s+NAME/);
    assert.match(r.stdout, /\ndefault\s+iris\s/);
    r = await cli(env, ['get', 'isvc', 'iris', '-o', 'json']);
    assert.equal((JSON.parse(r.stdout) as { status: { url: string } }).status.url, 'http://iris.default.example.com');
    assert.equal((await cli(env, ['get', 'isvc/iris', '-o', 'name'])).stdout, 'inferenceservice.serving.kserve.io/iris\n');
    r = await cli(env, ['get', 'clusterservingruntime', '-o', 'name']);
    assert.match(r.stdout, /clusterservingruntime\.serving\.kserve\.io\/kserve-\w+/);

    r = await cli(env, ['describe', 'isvc', 'iris']);
    assert.equal(r.code, 0, r.stderr);
    for (const re of [/^Name:\s+iris$/m, /^URL:\s+http:\/\/iris\.default\.example\.com$/m, /^\s+Ready\s+True/m, /^\s+predictor:$/m, /Latest Ready Revision:\s+iris-predictor-00001/, /Active State:\s+Loaded/, /^Events:\n\s+Type\s+Reason/m, /Normal\s+RevisionCreated/]) {
      assert.match(r.stdout, re);
    }

    // predict: V1 by `instances`, V2 by `inputs` tensors, through the gateway by Host.
    r = await cli(env, ['predict', 'iris', '-d', '{"instances": [[6.8, 2.8, 4.8, 1.4], [5.1, 3.5, 1.4, 0.2]]}']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual((JSON.parse(r.stdout) as { predictions: { label: number }[] }).predictions.map((p) => p.label), [1, 0]);
    const v2 = join(up.dataDir, 'v2.json');
    await writeFile(v2, JSON.stringify({ inputs: [{ name: 'input-0', shape: [1, 4], datatype: 'FP32', data: [7.7, 3.0, 6.1, 2.3] }] }));
    r = await cli(env, ['predict', 'iris', '--data', v2]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual((JSON.parse(r.stdout) as { outputs: { name: string; data: number[] }[] }).outputs.find((o) => o.name === 'label')!.data, [2]);
    r = await cli(env, ['predict', 'iris', '--data', '-'], '{"instances": [[5.1, 3.5, 1.4, 0.2]]}');
    assert.equal(r.code, 0, r.stderr);
    r = await cli(env, ['predict', 'iris', '--model', 'nope', '-d', '{"instances": [[1, 2, 3, 4]]}']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /answered 404: .*nope/);
    r = await cli(env, ['predict', 'iris', '-d', '{"x": 1}']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /-d: not a V1 or V2 request/);

    // logs: the replica's output; -f receives what the replica writes later.
    r = await cli(env, ['logs', 'isvc/iris']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.length > 0, 'the replica logged something at start');
    const files = await findLogs(up.dataDir);
    assert.equal(files.length, 1, `one replica log file: ${files.join(', ')}`);
    r = await cli(env, ['logs', 'isvc/iris', '--tail', '1']);
    assert.equal(r.stdout.trimEnd().split('\n').length, 1);
    const follow = spawn(process.execPath, ['--import', 'tsx', 'src/bin/kserve-ts.ts', 'logs', 'isvc/iris', '-f', '--tail', '0'], { cwd: ROOT, env: { ...env, PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'pipe'] });
    let followed = '';
    follow.stdout.on('data', (c: Buffer) => (followed += c.toString()));
    try {
      // Keep writing until the follower (which needs a moment to start) has seen a line.
      let n = 0;
      await until('logs -f to print a line written later', async () => {
        await appendFile(files[0]!, `cli-e2e marker ${n++}\n`);
        return followed.includes('cli-e2e marker') ? true : undefined;
      });
      assert.match(followed, /^cli-e2e marker \d+\n/);
    } finally {
      follow.kill('SIGTERM');
    }

    // Failures, with messages and exit codes (the real binary for the exit codes).
    r = await bin(env, ['get', 'foo']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /the server doesn't have a resource type "foo"/);
    r = await bin(env, ['get', 'isvc', 'nope']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Error from server \(NotFound\): inferenceservices.serving.kserve.io "nope" not found/);
    r = await bin(env, ['get', 'isvc', '--bogus']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown flag "--bogus"/);
    r = await cli(env, ['wait', '--for=condition=Ready', 'isvc/iris', '--timeout=soon']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--timeout: got "soon", expected a duration/);
    r = await cli(env, ['logs', 'isvc/iris', '-c', 'sidecar']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--container: got "sidecar", expected one of predictor, transformer, explainer/);
    r = await cli(env, ['logs', 'isvc/iris', '-c', 'transformer']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no transformer replicas/);
    r = await cli(env, ['wait', '--for=condition=Stopped', 'isvc/iris', '--timeout=1s']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /timed out after 1s waiting for condition Stopped on inferenceservice.serving.kserve.io\/iris: /);

    // A model that cannot load: wait fails fast with lastFailureInfo; predict refuses.
    r = await cli(
      env,
      ['apply', '-f', '-'],
      'apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata:\n  name: broken\nspec:\n  predictor:\n    model:\n      modelFormat:\n        name: onnx\n      protocolVersion: v2\n      storageUri: file:///nonexistent/model\n',
    );
    assert.equal(r.code, 0, r.stderr);
    r = await cli(env, ['predict', 'broken', '-d', '{"instances": [[1, 2, 3, 4]]}']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /inferenceservice "broken" is not Ready/);
    r = await cli(env, ['wait', '--for=condition=Ready', 'isvc/broken', '--timeout=45s']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /error: inferenceservice.serving.kserve.io\/broken will not become Ready: the model failed to load.*nonexistent/s);
    r = await cli(env, ['describe', 'isvc', 'broken']);
    assert.match(r.stdout, /Last Failure Info:/);

    // delete (here without waiting, then wait --for=delete); a second delete is NotFound (exit 1),
    // unless --ignore-not-found; delete -f waits until gone by default.
    r = await cli(env, ['delete', 'isvc', 'iris', '--wait=false']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'inferenceservice.serving.kserve.io "iris" deleted\n');
    r = await cli(env, ['wait', '--for=delete', 'isvc/iris', '--timeout=30s']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'inferenceservice.serving.kserve.io/iris condition met\n');
    assert.equal((await cli(env, ['get', 'isvc', 'iris'])).code, 1);
    r = await cli(env, ['delete', 'isvc', 'iris']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /NotFound/);
    assert.equal((await cli(env, ['delete', 'isvc', 'iris', '--ignore-not-found'])).code, 0);
    r = await cli(env, ['delete', '-f', '-'], 'apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata:\n  name: broken\n');
    assert.equal(r.code, 0, r.stderr);
    r = await cli(env, ['get', 'isvc']);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'No resources found in default namespace.\n');
  } finally {
    // SIGTERM: up stops its replicas (SIGKILL would leave them running, detached).
    await up.stop();
    await rm(up.dataDir, { recursive: true, force: true });
  }
});
