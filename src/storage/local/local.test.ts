import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseStorageUri, StorageError } from '../provider.ts';
import { localProvider, PVC_ROOT_ENV } from './local.ts';

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'kts-local-'));
  await mkdir(join(root, 'models', 'iris', '1'), { recursive: true });
  await writeFile(join(root, 'models', 'iris', '1', 'model.onnx'), 'onnx');
  await mkdir(join(root, 'vols', 'my-claim', 'iris'), { recursive: true });
  await writeFile(join(root, 'vols', 'my-claim', 'iris', 'model.bst'), 'bst');
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

const ctx = { env: {} };

async function notFound(p: Promise<unknown>, re: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => e instanceof StorageError && e.reason === 'NotFound' && re.test(e.message));
}

describe('localProvider', () => {
  const p = localProvider();

  it('serves absolute paths and file:///abs in place', async () => {
    const dir = join(root, 'models', 'iris');
    assert.equal(await p.localPath!(parseStorageUri(dir), ctx), dir);
    assert.equal(await p.localPath!(parseStorageUri(`file://${dir}`), ctx), dir);
  });

  it('resolves relative paths and file://relative against cwd', async () => {
    const cwdP = localProvider({ cwd: root });
    assert.equal(await cwdP.localPath!(parseStorageUri('models/iris'), ctx), join(root, 'models', 'iris'));
    assert.equal(await cwdP.localPath!(parseStorageUri('file://models/iris/1/model.onnx'), ctx), join(root, 'models', 'iris', '1', 'model.onnx'));
    const rel = relative(process.cwd(), join(root, 'models', 'iris'));
    assert.equal(await p.localPath!(parseStorageUri(rel), ctx), join(root, 'models', 'iris'));
  });

  it('missing → NotFound naming the path', async () => {
    const missing = join(root, 'nope', 'model');
    await notFound(p.localPath!(parseStorageUri(missing), ctx), new RegExp(`${missing} does not exist`));
    await notFound(p.resolve(parseStorageUri(`file://${missing}`), ctx), /does not exist/);
  });

  it('pvc://claim/path maps under the volumes root, from the option or KSERVE_TS_PVC_ROOT', async () => {
    const want = join(root, 'vols', 'my-claim', 'iris');
    assert.equal(await localProvider({ pvcRoot: join(root, 'vols') }).localPath!(parseStorageUri('pvc://my-claim/iris'), ctx), want);
    assert.equal(await p.localPath!(parseStorageUri('pvc://my-claim/iris'), { env: { [PVC_ROOT_ENV]: join(root, 'vols') } }), want);
    await notFound(p.localPath!(parseStorageUri('pvc://other-claim/iris'), { env: { [PVC_ROOT_ENV]: join(root, 'vols') } }), /other-claim/);
  });

  it('pvc:// without a root names the env var; a path climbing out of the claim is InvalidUri', async () => {
    await assert.rejects(p.localPath!(parseStorageUri('pvc://c/x'), ctx), (e: unknown) => e instanceof StorageError && e.reason === 'InvalidUri' && e.message.includes(PVC_ROOT_ENV));
    await assert.rejects(localProvider({ pvcRoot: root }).localPath!(parseStorageUri('pvc://c/../../etc'), ctx), (e: unknown) => e instanceof StorageError && e.reason === 'InvalidUri');
  });

  it('version is mtime + size and changes when the file changes', async () => {
    const f = join(root, 'models', 'iris', '1', 'model.onnx');
    const u = parseStorageUri(f);
    const v1 = await p.resolve(u, ctx);
    assert.equal((await p.resolve(u, ctx)).version, v1.version);
    assert.equal(v1.totalBytes, 4);
    await writeFile(f, 'onnx2');
    await utimes(f, new Date(), new Date(Date.now() + 5000));
    const v2 = await p.resolve(u, ctx);
    assert.notEqual(v2.version, v1.version);
    assert.match(v2.version, /size:5$/);
  });
});
