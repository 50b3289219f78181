import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { SqliteStore } from './sqlite-store.ts';
import { storeConformance } from './store-conformance.ts';

const root = mkdtempSync(join(tmpdir(), 'kserve-ts-sqlite-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

storeConformance('SqliteStore', (o) => SqliteStore.open({ ...o, dataDir: join(root, `s${n++}`) }));

test('SqliteStore: a second open of the same data dir fails while the first holds it', async () => {
  const dir = join(root, 'locked');
  const a = await SqliteStore.open({ dataDir: dir });
  await a.create({ group: '', resource: 'namespaces', name: 'default' }, { metadata: { name: 'default' } });
  await assert.rejects(SqliteStore.open({ dataDir: dir }), /is in use by another process/);
  await a.close();
  const b = await SqliteStore.open({ dataDir: dir });
  assert.equal(await b.currentVersion(), 1);
  await b.close();
});

test('SqliteStore: options are checked', async () => {
  await assert.rejects(SqliteStore.open({ dataDir: '' }), /dataDir: Invalid value: "": expected a directory path/);
  await assert.rejects(SqliteStore.open({ dataDir: join(root, 'x'), historySize: 0 }), /historySize: Invalid value: 0: expected an integer from 1 to 10000000/);
});
