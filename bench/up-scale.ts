/**
 * "100 InferenceServices on one machine": starts `kserve-ts up` (bench/lib/up.ts: built dist/ with
 * the launcher's V8 flags, temp data dir, free ports), applies N InferenceServices of the bundled
 * iris ONNX model in ONE `kubectl apply -f` of a multi-document file, and measures
 *
 * - apply → all Ready: from the start of `kubectl apply` until `kubectl get isvc` (polled every
 *   250 ms) shows every one Ready, plus each InferenceService's own Ready time (its Ready
 *   condition's lastTransitionTime, ms, against the wall clock at apply); those not Ready after
 *   --timeout-s are listed with their reason and the run goes on with the rest (exit code 1);
 * - memory per idle replica, from /proc/PID/smaps_rollup after a settle pause with no requests:
 *   RSS (shared pages counted in every process), PSS (shared pages split between the processes
 *   mapping them: the node binary and libonnxruntime are mapped by all replicas, so PSS is the
 *   fair per-replica share) and private (what stopping the replica frees); again after one
 *   request each; up's own memory; the machine's MemAvailable before and after;
 * - the CPU all idle replicas use together while settling;
 * - one V1 prediction through the gateway on each (`/serving/default/NAME/v1/models/NAME:predict`,
 *   all must answer label 1 for KServe's iris row);
 * - `kubectl delete isvc --all --wait` time, and that every replica process is gone.
 *
 * Prints a Markdown table, then one JSON line.
 *
 *   npm run build && npx tsx bench/up-scale.ts [--count 100] [--settle-ms 5000] [--timeout-s 300] [--source dist|tsx]
 *
 * --count 100 takes ~4.5 GB (the machine's MemAvailable drop, 2026-11-26; the sum of RSS reads ~11 GB
 * because the shared node binary counts in every process); check `free -g` first.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { num, parseFlags } from './lib/args.ts';
import { CLK_TCK, type ProcMemory, cpuTicks, memAvailableMb, procMemory } from './lib/proc.ts';
import { summarize } from './lib/stats.ts';
import { ROOT, type RunningUp, startUp } from './lib/up.ts';

interface Condition { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }
interface Isvc { metadata: { name: string }; status?: { conditions?: Condition[] } }
interface IsvcList { items: Isvc[] }

const readyCondition = (it: Isvc): Condition | undefined => it.status?.conditions?.find((c) => c.type === 'Ready');

const name = (i: number, n: number): string => `iris-${String(i).padStart(String(n).length, '0')}`;

function manifest(n: number): string {
  // The legacy `onnx:` key, as examples/manifests/iris-onnx.yaml: KServe maps it to the Triton
  // runtime with protocol v2 (modelFormat onnx with the default protocol v1 has no runtime).
  const doc = (i: number): string =>
    `apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata:\n  name: ${name(i, n)}\nspec:\n  predictor:\n    onnx:\n      storageUri: file://${join(ROOT, 'examples/models/iris')}\n`;
  return Array.from({ length: n }, (_, k) => doc(k + 1)).join('---\n');
}

/** Runs `fn` over `items` with at most `c` in flight. */
async function pool<T, R>(items: readonly T[], c: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(c, items.length) }, async () => {
    while (next < items.length) {
      const k = next++;
      out[k] = await fn(items[k]!);
    }
  }));
  return out;
}

interface MemSummary { n: number; rssMb: number; pssMb: number; privateMb: number; rssMin: number; rssMax: number; pssMin: number; pssMax: number; pssSumMb: number; rssSumMb: number }

function memSummary(ms: readonly ProcMemory[]): MemSummary {
  const mean = (f: (m: ProcMemory) => number): number => ms.reduce((s, m) => s + f(m), 0) / ms.length;
  const sum = (f: (m: ProcMemory) => number): number => ms.reduce((s, m) => s + f(m), 0);
  return {
    n: ms.length,
    rssMb: mean((m) => m.rssMb), pssMb: mean((m) => m.pssMb), privateMb: mean((m) => m.privateMb),
    rssMin: Math.min(...ms.map((m) => m.rssMb)), rssMax: Math.max(...ms.map((m) => m.rssMb)),
    pssMin: Math.min(...ms.map((m) => m.pssMb)), pssMax: Math.max(...ms.map((m) => m.pssMb)),
    pssSumMb: sum((m) => m.pssMb), rssSumMb: sum((m) => m.rssMb),
  };
}

async function replicaMemory(up: RunningUp): Promise<ProcMemory[]> {
  return (await up.replicas()).map(procMemory).filter((m): m is ProcMemory => m !== undefined);
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2), { count: '100', 'settle-ms': '5000', source: 'dist', concurrency: '8', 'timeout-s': '300' });
  const n = num(flags, 'count');
  const source = flags['source'] === 'tsx' ? 'tsx' : 'dist';
  const availBefore = memAvailableMb();
  const up = await startUp({ source });
  try {
    await up.kubectl('get', 'ns'); // discovery cached before timing
    const upBefore = procMemory(up.pid)!;
    const file = join(up.dir, 'isvcs.yaml');
    await writeFile(file, manifest(n));

    const wall0 = Date.now();
    const t0 = performance.now();
    await up.kubectl('apply', '-f', file);
    const applyMs = performance.now() - t0;
    // Poll (not `kubectl wait --all`, which gives up on all at its timeout and says nothing about
    // the ones that made it): every InferenceService's Ready condition, every 250 ms.
    const deadline = performance.now() + num(flags, 'timeout-s') * 1000;
    let list: IsvcList;
    let allReadyMs = NaN;
    for (;;) {
      list = JSON.parse((await up.kubectl('get', 'isvc', '-o', 'json')).stdout) as IsvcList;
      if (list.items.length === n && list.items.every((it) => readyCondition(it)?.status === 'True')) {
        allReadyMs = performance.now() - t0;
        break;
      }
      if (performance.now() > deadline) break;
      await sleep(250);
    }
    const readyAt = list.items.map((it) => Date.parse(readyCondition(it)?.status === 'True' ? readyCondition(it)!.lastTransitionTime ?? '' : '') - wall0).filter(Number.isFinite);
    const ready = summarize(readyAt);
    const notReady = list.items.filter((it) => readyCondition(it)?.status !== 'True').map((it) => ({ name: it.metadata.name, reason: readyCondition(it)?.reason, message: readyCondition(it)?.message }));
    for (const it of notReady) console.error(`not Ready after ${flags['timeout-s']} s: ${it.name}: ${it.reason ?? ''} ${it.message ?? ''}`);

    let pids = await up.replicas();
    for (let k = 0; k < 50 && pids.length < n; k++) {
      await sleep(100);
      pids = await up.replicas();
    }
    // Idle CPU of all replicas together while settling (timers, GC): cores busy doing nothing.
    const ticks = (): number => pids.reduce((sum, p) => {
      try {
        return sum + cpuTicks(p);
      } catch {
        return sum;
      }
    }, 0);
    const idleTicks0 = ticks();
    const settle0 = performance.now();
    await sleep(num(flags, 'settle-ms'));
    const idleCores = (ticks() - idleTicks0) / CLK_TCK / ((performance.now() - settle0) / 1000);
    const idle = memSummary(await replicaMemory(up));
    const upIdle = procMemory(up.pid)!;
    const availIdle = memAvailableMb();

    const predictMs: number[] = [];
    const results = await pool(list.items.map((it) => it.metadata.name), num(flags, 'concurrency'), async (isvc) => {
      const t = performance.now();
      try {
        const r = await fetch(`${up.gateway}/serving/default/${isvc}/v1/models/${isvc}:predict`, { method: 'POST', body: '{"instances": [[6.8, 2.8, 4.8, 1.4]]}' });
        const body = (await r.json()) as { predictions?: { label: number }[] };
        predictMs.push(performance.now() - t);
        return r.status === 200 && body.predictions?.[0]?.label === 1;
      } catch {
        return false;
      }
    });
    const answered = results.filter(Boolean).length;
    const served = memSummary(await replicaMemory(up));
    const upServed = procMemory(up.pid)!;

    const d0 = performance.now();
    await up.kubectl('delete', 'isvc', '--all', '--wait=true', `--timeout=${Math.max(120, n * 3)}s`);
    const deleteMs = performance.now() - d0;
    let alive = pids.filter((p) => existsSync(`/proc/${p}`));
    for (let k = 0; k < 100 && alive.length > 0; k++) {
      await sleep(100);
      alive = alive.filter((p) => existsSync(`/proc/${p}`));
    }
    const goneMs = performance.now() - d0;
    const upExit = await up.stop();

    const f = (x: number, d = 1): string => x.toFixed(d);
    const s = (ms: number): string => `${f(ms / 1000, 2)} s`;
    console.log(`kserve-ts up, ${n} InferenceServices (bundled iris ONNX), one kubectl apply; node ${process.version}, ${source} (node flags: ${up.nodeFlags.join(' ') || 'none'})`);
    console.log('');
    console.log('| row | result |');
    console.log('|---|---|');
    console.log(`| kubectl apply of ${n} documents returns | ${s(applyMs)} |`);
    console.log(`| apply → all Ready (polling kubectl get, 250 ms) | ${notReady.length === 0 ? s(allReadyMs) : `${n - notReady.length} of ${n} Ready after ${flags['timeout-s']} s; not Ready: ${notReady.map((it) => `${it.name} (${it.reason ?? '?'})`).join(', ')}`} |`);
    console.log(`| each InferenceService's Ready (condition time) after apply: first / median / p90 / last | ${s(Math.min(...readyAt))} / ${s(ready.p50)} / ${s(ready.p90)} / ${s(ready.max)} |`);
    console.log(`| replica processes | ${pids.length} |`);
    console.log(`| CPU of all ${pids.length} idle replicas together (${flags['settle-ms']} ms after all Ready) | ${f(idleCores * 100)} % of one core |`);
    console.log(`| idle replica RSS, mean (min–max) | ${f(idle.rssMb)} MB (${f(idle.rssMin)}–${f(idle.rssMax)}) |`);
    console.log(`| idle replica PSS, mean (min–max) | ${f(idle.pssMb)} MB (${f(idle.pssMin)}–${f(idle.pssMax)}) |`);
    console.log(`| idle replica private (freed on exit), mean | ${f(idle.privateMb)} MB |`);
    console.log(`| after one request each: RSS / PSS mean | ${f(served.rssMb)} / ${f(served.pssMb)} MB |`);
    console.log(`| up process RSS / PSS: before apply, idle with ${n} | ${f(upBefore.rssMb)} / ${f(upBefore.pssMb)} MB, ${f(upIdle.rssMb)} / ${f(upIdle.pssMb)} MB |`);
    console.log(`| total PSS, up + ${n} idle replicas | ${f((idle.pssSumMb + upIdle.pssMb) / 1024, 2)} GB (sum of RSS ${f((idle.rssSumMb + upIdle.rssMb) / 1024, 2)} GB) |`);
    console.log(`| machine MemAvailable drop, before up → all idle | ${f((availBefore - availIdle) / 1024, 2)} GB (other processes on the machine move it too) |`);
    console.log(`| V1 predictions through the gateway answered right | ${answered} / ${list.items.length} (first request per replica p50 ${f(summarize(predictMs).p50)} ms, max ${f(summarize(predictMs).max)} ms) |`);
    console.log(`| kubectl delete isvc --all --wait | ${s(deleteMs)}; replica processes left after ${s(goneMs)}: ${alive.length} |`);
    console.log(`| up exit code after SIGTERM | ${upExit} |`);
    console.log('');
    console.log(JSON.stringify({
      count: n, node: process.version, source, nodeFlags: up.nodeFlags,
      applyMs: Math.round(applyMs), allReadyMs: Math.round(allReadyMs), notReady, readyMs: { first: Math.min(...readyAt), p50: ready.p50, p90: ready.p90, last: ready.max },
      replicas: pids.length, idleCores, idle, afterOneRequest: served,
      up: { before: upBefore, idle: upIdle, afterRequests: upServed },
      totalPssMb: idle.pssSumMb + upIdle.pssMb, memAvailableDropMb: availBefore - availIdle,
      predictions: { answered, of: list.items.length, firstRequestMs: summarize(predictMs) },
      deleteMs: Math.round(deleteMs), replicasLeft: alive.length, upExit,
    }));
    if (notReady.length > 0 || answered !== list.items.length || alive.length > 0 || pids.length !== n) process.exitCode = 1;
  } finally {
    await up.stop();
  }
}

await main();
