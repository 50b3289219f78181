import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { SqliteStore } from './sqlite-store.ts';
import { ISVC, isvc, isvcKey, storeConformance } from './store-conformance.ts';
import { StoreError } from './store.ts';

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

test('SqliteStore: writes of one event-loop turn share one transaction; a failed check fails only its own write', async () => {
  const s = await SqliteStore.open({ dataDir: join(root, 'group') });
  await s.create(isvcKey('d', 'taken'), isvc('taken'));
  const before = s.stats();
  const results = await Promise.allSettled([
    ...Array.from({ length: 8 }, (_, i) => s.create(isvcKey('d', `a${i}`), isvc(`a${i}`))),
    s.create(isvcKey('d', 'taken'), isvc('taken')),
    s.update(isvcKey('d', 'taken'), isvc('taken'), { expectedVersion: 1 }),
    s.update(isvcKey('d', 'taken'), isvc('taken'), { expectedVersion: 1 }),
    ...Array.from({ length: 7 }, (_, i) => s.create(isvcKey('d', `b${i}`), isvc(`b${i}`))),
  ]);
  const after = s.stats();
  assert.deepEqual(after, { commits: before.commits + 1, writes: before.writes + 18 });
  const versions = results.map((r) => (r.status === 'fulfilled' ? Number(r.value.metadata.resourceVersion) : (r.reason as StoreError).reason));
  assert.deepEqual(versions, [2, 3, 4, 5, 6, 7, 8, 9, 'AlreadyExists', 10, 'Conflict', 11, 12, 13, 14, 15, 16, 17]);
  assert.equal(await s.currentVersion(), 17);
  await s.close();
});

test('SqliteStore: close commits the writes still queued before it closes the file', async () => {
  const dir = join(root, 'close-flush');
  const s = await SqliteStore.open({ dataDir: dir });
  const pending = [s.create(isvcKey('d', 'a'), isvc('a')), s.create(isvcKey('d', 'b'), isvc('b'))];
  await s.close();
  assert.deepEqual((await Promise.all(pending)).map((o) => o.metadata.resourceVersion), ['1', '2']);
  const again = await SqliteStore.open({ dataDir: dir });
  assert.deepEqual((await again.list(ISVC)).items.map((o) => o.metadata.name), ['a', 'b']);
  await again.close();
});
