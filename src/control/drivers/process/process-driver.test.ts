/**
 * The process driver with real child processes: the shared driver conformance suite, then what is
 * specific to processes (pids gone after delete, orphans of a killed driver, log files, port
 * templating, options).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { driverConformance, waitFor } from '../driver-conformance.ts';
import { backoffDelayMs, resolveOptions } from './options.ts';
import { ProcessDriver, type ProcessDriverInit } from './process-driver.ts';
import { processStartTime } from './proc.ts';
import { reapOrphans, writeRecord } from './records.ts';
import { silentLogger } from '../../../core/logger.ts';
import { workloads, REPO } from './testdata/workloads.ts';

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'kserve-ts-driver-'));
  dirs.push(d);
  return d;
}

/** Test timing: short backoff and probe intervals (the defaults are Kubernetes'). */
const FAST: Omit<ProcessDriverInit, 'dataDir'> = {
  readinessIntervalMs: 20,
  livenessIntervalMs: 20,
  livenessFailureThreshold: 2,
  memoryIntervalMs: 20,
  backoffBaseMs: 20,
  backoffCapMs: 100,
  defaultGracePeriodMs: 5_000,
};

const open = async (dataDir?: string): Promise<ProcessDriver> => ProcessDriver.open({ dataDir: dataDir ?? (await tempDir()), ...FAST });

/** Running, not a zombie: a killed orphan is reparented to PID 1, which may be slow to reap it (or, in a container, never). */
const alive = async (pid: number): Promise<boolean> => (await processStartTime(pid)) !== undefined;
const living = async (pids: number[]): Promise<number[]> => {
  const out: number[] = [];
  for (const p of pids) if (await alive(p)) out.push(p);
  return out;
};

/** Runs `fn` with a fast driver over a fresh data dir, closing it after. */
const withDriver = (fn: (d: ProcessDriver, dataDir: string) => Promise<void>) => async () => {
  const dataDir = await tempDir();
  const d = await open(dataDir);
  try {
    await fn(d, dataDir);
  } finally {
    await d.close();
  }
};

driverConformance('ProcessDriver', {
  make: () => open(),
  ...workloads,
  kill: async (d, revision, replica) => {
    const pid = (d as ProcessDriver).pidOf(revision, replica);
    assert.ok(pid !== undefined, `${replica} has a pid`);
    process.kill(pid, 'SIGKILL');
  },
});

describe('ProcessDriver with processes', () => {
  test('delete stops every process of the revision and removes their records', withDriver(async (d, dataDir) => {
    const rev = 'default/web/predictor/web-00001';
    await d.apply(workloads.httpServer(rev), 3);
    const rs = await waitFor(d, rev, (x) => x.length === 3 && x.every((r) => r.phase === 'Ready'), '3 Ready');
    const pids = rs.map((r) => d.pidOf(rev, r.name)!);
    assert.deepEqual(await living(pids), pids);
    assert.equal((await readdir(join(dataDir, 'replicas'))).length, 3);
    await d.delete(rev);
    assert.deepEqual(await living(pids), []);
    assert.deepEqual(await readdir(join(dataDir, 'replicas')), []);
  }));

  test('a new driver over the same data dir kills the replicas of one that was killed -9', async () => {
    const dataDir = await tempDir();
    const parent = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'src/control/drivers/process/testdata/orphan-parent.ts'), dataDir], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((resolve, reject) => {
      let buf = '';
      parent.stdout.on('data', (c: Buffer) => {
        buf += c.toString();
        if (buf.includes('\n')) resolve(buf.slice(0, buf.indexOf('\n')));
      });
      parent.once('exit', (code) => reject(new Error(`orphan parent exited with ${code}`)));
    });
    const pids = JSON.parse(line) as number[];
    assert.equal(pids.length, 2);
    const exited = new Promise((r) => parent.once('exit', r));
    parent.kill('SIGKILL');
    await exited;
    assert.deepEqual(await living(pids), pids, 'the replicas outlive their driver');
    const d = await open(dataDir);
    try {
      assert.deepEqual(await living(pids), [], 'open() killed them');
      assert.deepEqual(await readdir(join(dataDir, 'replicas')), []);
      assert.deepEqual(d.revisions(), [], 'replaced, not adopted');
    } finally {
      await d.close();
    }
  });

  test('orphan reaping leaves alone a pid whose start time differs (reused) or is unknown, and drops the records', async () => {
    const dataDir = await tempDir();
    await writeRecord(dataDir, { pid: process.pid, startTime: '1', revision: 'default/a/predictor/a-00001', replica: 'a-00001-1', command: 'x' });
    await writeRecord(dataDir, { pid: process.pid, revision: 'default/b/predictor/b-00001', replica: 'b-00001-1', command: 'x' });
    assert.deepEqual(await reapOrphans(dataDir, silentLogger), []);
    assert.deepEqual(await readdir(join(dataDir, 'replicas')), []);
  });

  test('delete during CrashLoopBackOff is prompt: no restart after it', withDriver(async (d) => {
    const rev = 'default/crash/predictor/crash-00001';
    await d.apply(workloads.crashing(rev), 1);
    await waitFor(d, rev, (x) => x[0]?.phase === 'CrashLoopBackOff', 'CrashLoopBackOff');
    const seen: string[] = [];
    d.onChange((r) => seen.push(d.replicas(r)[0]?.phase ?? '-'));
    await d.delete(rev);
    assert.deepEqual(d.replicas(rev), []);
    // Let any stray backoff timer (cap 100 ms) fire: a restart would report Starting.
    await new Promise((r) => setTimeout(r, 150));
    assert.ok(!seen.includes('Starting'), seen.join(','));
  }));

  test('exit code 0 is reason Completed, and the replica is still restarted (restartPolicy Always)', withDriver(async (d) => {
    const rev = 'default/done/predictor/done-00001';
    await d.apply({ ...workloads.crashing(rev), args: ['-e', "console.log('done')"] }, 1);
    const [r] = await waitFor(d, rev, (x) => (x[0]?.restarts ?? 0) >= 1, 'a restart');
    assert.equal(r!.lastExit?.code, 0);
    assert.equal(r!.lastExit?.reason, 'Completed');
    assert.equal(r!.lastExit?.logTail, 'done');
  }));

  test('scaling 3 → 1 → 2 keeps names 1..n: the lowest free index is reused', withDriver(async (d) => {
    const rev = 'default/web/predictor/web-00001';
    const spec = workloads.httpServer(rev);
    await d.apply(spec, 3);
    await d.apply(spec, 1);
    await d.apply(spec, 2);
    assert.deepEqual(d.replicas(rev).map((r) => r.name), ['web-00001-1', 'web-00001-2']);
    await waitFor(d, rev, (x) => x.length === 2 && x.every((r) => r.phase === 'Ready'), '2 Ready');
  }));

  test('ports are templated into args and env, PORT is set, and output goes to the per-replica log file', withDriver(async (d, dataDir) => {
    const rev = 'default/echo/predictor/echo-00001';
    await d.apply(workloads.echo(rev), 1);
    const [r] = await waitFor(d, rev, (x) => x[0]?.phase === 'Ready', 'Ready');
    const port = Number(new URL(r!.endpoint!.http).port);
    assert.equal(r!.logFile, join(dataDir, 'logs', 'default_echo_predictor_echo-00001', 'echo-00001-1.log'));
    const log = await readFile(r!.logFile, 'utf8');
    const m = /args=\["http=(\d+)","grpc=(\d+)"\] PORT=(\d+) GRPC=g(\d+)/.exec(log);
    assert.ok(m, log);
    assert.equal(Number(m[1]), port);
    assert.equal(Number(m[3]), port);
    assert.equal(m[2], m[4]);
    assert.notEqual(Number(m[2]), port);
    assert.equal(r!.endpoint!.grpc, `127.0.0.1:${m[2]}`, 'a spec that uses the gRPC token gets a gRPC endpoint');
    assert.match(log, /listening on \d+/);
  }));

  test('without a readinessPath the replica is Ready once its port accepts TCP (a server that answers 404 everywhere)', withDriver(async (d) => {
    const rev = 'default/tcp/predictor/tcp-00001';
    const spec = { ...workloads.httpServer(rev), readinessPath: undefined };
    spec.args = ['-e', "setTimeout(()=>require('node:http').createServer((q,s)=>{s.statusCode=404;s.end()}).listen(+process.env.PORT,'127.0.0.1'),300)"];
    await d.apply(spec, 1);
    assert.equal(d.replicas(rev)[0]?.phase, 'Starting');
    const [r] = await waitFor(d, rev, (x) => x[0]?.phase === 'Ready', 'Ready');
    assert.equal((await fetch(`${r!.endpoint!.http}/`)).status, 404);
  }));

  test('a revision draining for its whole grace period does not hold up another revision', withDriver(async (d) => {
    const slow = 'default/slow/predictor/slow-00001';
    const other = 'default/other/predictor/other-00001';
    await d.apply(workloads.ignoresSigterm(slow, 3_000), 1);
    await waitFor(d, slow, (x) => x[0]?.phase === 'Ready', 'Ready');
    const t0 = Date.now();
    const deleting = d.delete(slow);
    await d.apply(workloads.httpServer(other), 1);
    await waitFor(d, other, (x) => x[0]?.phase === 'Ready', 'Ready');
    const otherMs = Date.now() - t0;
    await deleting;
    const deleteMs = Date.now() - t0;
    assert.ok(deleteMs >= 2_900, `the slow revision took its grace period: ${deleteMs} ms`);
    assert.ok(otherMs < deleteMs - 1_000, `the other revision was Ready after ${otherMs} ms, before the delete finished at ${deleteMs} ms`);
  }));

  test('restarts append to the same log file', withDriver(async (d) => {
    const rev = 'default/crash/predictor/crash-00001';
    await d.apply(workloads.crashing(rev), 1);
    const [r] = await waitFor(d, rev, (x) => (x[0]?.restarts ?? 0) >= 2, 'two restarts');
    await d.delete(rev);
    const log = await readFile(r!.logFile!, 'utf8');
    assert.ok(log.split('starting up').length - 1 >= 2, log);
    assert.equal(r!.lastExit?.logTail, 'starting up\nfatal: no model at /nope', 'the tail holds only the last run');
  }));

  test('a command that does not exist fails with the spawn error in the log tail', withDriver(async (d) => {
    const rev = 'default/missing/predictor/missing-00001';
    await d.apply({ ...workloads.httpServer(rev), command: '/nonexistent/kserve-ts-no-such-binary' }, 1);
    const [r] = await waitFor(d, rev, (x) => x[0]?.lastExit !== undefined, 'an exit');
    assert.equal(r!.lastExit?.reason, 'Error');
    assert.match(r!.lastExit?.logTail ?? '', /failed to start \/nonexistent\/kserve-ts-no-such-binary: spawn .*ENOENT/);
  }));

  test('options are validated with the key, the value and the range; backoff doubles up to the cap', () => {
    assert.throws(() => resolveOptions({ dataDir: '' }), /option dataDir: got "", expected a non-empty directory path/);
    assert.throws(() => resolveOptions({ dataDir: '/d', backoffBaseMs: -1 }), /option backoffBaseMs: got -1, expected an integer from 0 to 3600000/);
    assert.throws(() => resolveOptions({ dataDir: '/d', backoffBaseMs: 500, backoffCapMs: 100 }), /option backoffCapMs: got 100, expected at least backoffBaseMs \(500\)/);
    const o = resolveOptions({ dataDir: '/d' });
    assert.equal(o.backoffCapMs, 10_000);
    assert.ok(Object.isFrozen(o));
    assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => backoffDelayMs(n, 1_000, 10_000)), [1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
    assert.ok(!existsSync('/d'), 'resolving options touches no disk');
  });

  test('a bad revision id is rejected naming the field', async () => {
    const d = new ProcessDriver({ dataDir: await tempDir() });
    await assert.rejects(d.apply(workloads.httpServer('Default/Bad_Name'), 1), /ReplicaSpec revision: got "Default\/Bad_Name", expected lowercase DNS-1123 segments/);
    await d.close();
  });
});
