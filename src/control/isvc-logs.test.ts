/**
 * The InferenceService log subresource on a real API server (port 0, memory store): the driver is
 * a stand-in (what runs replicas is outside this unit), the log files are real files.
 */
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ALL_KINDS } from '../api/index.ts';
import { startApiServer } from './apiserver/server.ts';
import type { ReplicaStatus } from './drivers/driver.ts';
import { ISVC_LOG_SUBRESOURCE, isvcLogs, newestRevision } from './isvc-logs.ts';
import { MemoryStore } from './store/memory-store.ts';

const ISVC = { apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService', metadata: { name: 'iris', namespace: 'default' }, spec: { predictor: { model: { modelFormat: { name: 'onnx' }, storageUri: 'file:///m' } } } };

async function setup(): Promise<{ base: string; dir: string; replicas: Map<string, ReplicaStatus[]>; close(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'isvc-logs-'));
  const replicas = new Map<string, ReplicaStatus[]>();
  const store = new MemoryStore();
  const driver = { revisions: () => [...replicas.keys()], replicas: (id: string) => replicas.get(id) ?? [] };
  const api = await startApiServer({ port: 0, store, kinds: ALL_KINDS, subresources: { [ISVC_LOG_SUBRESOURCE]: isvcLogs({ driver, pollMs: 20 }) } });
  const res = await fetch(`${api.url}/apis/serving.kserve.io/v1beta1/namespaces/default/inferenceservices`, { method: 'POST', body: JSON.stringify(ISVC), headers: { 'content-type': 'application/json' } });
  assert.equal(res.status, 201, await res.text());
  return {
    base: `${api.url}/apis/serving.kserve.io/v1beta1/namespaces/default/inferenceservices`,
    dir,
    replicas,
    close: async () => {
      await api.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function replica(name: string, revision: string, logFile: string): ReplicaStatus {
  return { name, revision, phase: 'Ready', restarts: 0, logFile };
}

test('newestRevision: the status revision when the driver runs it, else the highest name of that component', () => {
  const ids = ['default/iris/predictor/iris-predictor-00001', 'default/iris/predictor/iris-predictor-00002', 'default/iris/transformer/iris-transformer-00001', 'other/iris/predictor/iris-predictor-00009'];
  assert.equal(newestRevision(ids, 'default', 'iris', 'predictor'), 'default/iris/predictor/iris-predictor-00002');
  assert.equal(newestRevision(ids, 'default', 'iris', 'predictor', 'iris-predictor-00001'), 'default/iris/predictor/iris-predictor-00001');
  assert.equal(newestRevision(ids, 'default', 'iris', 'transformer'), 'default/iris/transformer/iris-transformer-00001');
  assert.equal(newestRevision(ids, 'default', 'iris', 'explainer'), undefined);
});

test('log: whole file, tailLines, prefixes with several replicas; 400 for a bad container or none running; 404 names the object', async () => {
  const s = await setup();
  try {
    const a = join(s.dir, 'a.log');
    const b = join(s.dir, 'b.log');
    await writeFile(a, 'one\ntwo\nthree\n');
    await writeFile(b, 'bee\n');
    const rev = 'default/iris/predictor/iris-predictor-00001';
    s.replicas.set(rev, [replica('iris-predictor-00001-1', rev, a)]);
    let res = await fetch(`${s.base}/iris/log`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    assert.equal(await res.text(), 'one\ntwo\nthree\n');
    assert.equal(await (await fetch(`${s.base}/iris/log?tailLines=2`)).text(), 'two\nthree\n');

    s.replicas.set(rev, [replica('iris-predictor-00001-2', rev, b), replica('iris-predictor-00001-1', rev, a)]);
    assert.equal(await (await fetch(`${s.base}/iris/log?tailLines=1`)).text(), '[iris-predictor-00001-1] three\n[iris-predictor-00001-2] bee\n');

    res = await fetch(`${s.base}/iris/log?container=sidecar`);
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as { message: string }).message, /container "sidecar" is not valid.*predictor, transformer, explainer/);
    res = await fetch(`${s.base}/iris/log?container=transformer`);
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as { message: string }).message, /no transformer replicas/);
    res = await fetch(`${s.base}/iris/log?tailLines=-1`);
    assert.equal(res.status, 400);
    res = await fetch(`${s.base}/nope/log`);
    assert.equal(res.status, 404);
    assert.match(((await res.json()) as { message: string }).message, /inferenceservices.serving.kserve.io "nope" not found/);
    res = await fetch(`${s.base}/iris/bogus`);
    assert.equal(res.status, 404);
    res = await fetch(`${s.base}/iris/log`, { method: 'POST', body: '{}' });
    assert.equal(res.status, 405);
  } finally {
    await s.close();
  }
});

test('log?follow=true streams lines appended later, and replicas that start later', async () => {
  const s = await setup();
  const abort = new AbortController();
  try {
    const a = join(s.dir, 'a.log');
    await writeFile(a, 'first\n');
    const rev = 'default/iris/predictor/iris-predictor-00001';
    s.replicas.set(rev, [replica('r1', rev, a)]);
    const res = await fetch(`${s.base}/iris/log?follow=true`, { signal: abort.signal });
    assert.equal(res.status, 200);
    const reader = res.body!.getReader();
    let got = '';
    const until = async (text: string): Promise<void> => {
      while (!got.includes(text)) {
        const { value, done } = await reader.read();
        assert.ok(!done, `stream ended before ${JSON.stringify(text)}; got ${JSON.stringify(got)}`);
        got += new TextDecoder().decode(value);
      }
    };
    await until('first\n');
    await appendFile(a, 'second line, writ');
    await appendFile(a, 'ten in two parts\n');
    await until('second line, written in two parts\n');
    const b = join(s.dir, 'b.log');
    await writeFile(b, 'from the new replica\n');
    s.replicas.set(rev, [replica('r1', rev, a), replica('r2', rev, b)]);
    await until('[r2] from the new replica\n');
    assert.equal(got, 'first\nsecond line, written in two parts\n[r2] from the new replica\n');
    // The server's close() ends a followed log, as it ends watches.
    await s.close();
    for (;;) if ((await reader.read().catch(() => ({ done: true }))).done) break;
  } finally {
    abort.abort();
    await s.close();
  }
});
