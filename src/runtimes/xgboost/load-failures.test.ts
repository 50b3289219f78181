/**
 * Malformed, truncated and unsupported model files fail the load with MODEL_LOAD_FAILED and a
 * reason naming the file and the problem: never a crash, a hang or a model that loads wrong.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ErrorCode, ServingError } from '../../core/errors.ts';
import { XgboostModel } from './xgboost-model.ts';
import { xgboostFixturesDir } from './testing/fixtures.ts';
import { encodeUbjson } from './testing/ubjson-encode.ts';

const iris = join(xgboostFixturesDir(), 'kserve-iris');
let tmp = '';
before(async () => { tmp = await mkdtemp(join(tmpdir(), 'kserve-ts-xgb-')); });
after(async () => { await rm(tmp, { recursive: true, force: true }); });

async function loadFails(modelDir: string, pattern: RegExp): Promise<void> {
  const m = new XgboostModel({ name: 'm', modelDir });
  await assert.rejects(m.load(), (err: unknown) => {
    assert.ok(err instanceof ServingError, `not a ServingError: ${String(err)}`);
    assert.equal(err.code, ErrorCode.ModelLoadFailed);
    assert.match(err.message, pattern);
    return true;
  });
  assert.equal(m.ready, false);
}

async function write(name: string, bytes: Uint8Array | string): Promise<string> {
  const p = join(tmp, name);
  await writeFile(p, bytes);
  return p;
}

for (const file of ['model.json', 'model.ubj', 'model.bst']) {
  test(`${file} truncated anywhere fails with a reason`, async () => {
    const bytes = await readFile(join(iris, file));
    // Cuts at the start, in headers, and every ~1/40 of the file.
    const cuts = new Set([0, 1, 3, 4, 8, 20, 100, 140, 160, 200, 300]);
    for (let k = 1; k < 40; k++) cuts.add(Math.floor((bytes.length * k) / 40));
    for (const cut of cuts) {
      await loadFails(await write(`cut-${cut}-${file}`, bytes.subarray(0, cut)), /model\.(json|ubj|bst)|not a usable|truncated|nothing/);
    }
  });
}

test('a directory with all three formats is ambiguous, as in xgbserver', async () => {
  await loadFails(iris, /3 model files .* expected exactly one/);
});

test('missing path and empty directory', async () => {
  await loadFails(join(tmp, 'nope'), /does not exist/);
  await loadFails(tmp.length > 0 ? await mkdtemp(join(tmp, 'empty-')) : tmp, /no XGBoost model file/);
});

test('unsupported objective and booster are named', async () => {
  const doc = JSON.parse(await readFile(join(iris, 'model.json'), 'utf8')) as { learner: { objective: { name: string }; gradient_booster: { name: string } } };
  doc.learner.objective.name = 'reg:mystery';
  await loadFails(await write('objective.json', JSON.stringify(doc)), /unsupported objective "reg:mystery"/);
  doc.learner.objective.name = 'multi:softmax';
  doc.learner.gradient_booster.name = 'gbforest';
  await loadFails(await write('booster.json', JSON.stringify(doc)), /unsupported booster "gbforest"/);
});

test('structural lies are caught: cycles, out-of-range features and groups', async () => {
  type Tree = { left_children: number[]; right_children: number[]; split_indices: number[] };
  const text = await readFile(join(iris, 'model.json'), 'utf8');
  const mutate = async (name: string, f: (tree: Tree, info: number[]) => void, pattern: RegExp): Promise<void> => {
    const doc = JSON.parse(text) as { learner: { gradient_booster: { model: { trees: Tree[]; tree_info: number[] } } } };
    const model = doc.learner.gradient_booster.model;
    f(model.trees[0]!, model.tree_info);
    await loadFails(await write(name, JSON.stringify(doc)), pattern);
  };
  await mutate('cycle.json', (t) => { t.left_children[0] = 0; }, /node 0 has children 0/);
  await mutate('feature.json', (t) => { t.split_indices[0] = 99; }, /splits on feature 99/);
  await mutate('group.json', (_t, info) => { info[0] = 10; }, /group 10/);
  await mutate('lengths.json', (t) => { t.right_children.pop(); }, /right_children: 2 entries, expected 3/);
});

test('garbage bytes, deep nesting and huge counts fail fast', async () => {
  await loadFails(await write('garbage.bst', Buffer.from('hello, this is not a model at all, not even close.'.repeat(5))), /not a usable/);
  await loadFails(await write('deep.json', '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000)), /not a usable/);
  await loadFails(await write('deep.ubj', Buffer.from('{L\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0001a'.repeat(1000), 'latin1')), /nesting deeper/);
  // A typed float array claiming 2^40 elements must not allocate them.
  const huge = Buffer.concat([Buffer.from('[$d#L', 'latin1'), Buffer.from([0, 0, 1, 0, 0, 0, 0, 0])]);
  await loadFails(await write('huge.ubj', Buffer.concat([Buffer.from('{L\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0001a', 'latin1'), huge])), /truncated/);
});

test('a model saved by an unsupported XGBoost version is refused, naming the file, version and range', async () => {
  const doc = JSON.parse(await readFile(join(iris, 'model.json'), 'utf8')) as { version: number[] };
  const range = /supported: 1\.0 through 3\.x/;
  for (const [version, shown] of [[[99, 0, 0], '99.0.0'], [[4, 0, 0], '4.0.0'], [[0, 90, 0], '0.90.0']] as const) {
    doc.version = [...version];
    const json = await write(`v${shown}.json`, JSON.stringify(doc));
    await loadFails(json, new RegExp(`v${shown.replace(/\./g, '\\.')}\\.json.*XGBoost version ${shown.replace(/\./g, '\\.')}.*${range.source}`));
    const ubj = await write(`v${shown}.ubj`, encodeUbjson(doc));
    await loadFails(ubj, new RegExp(`v${shown.replace(/\./g, '\\.')}\\.ubj.*XGBoost version ${shown.replace(/\./g, '\\.')}.*${range.source}`));
  }
  // Legacy binary: major/minor sit at bytes 20 and 24 of the learner header (after "binf").
  const bst = Buffer.from(await readFile(join(iris, 'model.bst')));
  bst.writeUInt32LE(99, 4 + 20);
  await loadFails(await write('v99.bst', bst), /v99\.bst.*XGBoost version 99\.0\.0.*supported: 0\.x \(legacy binary\) through 3\.x/);
});

test('versions 1.0 through 3.x load; a legacy binary from before 1.0 (version zeros) loads', async () => {
  const doc = JSON.parse(await readFile(join(iris, 'model.json'), 'utf8')) as { version: number[] };
  for (const version of [[1, 0, 0], [2, 1, 4], [3, 0, 2], [3, 99, 0]]) {
    doc.version = version;
    const m = new XgboostModel({ name: 'm', modelDir: await write(`ok-${version.join('.')}.ubj`, encodeUbjson(doc)) });
    await m.load();
    assert.deepEqual(m.evaluator!.spec.version, version);
  }
  const bst = Buffer.from(await readFile(join(iris, 'model.bst')));
  bst.writeUInt32LE(0, 4 + 20);
  const m = new XgboostModel({ name: 'm', modelDir: await write('v0.bst', bst) });
  await m.load();
  assert.deepEqual(m.evaluator!.spec.version, [0, 0, 0]);
});
