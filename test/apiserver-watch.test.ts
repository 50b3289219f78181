/**
 * Watch through a real API server: initial state, resume from a resourceVersion, selectors
 * (objects moving in and out), bookmarks, 410 Expired for a version older than the history,
 * timeoutSeconds, Table events, and 100 concurrent watchers each receiving every event.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ALL_KINDS } from '../src/api/index.ts';
import { startApiServer } from '../src/control/apiserver/server.ts';
import { MemoryStore } from '../src/control/store/memory-store.ts';
import { call, isvc, ISVC_PATH, openWatch, startTestServer, type Running } from './apiserver-helpers.ts';

let r: Running;
before(async () => {
  r = await startTestServer({ bookmarkIntervalMs: 50 });
});
after(async () => r.close());

const MERGE = { 'content-type': 'application/merge-patch+json' };

test('watch without resourceVersion sends the current state as ADDED, then changes in order', async () => {
  const ns = '/apis/serving.kserve.io/v1beta1/namespaces/kserve/inferenceservices';
  await call(r.url, 'POST', ns, isvc('w-a'));
  const w = await openWatch(r.url, `${ns}?watch=1`);
  try {
    assert.equal(w.status, 200);
    const first = await w.next();
    assert.equal(first.type, 'ADDED');
    assert.equal(first.object.metadata.name, 'w-a');
    assert.equal(first.object.apiVersion, 'serving.kserve.io/v1beta1');
    await call(r.url, 'POST', ns, isvc('w-b'));
    await call(r.url, 'PATCH', `${ns}/w-b`, { metadata: { labels: { x: 'y' } } }, MERGE);
    await call(r.url, 'DELETE', `${ns}/w-b`);
    const types = [await w.next(), await w.next(), await w.next()].map((e) => `${e.type} ${e.object.metadata.name}`);
    assert.deepEqual(types, ['ADDED w-b', 'MODIFIED w-b', 'DELETED w-b']);
  } finally {
    w.close();
  }
});

test('watch from a resourceVersion replays exactly the events after it', async () => {
  const c = await call(r.url, 'POST', ISVC_PATH, isvc('resume-a'));
  await call(r.url, 'PATCH', `${ISVC_PATH}/resume-a`, { metadata: { labels: { step: '1' } } }, MERGE);
  await call(r.url, 'PATCH', `${ISVC_PATH}/resume-a`, { metadata: { labels: { step: '2' } } }, MERGE);
  const w = await openWatch(r.url, `${ISVC_PATH}?watch=true&resourceVersion=${c.body.metadata.resourceVersion}&fieldSelector=metadata.name%3Dresume-a`);
  try {
    const a = await w.next();
    const b = await w.next();
    assert.deepEqual([a.type, a.object.metadata.labels.step, b.type, b.object.metadata.labels.step], ['MODIFIED', '1', 'MODIFIED', '2']);
    assert.ok(Number(a.object.metadata.resourceVersion) > Number(c.body.metadata.resourceVersion));
  } finally {
    w.close();
  }
});

test('label selector watch: an object that stops matching is DELETED, one that starts matching is ADDED', async () => {
  await call(r.url, 'POST', ISVC_PATH, isvc('sel-a', { labels: { team: 'red' } }));
  const list = await call(r.url, 'GET', `${ISVC_PATH}?labelSelector=team%3Dred`);
  assert.deepEqual(list.body.items.map((o: any) => o.metadata.name), ['sel-a']);
  const w = await openWatch(r.url, `${ISVC_PATH}?watch=1&labelSelector=team%3Dred&resourceVersion=${list.body.metadata.resourceVersion}`);
  try {
    await call(r.url, 'PATCH', `${ISVC_PATH}/sel-a`, { metadata: { labels: { team: 'blue' } } }, MERGE);
    await call(r.url, 'POST', ISVC_PATH, isvc('sel-other', { labels: { team: 'green' } }));
    await call(r.url, 'PATCH', `${ISVC_PATH}/sel-a`, { metadata: { labels: { team: 'red' } } }, MERGE);
    const a = await w.next();
    const b = await w.next();
    assert.deepEqual([a.type, a.object.metadata.name, b.type, b.object.metadata.name], ['DELETED', 'sel-a', 'ADDED', 'sel-a']);
  } finally {
    w.close();
  }
});

test('allowWatchBookmarks sends BOOKMARK events with the last resourceVersion', async () => {
  const list = await call(r.url, 'GET', ISVC_PATH);
  const w = await openWatch(r.url, `${ISVC_PATH}?watch=1&allowWatchBookmarks=true&resourceVersion=${list.body.metadata.resourceVersion}`);
  try {
    const e = await w.next();
    assert.equal(e.type, 'BOOKMARK');
    assert.equal(e.object.kind, 'InferenceService');
    assert.equal(e.object.metadata.resourceVersion, list.body.metadata.resourceVersion);
  } finally {
    w.close();
  }
});

test('sendInitialEvents ends the initial state with an initial-events-end BOOKMARK', async () => {
  await call(r.url, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'wl' } });
  const path = '/apis/serving.kserve.io/v1beta1/namespaces/wl/inferenceservices';
  await call(r.url, 'POST', path, isvc('wl-a'));
  const w = await openWatch(r.url, `${path}?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`);
  try {
    const a = await w.next();
    const b = await w.next();
    assert.equal(a.type, 'ADDED');
    assert.equal(b.type, 'BOOKMARK');
    assert.equal(b.object.metadata.annotations['k8s.io/initial-events-end'], 'true');
  } finally {
    w.close();
  }
});

test('a resourceVersion older than the history gets one ERROR event with a 410 Expired Status', async () => {
  const store = new MemoryStore({ historySize: 2 });
  const s = await startApiServer({ port: 0, store, kinds: ALL_KINDS });
  try {
    for (const n of ['h1', 'h2', 'h3', 'h4']) await call(s.url, 'POST', ISVC_PATH, isvc(n));
    const w = await openWatch(s.url, `${ISVC_PATH}?watch=1&resourceVersion=1`);
    const e = await w.next();
    assert.equal(e.type, 'ERROR');
    assert.equal(e.object.kind, 'Status');
    assert.equal(e.object.code, 410);
    assert.equal(e.object.reason, 'Expired');
    assert.match(e.object.message, /^too old resource version: 1 \(\d+\)$/);
    assert.ok(Number(/\((\d+)\)/.exec(e.object.message)![1]) > 1, 'the second number is the oldest version still watchable');
    await w.ended;
  } finally {
    await s.close();
    await store.close();
  }
});

test('timeoutSeconds ends the stream; bad parameters are 400', async () => {
  const w = await openWatch(r.url, `${ISVC_PATH}?watch=1&timeoutSeconds=1&resourceVersion=1000000`);
  await w.ended;
  const bad = await call(r.url, 'GET', `${ISVC_PATH}?watch=1&resourceVersion=abc`);
  assert.equal(bad.status, 400);
  const sel = await call(r.url, 'GET', `${ISVC_PATH}?watch=1&fieldSelector=spec.x%3D1`);
  assert.equal(sel.status, 400);
  assert.equal(sel.body.message, 'field label not supported: spec.x');
});

test('watch with a Table Accept header streams one-row Tables; only the first carries column definitions', async () => {
  const path = '/apis/serving.kserve.io/v1beta1/namespaces/kube-public/inferenceservices';
  await call(r.url, 'POST', path, isvc('tw-a'));
  const w = await openWatch(r.url, `${path}?watch=1`, { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' });
  try {
    const a = await w.next();
    assert.equal(a.object.kind, 'Table');
    assert.equal(a.object.columnDefinitions[0].name, 'Name');
    assert.equal(a.object.rows[0].cells[0], 'tw-a');
    assert.equal(a.object.rows[0].object.kind, 'PartialObjectMetadata');
    await call(r.url, 'PATCH', `${path}/tw-a`, { metadata: { labels: { a: 'b' } } }, MERGE);
    const b = await w.next();
    assert.equal(b.type, 'MODIFIED');
    assert.deepEqual(b.object.columnDefinitions, []);
    assert.equal(b.object.rows.length, 1);
  } finally {
    w.close();
  }
});

test('the legacy /watch/ path prefix and ?watch=1 on an object path watch that one object', async () => {
  await call(r.url, 'POST', ISVC_PATH, isvc('legacy'));
  for (const path of ['/apis/serving.kserve.io/v1beta1/watch/namespaces/default/inferenceservices/legacy', `${ISVC_PATH}/legacy?watch=1`]) {
    const w = await openWatch(r.url, path);
    try {
      const e = await w.next();
      assert.equal(e.type, 'ADDED');
      assert.equal(e.object.metadata.name, 'legacy');
    } finally {
      w.close();
    }
  }
});

test('100 concurrent watchers each receive every event, in order', async () => {
  await call(r.url, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'many' } });
  const path = '/apis/serving.kserve.io/v1beta1/namespaces/many/inferenceservices';
  const start = await call(r.url, 'GET', path);
  const watchers = await Promise.all(Array.from({ length: 100 }, () => openWatch(r.url, `${path}?watch=1&resourceVersion=${start.body.metadata.resourceVersion}`)));
  try {
    const N = 20;
    for (let i = 0; i < N; i++) await call(r.url, 'POST', path, isvc(`m-${i}`));
    for (let i = 0; i < N; i += 2) await call(r.url, 'DELETE', `${path}/m-${i}`);
    const expected = [...Array.from({ length: N }, (_, i) => `ADDED m-${i}`), ...Array.from({ length: N / 2 }, (_, i) => `DELETED m-${i * 2}`)];
    const got = await Promise.all(
      watchers.map(async (w) => {
        const seen: string[] = [];
        while (seen.length < expected.length) {
          const e = await w.next();
          seen.push(`${e.type} ${e.object.metadata.name}`);
        }
        return seen;
      }),
    );
    for (const seen of got) assert.deepEqual(seen, expected);
  } finally {
    for (const w of watchers) w.close();
  }
});

test('a client that disconnects has its watch cleaned up; close() ends the rest', async () => {
  const s = await startTestServer();
  try {
    const a = await openWatch(s.url, `${ISVC_PATH}?watch=1`);
    const b = await openWatch(s.url, `${ISVC_PATH}?watch=1`);
    assert.equal(s.server.watchCount(), 2);
    a.close();
    while (s.server.watchCount() > 1) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(s.server.watchCount(), 1);
    await s.server.close();
    await b.ended;
    assert.equal(s.server.watchCount(), 0);
  } finally {
    await s.close();
  }
});

test('a client that stops reading holds back its own events and then receives every one (backpressure)', async () => {
  const { get } = await import('node:http');
  await call(r.url, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'slow' } });
  const path = '/apis/serving.kserve.io/v1beta1/namespaces/slow/inferenceservices';
  const start = await call(r.url, 'GET', path);
  const res = await new Promise<import('node:http').IncomingMessage>((resolve) => get(`${r.url}${path}?watch=1&resourceVersion=${start.body.metadata.resourceVersion}`, resolve));
  res.pause(); // read nothing: the socket buffers fill and the server must wait for 'drain'
  const n = 150;
  const pad = 'x'.repeat(60_000);
  for (let i = 0; i < n; i++) assert.equal((await call(r.url, 'POST', path, isvc(`slow-${i}`, { annotations: { pad } }))).status, 201);
  const names: string[] = [];
  let buf = '';
  await new Promise<void>((resolve) => {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        names.push(JSON.parse(buf.slice(0, nl)).object.metadata.name);
        buf = buf.slice(nl + 1);
      }
      if (names.length === n) resolve();
    });
    res.resume();
  });
  assert.deepEqual(names, Array.from({ length: n }, (_, i) => `slow-${i}`));
  res.destroy();
});
