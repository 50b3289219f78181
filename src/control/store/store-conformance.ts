/**
 * The conformance suite every Store implementation runs (Hono's `*.case.test.ts` pattern):
 * `storeConformance('MemoryStore', (o) => new MemoryStore(o))` registers node:test tests that check
 * the semantics documented in store.ts. A future etcd-backed store runs the same suite.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Clock } from '../../core/clock.ts';
import type { StoreOptions } from './options.ts';
import { StoreError, type ObjectKey, type ResourceType, type Store, type StoredObject, type WatchEvent, type WatchOptions } from './store.ts';
import type { StoreWatch } from './watch-hub.ts';

/** A store under test: its watches report how they ended (see watch-hub.ts). */
export type ConformanceStore = Omit<Store, 'watch'> & {
  watch(type: ResourceType, opts: WatchOptions, onEvent: (e: WatchEvent) => unknown): Promise<StoreWatch>;
};

export const ISVC = { group: 'serving.kserve.io', resource: 'inferenceservices' } as const;
export const SR = { group: 'serving.kserve.io', resource: 'servingruntimes' } as const;
const CSR = { group: 'serving.kserve.io', resource: 'clusterservingruntimes' } as const;

export const isvcKey = (namespace: string, name: string): ObjectKey => ({ ...ISVC, namespace, name });

/** An InferenceService-shaped object. */
export function isvc(name: string, namespace?: string, storageUri = 'gs://kfserving-examples/models/sklearn/1.0/model'): StoredObject {
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name, ...(namespace === undefined ? {} : { namespace }) },
    spec: { predictor: { model: { modelFormat: { name: 'sklearn' }, storageUri } } },
  };
}

/** Collects a watch's events; `until(n)` resolves once n have arrived. */
export class Collector {
  readonly events: WatchEvent[] = [];
  private waiters: { n: number; resolve: () => void }[] = [];
  readonly onEvent = (e: WatchEvent): void => {
    this.events.push(e);
    this.waiters = this.waiters.filter((w) => (this.events.length >= w.n ? (w.resolve(), false) : true));
  };
  until(n: number): Promise<void> {
    if (this.events.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }
  summary(): string[] {
    return this.events.map((e) => `${e.type} ${e.object.metadata.namespace ?? ''}/${e.object.metadata.name} ${e.resourceVersion}`);
  }
}

const fixedClock: Clock = { nowMs: () => Date.UTC(2026, 10, 25, 12, 0, 0, 789), monotonicNs: () => 0n };

async function rejectsWith(p: Promise<unknown>, reason: StoreError['reason'], message?: string | RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof StoreError, `expected a StoreError, got ${String(err)}`);
    assert.equal(err.reason, reason);
    if (typeof message === 'string') assert.equal(err.message, message);
    else if (message) assert.match(err.message, message);
    return true;
  });
}

/** A watch of new InferenceService events whose consumer stalls on the first one until `release()`. */
async function gatedWatch(s: ConformanceStore): Promise<{ w: StoreWatch; got: number[]; release: () => void }> {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const got: number[] = [];
  const w = await s.watch(ISVC, {}, async (e) => {
    got.push(e.resourceVersion);
    if (got.length === 1) await gate;
  });
  return { w, got, release };
}

/** Registers the suite for one implementation. `make` opens a fresh, empty store with the given options. */
export function storeConformance(name: string, make: (opts: StoreOptions) => Promise<ConformanceStore>): void {
  const withStore = (opts: StoreOptions, fn: (s: ConformanceStore) => Promise<void>) => async () => {
    const s = await make(opts);
    try {
      await fn(s);
    } finally {
      await s.close();
    }
  };

  describe(`Store conformance: ${name}`, () => {
    test('create stamps uid, creationTimestamp, resourceVersion and namespace; get returns it', withStore({ clock: fixedClock, newUid: () => 'uid-1' }, async (s) => {
      assert.equal(await s.currentVersion(), 0);
      const created = await s.create(isvcKey('default', 'a'), isvc('a'));
      assert.deepEqual(created.metadata, { name: 'a', namespace: 'default', uid: 'uid-1', creationTimestamp: '2026-11-25T12:00:00Z', resourceVersion: '1' });
      assert.deepEqual(await s.get(isvcKey('default', 'a')), created);
      assert.equal(await s.get(isvcKey('other', 'a')), undefined);
      assert.equal(await s.get({ ...SR, namespace: 'default', name: 'a' }), undefined);
      assert.equal(await s.currentVersion(), 1);
      const cluster = await s.create({ ...CSR, name: 'kserve-sklearnserver' }, { metadata: { name: 'kserve-sklearnserver' } });
      assert.equal(cluster.metadata.namespace, undefined);
      assert.equal((await s.get({ ...CSR, name: 'kserve-sklearnserver' }))?.metadata.resourceVersion, '2');
    }));

    test('create keeps a given uid and creationTimestamp; AlreadyExists as Kubernetes words it', withStore({}, async (s) => {
      const o = isvc('a');
      o.metadata.uid = 'mine';
      o.metadata.creationTimestamp = '2020-01-01T00:00:00Z';
      const c = await s.create(isvcKey('default', 'a'), o);
      assert.equal(c.metadata.uid, 'mine');
      assert.equal(c.metadata.creationTimestamp, '2020-01-01T00:00:00Z');
      await rejectsWith(s.create(isvcKey('default', 'a'), isvc('a')), 'AlreadyExists', 'inferenceservices.serving.kserve.io "a" already exists');
      await s.create(isvcKey('other', 'a'), isvc('a'));
      await rejectsWith(s.create({ group: '', resource: 'namespaces', name: 'x' }, { metadata: { name: 'y' } }), 'Invalid', /metadata\.name: Invalid value: "y"/);
      await rejectsWith(s.create(isvcKey('default', 'b'), isvc('b', 'other')), 'Invalid', /metadata\.namespace: Invalid value: "other"/);
      assert.equal(await s.currentVersion(), 2, 'failed writes take no version');
    }));

    test('list sorts by namespace then name, filters by namespace and reports the store version', withStore({}, async (s) => {
      for (const [ns, n] of [['b', 'z'], ['a', 'y'], ['b', 'a'], ['a', 'b-1'], ['a', 'b']]) await s.create(isvcKey(ns!, n!), isvc(n!));
      await s.create({ ...SR, namespace: 'a', name: 'rt' }, { metadata: { name: 'rt' } });
      const all = await s.list(ISVC);
      assert.deepEqual(all.items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`), ['a/b', 'a/b-1', 'a/y', 'b/a', 'b/z']);
      assert.equal(all.resourceVersion, 6);
      assert.deepEqual((await s.list(ISVC, { namespace: 'b' })).items.map((o) => o.metadata.name), ['a', 'z']);
      assert.deepEqual((await s.list(ISVC, { namespace: 'c' })).items, []);
      assert.deepEqual((await s.list({ group: 'x', resource: 'none' })).items, []);
    }));

    test('update: with and without expectedVersion, Conflict when stale, NotFound when absent; uid and creationTimestamp kept', withStore({}, async (s) => {
      const c = await s.create(isvcKey('default', 'a'), isvc('a'));
      const v1 = Number(c.metadata.resourceVersion);
      const next = isvc('a', 'default', 's3://bucket/m');
      next.metadata.uid = 'attempted-change';
      delete next.metadata.creationTimestamp;
      const u = await s.update(isvcKey('default', 'a'), next, { expectedVersion: v1 });
      assert.equal(u.metadata.uid, c.metadata.uid);
      assert.equal(u.metadata.creationTimestamp, c.metadata.creationTimestamp);
      assert.equal(u.metadata.resourceVersion, String(v1 + 1));
      assert.deepEqual(u.spec, next.spec);
      await rejectsWith(
        s.update(isvcKey('default', 'a'), isvc('a'), { expectedVersion: v1 }),
        'Conflict',
        'Operation cannot be fulfilled on inferenceservices.serving.kserve.io "a": the object has been modified; please apply your changes to the latest version and try again',
      );
      const u2 = await s.update(isvcKey('default', 'a'), isvc('a'));
      assert.equal(u2.metadata.resourceVersion, String(v1 + 2));
      await rejectsWith(s.update(isvcKey('default', 'nope'), isvc('nope')), 'NotFound', 'inferenceservices.serving.kserve.io "nope" not found');
      await rejectsWith(s.update({ group: '', resource: 'namespaces', name: 'nope' }, { metadata: { name: 'nope' } }), 'NotFound', 'namespaces "nope" not found');
      await rejectsWith(s.update(isvcKey('default', 'a'), isvc('a'), { expectedVersion: -1 }), 'Invalid', /expected a non-negative integer/);
      assert.deepEqual((await s.get(isvcKey('default', 'a')))?.spec, isvc('a').spec);
    }));

    test('delete returns the object with the delete\'s version; NotFound and Conflict', withStore({}, async (s) => {
      const c = await s.create(isvcKey('default', 'a'), isvc('a'));
      await s.create(isvcKey('default', 'b'), isvc('b'));
      await rejectsWith(s.delete(isvcKey('default', 'a'), { expectedVersion: 2 }), 'Conflict', /^Operation cannot be fulfilled on inferenceservices.serving.kserve.io "a": Precondition failed: ResourceVersion in precondition: 2, ResourceVersion in object meta: 1$/);
      const d = await s.delete(isvcKey('default', 'a'), { expectedVersion: 1 });
      assert.equal(d.metadata.resourceVersion, '3');
      assert.equal(d.metadata.uid, c.metadata.uid);
      assert.deepEqual(d.spec, c.spec);
      assert.equal(await s.get(isvcKey('default', 'a')), undefined);
      await rejectsWith(s.delete(isvcKey('default', 'a')), 'NotFound', 'inferenceservices.serving.kserve.io "a" not found');
      assert.deepEqual((await s.list(ISVC)).items.map((o) => o.metadata.name), ['b']);
      const again = await s.create(isvcKey('default', 'a'), isvc('a'));
      assert.notEqual(again.metadata.uid, c.metadata.uid, 'a re-created object is a new object');
    }));

    test('resourceVersion increases strictly across every write of every type', withStore({}, async (s) => {
      const seen: number[] = [];
      const rv = (o: StoredObject) => seen.push(Number(o.metadata.resourceVersion));
      rv(await s.create(isvcKey('a', 'x'), isvc('x')));
      rv(await s.create({ ...SR, namespace: 'a', name: 'x' }, { metadata: { name: 'x' } }));
      rv(await s.update(isvcKey('a', 'x'), isvc('x')));
      rv(await s.delete({ ...SR, namespace: 'a', name: 'x' }));
      rv(await s.create({ ...CSR, name: 'c' }, { metadata: { name: 'c' } }));
      assert.deepEqual(seen, [1, 2, 3, 4, 5]);
      assert.equal(await s.currentVersion(), 5);
    }));

    test('returned objects are copies: mutating them changes nothing stored', withStore({}, async (s) => {
      const input = isvc('a');
      const c = await s.create(isvcKey('d', 'a'), input);
      (input.spec as { predictor: unknown }).predictor = 'mutated input';
      input.metadata.name = 'changed';
      (c.spec as { predictor: unknown }).predictor = 'mutated result';
      const g = (await s.get(isvcKey('d', 'a')))!;
      (g.metadata.labels ??= {}).x = 'y';
      const l = (await s.list(ISVC)).items[0]!;
      l.metadata.name = 'changed';
      const col = new Collector();
      const w = await s.watch(ISVC, { fromVersion: 0 }, col.onEvent);
      await col.until(1);
      col.events[0]!.object.metadata.name = 'changed';
      const col2 = new Collector();
      const w2 = await s.watch(ISVC, { fromVersion: 0 }, col2.onEvent);
      await col2.until(1);
      w.close();
      w2.close();
      const expected = { ...isvc('a', 'd'), metadata: { ...c.metadata } };
      assert.deepEqual(await s.get(isvcKey('d', 'a')), expected);
      assert.deepEqual(col2.events[0]!.object, expected);
    }));

    test('concurrent writers: every write gets its own version; one of two racing updates wins', withStore({}, async (s) => {
      const writers = 16;
      const perWriter = 20;
      const results = await Promise.all(
        Array.from({ length: writers }, async (_, w) => {
          const rvs: number[] = [];
          for (let i = 0; i < perWriter; i++) rvs.push(Number((await s.create(isvcKey(`ns${w}`, `m${i}`), isvc(`m${i}`))).metadata.resourceVersion));
          return rvs;
        }),
      );
      const all = results.flat().sort((a, b) => a - b);
      assert.deepEqual(all, Array.from({ length: writers * perWriter }, (_, i) => i + 1));
      for (const rvs of results) assert.ok(rvs.every((v, i) => i === 0 || v > rvs[i - 1]!), 'each writer sees its versions increase');
      assert.equal((await s.list(ISVC)).items.length, writers * perWriter);
      const base = Number((await s.get(isvcKey('ns0', 'm0')))!.metadata.resourceVersion);
      const race = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) => s.update(isvcKey('ns0', 'm0'), isvc('m0', 'ns0', `s3://b/${i}`), { expectedVersion: base })),
      );
      assert.equal(race.filter((r) => r.status === 'fulfilled').length, 1);
      for (const r of race) if (r.status === 'rejected') assert.equal((r.reason as StoreError).reason, 'Conflict');
    }));

    test('watch from 0 replays everything, then streams new events in order', withStore({}, async (s) => {
      await s.create(isvcKey('a', 'x'), isvc('x'));
      await s.create({ ...SR, namespace: 'a', name: 'rt' }, { metadata: { name: 'rt' } });
      await s.update(isvcKey('a', 'x'), isvc('x'));
      const col = new Collector();
      const w = await s.watch(ISVC, { fromVersion: 0 }, col.onEvent);
      await s.delete(isvcKey('a', 'x'));
      await s.create(isvcKey('b', 'y'), isvc('y'));
      await col.until(4);
      w.close();
      assert.deepEqual(col.summary(), ['ADDED a/x 1', 'MODIFIED a/x 3', 'DELETED a/x 4', 'ADDED b/y 5']);
      assert.equal(col.events[2]!.object.metadata.resourceVersion, '4');
      await s.create(isvcKey('b', 'z'), isvc('z'));
      const col2 = new Collector();
      const w2 = await s.watch(ISVC, { fromVersion: 5 }, col2.onEvent);
      await col2.until(1);
      w2.close();
      assert.equal(col.events.length, 4, 'a closed watch gets nothing more');
      assert.deepEqual(col2.summary(), ['ADDED b/z 6']);
    }));

    test('watch from a version replays only later events; without one only new events; namespace filter', withStore({}, async (s) => {
      for (let i = 0; i < 6; i++) await s.create(isvcKey(i % 2 ? 'odd' : 'even', `m${i}`), isvc(`m${i}`));
      const from3 = new Collector();
      const onlyNew = new Collector();
      const odd = new Collector();
      const ws = [
        await s.watch(ISVC, { fromVersion: 3 }, from3.onEvent),
        await s.watch(ISVC, {}, onlyNew.onEvent),
        await s.watch(ISVC, { namespace: 'odd', fromVersion: 0 }, odd.onEvent),
      ];
      await s.create(isvcKey('odd', 'new'), isvc('new'));
      await s.create(isvcKey('even', 'new'), isvc('new'));
      await Promise.all([from3.until(5), onlyNew.until(2), odd.until(4)]);
      for (const w of ws) w.close();
      assert.deepEqual(from3.summary(), ['ADDED odd/m3 4', 'ADDED even/m4 5', 'ADDED odd/m5 6', 'ADDED odd/new 7', 'ADDED even/new 8']);
      assert.deepEqual(onlyNew.summary(), ['ADDED odd/new 7', 'ADDED even/new 8']);
      assert.deepEqual(odd.summary(), ['ADDED odd/m1 2', 'ADDED odd/m3 4', 'ADDED odd/m5 6', 'ADDED odd/new 7']);
    }));

    test('watch from a version older than the retained history fails with Gone (410)', withStore({ historySize: 3 }, async (s) => {
      for (let i = 0; i < 5; i++) await s.create(isvcKey('d', `m${i}`), isvc(`m${i}`));
      // Retained: versions 3, 4, 5. From 2 replays 3..5; from 1 misses version 2.
      await rejectsWith(s.watch(ISVC, { fromVersion: 1 }, () => {}), 'Gone', 'too old resource version: 1 (2)');
      await rejectsWith(s.watch(ISVC, { fromVersion: 0 }, () => {}), 'Gone', /^too old resource version: 0 /);
      const col = new Collector();
      const w = await s.watch(ISVC, { fromVersion: 2 }, col.onEvent);
      await col.until(3);
      w.close();
      assert.deepEqual(col.events.map((e) => e.resourceVersion), [3, 4, 5]);
      const fut = new Collector();
      const w2 = await s.watch(ISVC, { fromVersion: 5 }, fut.onEvent);
      await s.create(isvcKey('d', 'late'), isvc('late'));
      await fut.until(1);
      w2.close();
      assert.deepEqual(fut.summary(), ['ADDED d/late 6']);
    }));

    test('a slow consumer loses nothing and blocks no writer; one that falls behind the history ends with Gone', withStore({ historySize: 40, maxQueuedEvents: 4, replayPageSize: 3 }, async (s) => {
      const slow = await gatedWatch(s);
      for (let i = 0; i < 30; i++) await s.create(isvcKey('d', `m${i}`), isvc(`m${i}`));
      slow.release();
      while (slow.got.length < 30) await new Promise<void>((r) => setImmediate(r));
      assert.deepEqual(slow.got, Array.from({ length: 30 }, (_, i) => i + 1));
      slow.w.close();
      assert.equal(await slow.w.done, undefined);

      const stuck = await gatedWatch(s);
      await s.update(isvcKey('d', 'm0'), isvc('m0'));
      while (stuck.got.length < 1) await new Promise<void>((r) => setImmediate(r));
      for (let i = 0; i < 60; i++) await s.update(isvcKey('d', 'm0'), isvc('m0'));
      stuck.release();
      const end = await stuck.w.done;
      assert.ok(end instanceof StoreError && end.reason === 'Gone', `expected Gone, got ${String(end)}`);
      assert.match(end.message, /^too old resource version: 31 /);
      assert.deepEqual(stuck.got, [31]);
    }));

    test('a consumer that throws ends only its own watch, with that error', withStore({}, async (s) => {
      const bad = await s.watch(ISVC, {}, () => {
        throw new Error('consumer broke');
      });
      const good = new Collector();
      const w = await s.watch(ISVC, {}, good.onEvent);
      await s.create(isvcKey('d', 'a'), isvc('a'));
      await s.create(isvcKey('d', 'b'), isvc('b'));
      assert.match(String(await bad.done), /consumer broke/);
      await good.until(2);
      w.close();
      assert.deepEqual(good.summary(), ['ADDED d/a 1', 'ADDED d/b 2']);
    }));

    test('an event written while a watcher finishes draining is still delivered', withStore({}, async (s) => {
      // Writes land k microtasks after the watcher delivered the previous event, for several k, so
      // one of them falls between the drain loop finding its queue empty and it going idle.
      const depths = 10;
      const col = new Collector();
      const w = await s.watch(ISVC, {}, (e) => {
        col.onEvent(e);
        const k = col.events.length - 1;
        if (k >= depths) return;
        let p = Promise.resolve();
        for (let i = 0; i < k; i++) p = p.then(() => undefined);
        void p.then(() => s.create(isvcKey('d', `m${k + 1}`), isvc(`m${k + 1}`)));
      });
      await s.create(isvcKey('d', 'm0'), isvc('m0'));
      await col.until(depths + 1);
      w.close();
      assert.equal(col.events.length, depths + 1);
    }));

    test('close ends watches and later calls fail', async () => {
      const s = await make({});
      const w = await s.watch(ISVC, {}, () => {});
      await s.close();
      assert.equal(await w.done, undefined);
      await s.close();
      await assert.rejects(s.get(isvcKey('d', 'a')), /closed/);
      await assert.rejects(s.create(isvcKey('d', 'a'), isvc('a')), /closed/);
    });
  });
}
