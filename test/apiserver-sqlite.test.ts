/**
 * The API server over the durable SqliteStore: what the API acknowledged is there after a
 * restart over the same data dir, watches resume from a version across the restart, and
 * concurrent patches through the store's write queue all land.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ALL_KINDS } from '../src/api/index.ts';
import { startApiServer } from '../src/control/apiserver/server.ts';
import { SqliteStore } from '../src/control/store/sqlite-store.ts';
import { call, isvc, ISVC_PATH, openWatch } from './apiserver-helpers.ts';

test('objects, status and versions survive a restart; a watch resumes from a version taken before it', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'apiserver-sqlite-'));
  try {
    let store = await SqliteStore.open({ dataDir });
    let server = await startApiServer({ port: 0, store, kinds: ALL_KINDS });
    const c = await call(server.url, 'POST', ISVC_PATH, isvc('durable'));
    assert.equal(c.status, 201);
    const s = await call(server.url, 'PATCH', `${ISVC_PATH}/durable/status`, { status: { url: 'http://durable.default' } }, { 'content-type': 'application/merge-patch+json' });
    assert.equal(s.status, 200);
    const n = 20;
    const replies = await Promise.all(Array.from({ length: n }, (_, i) => call(server.url, 'PATCH', `${ISVC_PATH}/durable`, { metadata: { labels: { [`l${i}`]: 'x' } } }, { 'content-type': 'application/merge-patch+json' })));
    assert.deepEqual(replies.map((x) => x.status), Array(n).fill(200));
    const before = await call(server.url, 'GET', `${ISVC_PATH}/durable`);
    await server.close();
    await store.close();

    store = await SqliteStore.open({ dataDir });
    server = await startApiServer({ port: 0, store, kinds: ALL_KINDS });
    try {
      const after = await call(server.url, 'GET', `${ISVC_PATH}/durable`);
      assert.deepEqual(after.body, before.body);
      assert.equal(Object.keys(after.body.metadata.labels).length, n);
      const w = await openWatch(server.url, `${ISVC_PATH}?watch=1&resourceVersion=${c.body.metadata.resourceVersion}`);
      const first = await w.next();
      assert.equal(first.type, 'MODIFIED');
      assert.equal(first.object.status.url, 'http://durable.default');
      w.close();
      const ns = await call(server.url, 'GET', '/api/v1/namespaces/kserve');
      assert.equal(ns.status, 200, 'seeded namespaces are not created twice');
    } finally {
      await server.close();
      await store.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
