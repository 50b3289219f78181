/**
 * The conformance suite every Driver runs (as store-conformance.ts for stores): the process driver
 * with child processes today, the Kubernetes driver with pods later. The harness supplies the
 * driver and the workloads, because "a server that ignores SIGTERM" is a node script for one and
 * an image for the other; the assertions are the contract of driver.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Driver, ReplicaSpec, ReplicaStatus } from './driver.ts';

/** What a driver implementation gives the suite. Every spec must use the port tokens or env PORT. */
export interface DriverHarness {
  /** A fresh driver with short backoff (≤ 100 ms base), liveness and memory intervals (≤ 50 ms). */
  make(): Promise<Driver>;
  /** A real model server serving the iris example (`iris`, V2 protocol), ready on `/v2/health/ready`. */
  modelServer(revision: string): ReplicaSpec;
  /** A small HTTP server answering 200 on every path. */
  httpServer(revision: string): ReplicaSpec;
  /** Writes `starting up` to stdout and `fatal: no model at /nope` to stderr, then exits with code 3. */
  crashing(revision: string): ReplicaSpec;
  /** Becomes ready, then grows its resident memory past `memoryLimitBytes` (which the spec sets). */
  memoryHog(revision: string): ReplicaSpec;
  /** Becomes ready, ignores SIGTERM; the spec's terminationGracePeriodMs is `graceMs`. */
  ignoresSigterm(revision: string, graceMs: number): ReplicaSpec;
  /** Ready on `/ready`, but answers 500 on its livenessPath `/live`. */
  failsLiveness(revision: string): ReplicaSpec;
  /** Kills the replica abruptly (SIGKILL of the process, the container killed). */
  kill(driver: Driver, revision: string, replica: string): Promise<void>;
}

/** Generous deadlines: the suite runs on loaded 2-core machines. They bound failures; passing tests never wait them out. */
const DEADLINE_MS = 30_000;

/** Resolves with the replicas once `pred` holds, re-checking on every onChange; rejects with the last state at the deadline. */
export function waitFor(d: Driver, revision: string, pred: (rs: ReplicaStatus[]) => boolean, what: string): Promise<ReplicaStatus[]> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const rs = d.replicas(revision);
      if (!pred(rs)) return false;
      off();
      clearTimeout(timer);
      resolve(rs);
      return true;
    };
    const off = d.onChange((r) => void (r === revision && check()));
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for ${what} of ${revision}; replicas now: ${JSON.stringify(d.replicas(revision))}`));
    }, DEADLINE_MS);
    check();
  });
}

const allReady = (n: number) => (rs: ReplicaStatus[]) => rs.length === n && rs.every((r) => r.phase === 'Ready');

const IRIS_V2 = { inputs: [{ name: 'input-0', shape: [2, 4], datatype: 'FP32', data: [6.8, 2.8, 4.8, 1.4, 6.0, 3.4, 4.5, 1.6] }] };

async function infer(endpoint: string): Promise<unknown> {
  const res = await fetch(`${endpoint}/v2/models/iris/infer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(IRIS_V2) });
  assert.equal(res.status, 200, `infer through ${endpoint}`);
  const body = (await res.json()) as { outputs: { name: string; data: number[] }[] };
  return body.outputs.find((o) => o.name === 'label')?.data;
}

/** Registers the suite for one implementation. */
export function driverConformance(name: string, h: DriverHarness): void {
  const withDriver = (fn: (d: Driver) => Promise<void>) => async () => {
    const d = await h.make();
    try {
      await fn(d);
    } finally {
      await d.close();
    }
  };

  describe(`Driver conformance: ${name}`, () => {
    test('an unknown revision has no replicas; a bad spec is rejected naming the field', withDriver(async (d) => {
      assert.deepEqual(d.replicas('default/none/predictor/none-00001'), []);
      assert.deepEqual(d.revisions(), []);
      await assert.rejects(d.apply({ ...h.httpServer('default/x/predictor/x-00001'), readinessPath: 'ready' }, 1), /readinessPath: got "ready", expected a path starting with '\/'/);
      await assert.rejects(d.apply(h.httpServer('default/x/predictor/x-00001'), -1), /replicas for revision default\/x\/predictor\/x-00001: got -1/);
      assert.deepEqual(d.revisions(), []);
      await d.delete('default/none/predictor/none-00001'); // idempotent on unknown
    }));

    test('scale 0 → 2 → 1 → 0: model-server replicas answer inferences; the highest-numbered stops first', withDriver(async (d) => {
      const rev = 'default/iris/predictor/iris-predictor-00001';
      const spec = h.modelServer(rev);
      await d.apply(spec, 0);
      assert.deepEqual(d.revisions(), [rev]);
      assert.deepEqual(d.replicas(rev), []);

      await d.apply(spec, 2);
      const two = await waitFor(d, rev, allReady(2), '2 Ready replicas');
      assert.deepEqual(two.map((r) => r.name), ['iris-predictor-00001-1', 'iris-predictor-00001-2']);
      for (const r of two) {
        assert.match(r.endpoint?.http ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
        assert.notEqual(r.endpoint?.http, 'http://127.0.0.1:8080');
        assert.equal(r.restarts, 0);
        assert.deepEqual(await infer(r.endpoint!.http), [1, 1]);
      }
      assert.notEqual(two[0]!.endpoint!.http, two[1]!.endpoint!.http);

      await d.apply(spec, 2); // idempotent
      assert.equal(d.replicas(rev).length, 2);
      await assert.rejects(d.apply({ ...spec, env: { ...spec.env, EXTRA: '1' } }, 2), /revision default\/iris\/predictor\/iris-predictor-00001 already runs a different spec/);

      await d.apply(spec, 1);
      const one = d.replicas(rev);
      assert.deepEqual(one.map((r) => [r.name, r.phase]), [['iris-predictor-00001-1', 'Ready']]);
      await assert.rejects(fetch(`${two[1]!.endpoint!.http}/v2/health/ready`), 'the stopped replica no longer answers');
      assert.deepEqual(await infer(one[0]!.endpoint!.http), [1, 1]);

      await d.apply(spec, 0);
      assert.deepEqual(d.replicas(rev), []);
      assert.deepEqual(d.revisions(), [rev], 'scaled to zero, the revision stays known');
      await assert.rejects(fetch(`${two[0]!.endpoint!.http}/v2/health/ready`));
      await d.delete(rev);
      assert.deepEqual(d.revisions(), []);
    }));

    test('a killed replica is restarted and Ready again with restarts=1; onChange reports it', withDriver(async (d) => {
      const rev = 'default/web/predictor/web-00001';
      await d.apply(h.httpServer(rev), 1);
      const [before] = await waitFor(d, rev, allReady(1), 'Ready');
      const seen: string[] = [];
      const off = d.onChange((r) => seen.push(`${r} ${d.replicas(r)[0]?.phase ?? '-'}`));
      await h.kill(d, rev, before!.name);
      const [after] = await waitFor(d, rev, (rs) => rs[0]?.phase === 'Ready' && rs[0].restarts === 1, 'Ready again after a restart');
      off();
      assert.equal(after!.name, before!.name);
      assert.equal(after!.lastExit?.reason, 'Error');
      assert.equal(after!.lastExit?.signal, 'SIGKILL');
      assert.ok(seen.includes(`${rev} Ready`) && seen.some((s) => s.endsWith('Starting')), `phase changes reported: ${seen.join(', ')}`);
      const res = await fetch(`${after!.endpoint!.http}/`);
      assert.equal(res.status, 200);
    }));

    test('a replica that exits at once ends in CrashLoopBackOff with the exit code and its last log lines', withDriver(async (d) => {
      const rev = 'default/crash/predictor/crash-00001';
      await d.apply(h.crashing(rev), 1);
      const [r] = await waitFor(d, rev, (rs) => rs[0]?.phase === 'CrashLoopBackOff', 'CrashLoopBackOff');
      assert.ok(r!.restarts >= 2, `restarts ${r!.restarts}`);
      assert.equal(r!.lastExit?.code, 3);
      assert.equal(r!.lastExit?.reason, 'Error');
      assert.equal(r!.endpoint, undefined);
      assert.match(r!.lastExit?.logTail ?? '', /starting up/);
      assert.match(r!.lastExit?.logTail ?? '', /fatal: no model at \/nope/);
      assert.ok(!Number.isNaN(Date.parse(r!.lastExit.at)));
    }));

    test('a replica past its memory limit is killed with reason OOMKilled', withDriver(async (d) => {
      const rev = 'default/hog/predictor/hog-00001';
      await d.apply(h.memoryHog(rev), 1);
      const [r] = await waitFor(d, rev, (rs) => rs[0]?.lastExit !== undefined, 'an exit');
      assert.equal(r!.lastExit?.reason, 'OOMKilled');
      assert.equal(r!.lastExit?.signal, 'SIGKILL');
    }));

    test('a failing liveness probe restarts the replica', withDriver(async (d) => {
      const rev = 'default/sick/predictor/sick-00001';
      await d.apply(h.failsLiveness(rev), 1);
      const [r] = await waitFor(d, rev, (rs) => (rs[0]?.restarts ?? 0) >= 1, 'a restart');
      assert.equal(r!.lastExit?.reason, 'Error');
      assert.match(r!.lastExit?.logTail ?? '', /liveness probe GET \/live failed/);
    }));

    test('delete of a replica that ignores SIGTERM waits the grace period, then kills it', withDriver(async (d) => {
      const rev = 'default/stubborn/predictor/stubborn-00001';
      const graceMs = 400;
      await d.apply(h.ignoresSigterm(rev, graceMs), 1);
      const [r] = await waitFor(d, rev, allReady(1), 'Ready');
      const t0 = performance.now();
      await d.delete(rev);
      const took = performance.now() - t0;
      assert.ok(took >= graceMs - 20, `delete took ${took} ms, expected at least the ${graceMs} ms grace period`);
      assert.ok(took < graceMs + 5_000, `delete took ${took} ms`);
      assert.deepEqual(d.replicas(rev), []);
      assert.deepEqual(d.revisions(), []);
      await assert.rejects(fetch(`${r!.endpoint!.http}/`));
      await d.delete(rev); // idempotent
    }));

    test('close stops every revision and is idempotent; apply after close is refused', withDriver(async (d) => {
      await d.apply(h.httpServer('default/a/predictor/a-00001'), 1);
      await d.apply(h.httpServer('default/b/predictor/b-00001'), 1);
      const a = await waitFor(d, 'default/a/predictor/a-00001', allReady(1), 'Ready');
      await Promise.all([d.close(), d.close()]);
      assert.deepEqual(d.revisions(), []);
      await assert.rejects(fetch(`${a[0]!.endpoint!.http}/`));
      await assert.rejects(d.apply(h.httpServer('default/a/predictor/a-00001'), 1), /closed/);
    }));
  });
}
