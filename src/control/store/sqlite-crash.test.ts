/**
 * Durability: a writer process is killed with SIGKILL in the middle of a stream of writes; after
 * reopening, every write it acknowledged is there and versions continue above the last one.
 * Also: history and versions survive a clean restart, and a watch resumes across it.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SqliteStore } from './sqlite-store.ts';
import { Collector, ISVC, isvc, isvcKey } from './store-conformance.ts';
import { StoreError } from './store.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'kserve-ts-crash-'));
after(() => rmSync(root, { recursive: true, force: true }));

interface Ack {
  op: 'create' | 'update' | 'delete';
  name: string;
  rv: number;
  seq: string;
}

/** Runs the writer until it has acknowledged `killAfter` writes, then kills it with SIGKILL. */
async function runAndKill(dataDir: string, round: number, killAfter: number): Promise<Ack[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'testing', 'crash-writer.ts'), dataDir, String(round)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_code, signal) => r(signal)));
  const acks: Ack[] = [];
  for await (const line of createInterface({ input: child.stdout })) {
    const [op, name, rv, seq] = line.split(' ');
    if (op === 'ready') continue;
    acks.push({ op: op as Ack['op'], name: name!, rv: Number(rv), seq: seq! });
    if (acks.length === killAfter) child.kill('SIGKILL');
  }
  assert.equal(await exited, 'SIGKILL', `writer ended before it was killed: ${stderr}`);
  return acks;
}

test('kill -9 mid-stream loses no acknowledged write; versions continue above the last one', async () => {
  const dataDir = join(root, 'crash');
  let lastMax = 0;
  for (const [round, killAfter] of [[1, 150], [2, 777], [3, 40], [4, 400]] as const) {
    const acks = await runAndKill(dataDir, round, killAfter);
    assert.ok(acks.length >= killAfter);
    const maxAcked = Math.max(...acks.map((a) => a.rv));
    assert.ok(Math.min(...acks.map((a) => a.rv)) > lastMax, 'versions continue above the previous run');
    const store = await SqliteStore.open({ dataDir });
    try {
      const last = new Map<string, Ack>();
      for (const a of acks) last.set(a.name, a);
      for (const [name, a] of last) {
        const got = await store.get(isvcKey('crash', name));
        if (a.op === 'delete') {
          assert.equal(got, undefined, `${name} was deleted at ${a.rv}`);
          continue;
        }
        // A later write of the same object may have committed without its ack being printed;
        // only a delete can follow the last update of an object, and only for every fourth one.
        if (got === undefined) {
          assert.ok(a.op === 'update' && a.seq === '2' && Number(name.split('-').at(-1)) % 4 === 3, `${name} lost (acked ${a.op} at ${a.rv})`);
          continue;
        }
        const rv = Number(got.metadata.resourceVersion);
        assert.ok(rv >= a.rv, `${name}: stored version ${rv} older than acknowledged ${a.rv}`);
        if (rv === a.rv) assert.equal((got.spec as { seq: number }).seq, Number(a.seq));
      }
      const current = await store.currentVersion();
      assert.ok(current >= maxAcked, `counter ${current} below acknowledged ${maxAcked}`);
      const next = await store.create(isvcKey('crash', `after-${round}`), isvc(`after-${round}`));
      assert.equal(Number(next.metadata.resourceVersion), current + 1);
      // The acknowledged events are in the history too.
      const col = new Collector();
      const w = await store.watch(ISVC, { namespace: 'crash', fromVersion: maxAcked - 10 }, col.onEvent);
      await col.until(11);
      w.close();
      assert.deepEqual(col.events.slice(0, 10).map((e) => e.resourceVersion), Array.from({ length: 10 }, (_, i) => maxAcked - 9 + i));
      lastMax = current + 1;
    } finally {
      await store.close();
    }
  }
});

test('a clean restart keeps objects, the version counter and the history; a watch resumes across it', async () => {
  const dataDir = join(root, 'restart');
  let s = await SqliteStore.open({ dataDir, historySize: 50 });
  for (let i = 0; i < 5; i++) await s.create(isvcKey('d', `m${i}`), isvc(`m${i}`));
  await s.update(isvcKey('d', 'm1'), isvc('m1', 'd', 's3://b/v2'));
  await s.delete(isvcKey('d', 'm4'));
  const before = await s.list(ISVC);
  assert.equal(before.resourceVersion, 7);
  await s.close();

  s = await SqliteStore.open({ dataDir, historySize: 50 });
  assert.equal(await s.currentVersion(), 7, 'the counter survives, even though the newest write was a delete');
  assert.deepEqual(await s.list(ISVC), before);
  const col = new Collector();
  const w = await s.watch(ISVC, { fromVersion: 4 }, col.onEvent);
  const created = await s.create(isvcKey('d', 'm9'), isvc('m9'));
  assert.equal(created.metadata.resourceVersion, '8');
  await col.until(4);
  w.close();
  assert.deepEqual(col.summary(), ['ADDED d/m4 5', 'MODIFIED d/m1 6', 'DELETED d/m4 7', 'ADDED d/m9 8']);
  await s.close();

  // Reopened with a smaller history: older events are compacted at open.
  s = await SqliteStore.open({ dataDir, historySize: 3 });
  await assert.rejects(s.watch(ISVC, { fromVersion: 4 }, () => {}), (e: unknown) => e instanceof StoreError && e.reason === 'Gone' && e.message === 'too old resource version: 4 (5)');
  const col2 = new Collector();
  const w2 = await s.watch(ISVC, { fromVersion: 5 }, col2.onEvent);
  await col2.until(3);
  w2.close();
  assert.deepEqual(col2.events.map((e) => e.resourceVersion), [6, 7, 8]);
  await s.close();
});
