/**
 * API server benchmark (issue 5): the real kubectl and plain HTTP clients against
 * `startApiServer` over a SqliteStore in a temp dir.
 *
 *   bash bench/apiserver.sh            (N=1000 WATCHERS=100 WRITES=200 LIST_RUNS=20)
 *
 * Rows:
 * - `kubectl apply -f` of N InferenceServices in one multi-document file (client-side apply: a
 *   GET and a POST per object), wall time;
 * - `kubectl apply --server-side --force-conflicts` of the same N with every storageUri changed
 *   (each a conflict with the client-side applier, forced), wall time;
 * - `kubectl get isvc -A`, wall time (process start, discovery from its cache, the LIST as a
 *   Table, printing);
 * - the LIST of N objects as the server answers it, timed from a keep-alive HTTP client on this
 *   machine (request sent → last byte), JSON and Table: median and p95 of LIST_RUNS (target:
 *   ≤ 200 ms);
 * - WATCHERS concurrent HTTP watch streams, WRITES merge-patches (10 in flight): events
 *   delivered / expected, and latency from each write's request to each watcher's receipt of it.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request, Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALL_KINDS } from '../src/api/index.ts';
import { applyFunctionFor } from '../src/control/apiserver/apply/index.ts';
import { startApiServer } from '../src/control/apiserver/server.ts';
import { SqliteStore } from '../src/control/store/sqlite-store.ts';

const N = Number(process.env.N ?? 1000);
const WATCHERS = Number(process.env.WATCHERS ?? 100);
const WRITES = Number(process.env.WRITES ?? 200);
const LIST_RUNS = Number(process.env.LIST_RUNS ?? 20);
const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';
const ISVC = '/apis/serving.kserve.io/v1beta1';
const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

function http(url: string, method: string, headers: Record<string, string>, body?: string): Promise<{ status: number; body: string; ms: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), ms: performance.now() - t0 }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function run(args: string[]): Promise<{ ms: number; code: number | null; stdout: string; stderr: string }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(KUBECTL, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ ms: performance.now() - t0, code, stdout, stderr }));
  });
}

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const f1 = (x: number): string => x.toFixed(1);

function manifests(n: number): string {
  const docs: string[] = [];
  for (let i = 0; i < n; i++) {
    docs.push(`apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: isvc-${String(i).padStart(4, '0')}
  labels:
    bench: apiserver
spec:
  predictor:
    minReplicas: 1
    model:
      modelFormat:
        name: sklearn
      storageUri: gs://kfserving-examples/models/sklearn/1.0/model-${i}
`);
  }
  return docs.join('---\n');
}

/** WATCHERS plain HTTP watch streams; resolves once every stream has its headers. */
async function openWatchers(base: string, fromVersion: string, onEvent: (watcher: number, name: string, rv: string) => void): Promise<() => void> {
  const reqs: ReturnType<typeof request>[] = [];
  await Promise.all(
    Array.from({ length: WATCHERS }, (_, w) => new Promise<void>((resolve, reject) => {
      const req = request(`${base}${ISVC}/namespaces/default/inferenceservices?watch=1&resourceVersion=${fromVersion}&allowWatchBookmarks=false`, { headers: { accept: 'application/json' } }, (res) => {
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buf += chunk;
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl);
            buf = buf.slice(nl + 1);
            if (!line.trim()) continue;
            const e = JSON.parse(line) as { type: string; object: { metadata: { name: string; resourceVersion: string } } };
            if (e.type === 'MODIFIED') onEvent(w, e.object.metadata.name, e.object.metadata.resourceVersion);
          }
        });
        res.on('error', () => undefined);
        resolve();
      });
      req.on('error', reject);
      req.end();
      reqs.push(req);
    })),
  );
  return () => reqs.forEach((r) => r.destroy());
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'kserve-apiserver-bench-'));
  const store = await SqliteStore.open({ dataDir: join(dir, 'data') });
  const server = await startApiServer({ port: 0, store, kinds: ALL_KINDS, serverSideApply: applyFunctionFor(ALL_KINDS) });
  const rows: [string, string, string][] = [];
  try {
    const kubeconfig = join(dir, 'kubeconfig');
    await writeFile(kubeconfig, JSON.stringify({ apiVersion: 'v1', kind: 'Config', clusters: [{ name: 'b', cluster: { server: server.url } }], users: [{ name: 'b', user: {} }], contexts: [{ name: 'b', context: { cluster: 'b', user: 'b', namespace: 'default' } }], 'current-context': 'b' }), { mode: 0o600 });
    const k = ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache')];
    const file = join(dir, 'isvcs.yaml');
    await writeFile(file, manifests(N));
    await run([...k, 'api-resources']); // warm kubectl's discovery cache, as a user's second command would be

    const apply = await run([...k, 'apply', '-f', file]);
    if (apply.code !== 0) throw new Error(`kubectl apply failed: ${apply.stderr.slice(0, 2000)}`);
    const created = apply.stdout.split('\n').filter((l) => l.endsWith(' created')).length;
    rows.push([`kubectl apply -f (${N} InferenceServices, one file)`, `${f1(apply.ms / 1000)} s`, `${created}/${N} created, ${f1((N * 1000) / apply.ms)} objects/s`]);

    await writeFile(file, manifests(N).replaceAll('/model-', '/v2/model-'));
    const ssa = await run([...k, 'apply', '--server-side', '--force-conflicts', '-f', file]);
    if (ssa.code !== 0) throw new Error(`kubectl apply --server-side failed: ${ssa.stderr.slice(0, 2000)}`);
    const ssaDone = ssa.stdout.split('\n').filter((l) => l.endsWith(' serverside-applied')).length;
    rows.push([`kubectl apply --server-side --force-conflicts (${N}, every storageUri changed)`, `${f1(ssa.ms / 1000)} s`, `${ssaDone}/${N} serverside-applied, ${f1((N * 1000) / ssa.ms)} objects/s`]);

    const get = await run([...k, 'get', 'isvc', '-A']);
    if (get.code !== 0) throw new Error(`kubectl get failed: ${get.stderr}`);
    rows.push([`kubectl get isvc -A (${N} rows)`, `${f1(get.ms)} ms`, `${get.stdout.trim().split('\n').length - 1} rows printed`]);

    for (const [label, accept] of [['JSON', 'application/json'], ['Table', TABLE_ACCEPT]] as const) {
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < LIST_RUNS + 2; i++) {
        const r = await http(`${server.url}${ISVC}/inferenceservices`, 'GET', { accept });
        if (r.status !== 200) throw new Error(`LIST ${label}: ${r.status} ${r.body.slice(0, 300)}`);
        bytes = r.body.length;
        if (i >= 2) times.push(r.ms);
      }
      rows.push([`LIST ${N} isvc as ${label}, HTTP client (target ≤ 200 ms)`, `p50 ${f1(pct(times, 50))} ms`, `p95 ${f1(pct(times, 95))} ms, ${(bytes / 1e6).toFixed(2)} MB, ${LIST_RUNS} runs`]);
    }

    const rv = (JSON.parse((await http(`${server.url}${ISVC}/namespaces/default/inferenceservices?limit=1`, 'GET', { accept: 'application/json' })).body) as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
    const sentAt = new Map<string, number>(); // write's resourceVersion → request start
    const pendingByRv = new Map<string, number[]>(); // receipts that arrived before the write's response
    const latencies: number[] = [];
    let delivered = 0;
    const close = await openWatchers(server.url, rv, (_w, _name, eventRv) => {
      delivered++;
      const now = performance.now();
      const t = sentAt.get(eventRv);
      if (t === undefined) pendingByRv.set(eventRv, [...(pendingByRv.get(eventRv) ?? []), now]);
      else latencies.push(now - t);
    });
    const t0 = performance.now();
    let next = 0;
    await Promise.all(Array.from({ length: 10 }, async () => {
      while (next < WRITES) {
        const i = next++;
        const name = `isvc-${String(i % N).padStart(4, '0')}`;
        const start = performance.now();
        const r = await http(`${server.url}${ISVC}/namespaces/default/inferenceservices/${name}`, 'PATCH', { 'content-type': 'application/merge-patch+json' }, JSON.stringify({ metadata: { labels: { write: String(i) } } }));
        if (r.status !== 200) throw new Error(`PATCH ${name}: ${r.status} ${r.body.slice(0, 300)}`);
        const writeRv = (JSON.parse(r.body) as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
        sentAt.set(writeRv, start);
        for (const at of pendingByRv.get(writeRv) ?? []) latencies.push(at - start);
        pendingByRv.delete(writeRv);
      }
    }));
    const writeMs = performance.now() - t0;
    const expected = WATCHERS * WRITES;
    const deadline = performance.now() + 10_000;
    while (delivered < expected && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    close();
    rows.push([`${WATCHERS} HTTP watchers × ${WRITES} writes (10 in flight)`, `${delivered}/${expected} delivered`, `write→receipt p50 ${f1(pct(latencies, 50))} ms, p99 ${f1(pct(latencies, 99))} ms, max ${f1(Math.max(...latencies))} ms; writes ${f1((WRITES * 1000) / writeMs)}/s`]);
  } finally {
    await server.close();
    await store.close();
    agent.destroy();
    await rm(dir, { recursive: true, force: true });
  }
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length), ['row', 'result', 'detail'][i]!.length));
  const line = (r: string[]): string => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(`\nAPI server benchmark (SqliteStore, node ${process.version}, kubectl ${KUBECTL})\n`);
  console.log(line(['row', 'result', 'detail']));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}

await main();
