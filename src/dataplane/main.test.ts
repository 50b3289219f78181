import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { modelServerMain, startupFailure } from './main.ts';

test('startupFailure: only when every configured model FAILED', () => {
  assert.equal(startupFailure([]), undefined, 'no model configured: keep serving (models may be loaded later)');
  assert.equal(startupFailure([{ name: 'a', state: 'READY' }, { name: 'b', state: 'FAILED', reason: 'x' }]), undefined);
  assert.equal(startupFailure([{ name: 'a', state: 'UNAVAILABLE' }]), undefined);
  assert.equal(
    startupFailure([{ name: 'a', state: 'FAILED', reason: 'bad file' }, { name: 'b', state: 'FAILED', reason: 'no file' }]),
    'kserve-ts model-server: no model could be loaded, exiting: model a: bad file; model b: no file',
  );
});

test('model-server with a model that cannot load exits 1 with the load error as its last line', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kserve-ts-bad-model-'));
  try {
    await writeFile(join(dir, 'model.onnx'), 'not an onnx file');
    const out = new PassThrough();
    const err = new PassThrough();
    let errText = '';
    err.on('data', (c: Buffer) => (errText += c.toString()));
    const code = await modelServerMain(['--model_dir', dir, '--model_name', 'bad', '--http_port', '0', '--grpc_port', '0', '--log_level', 'silent'], out, err);
    assert.equal(code, 1);
    assert.match(errText.trim().split('\n').at(-1) ?? '', /^kserve-ts model-server: no model could be loaded, exiting: model bad: .*model\.onnx.*/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
