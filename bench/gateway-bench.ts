/**
 * Gateway overhead (issue 6): one real `kserve-ts model-server` (bundled iris), V1 predict sent
 * directly and through `startGateway` (path form), same run, same keep-alive client.
 *
 *   node --import tsx bench/gateway-bench.ts        (N=2000 CONC=16)
 *
 * Rows: sequential latency p50/p99 (one request in flight), then throughput with CONC in flight;
 * the "added" column is gateway minus direct.
 */
import { Agent, request } from 'node:http';
import { spawnModelServer } from '../test/cli-helpers.ts';
import { startGateway } from '../src/gateway/gateway.ts';
import { RoutingTable } from '../src/gateway/routing-table.ts';

const N = Number(process.env.N ?? 2000);
const CONC = Number(process.env.CONC ?? 16);
const BODY = '{"instances": [[6.8,2.8,4.8,1.4],[6.0,3.4,4.5,1.6]]}';
const agent = new Agent({ keepAlive: true, maxSockets: CONC });

function post(url: string): Promise<number> {
  const t0 = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve(Number(process.hrtime.bigint() - t0) / 1e6) : reject(new Error(`status ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(BODY);
  });
}

const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

async function measure(url: string): Promise<{ p50: number; p99: number; rps: number }> {
  for (let i = 0; i < 200; i++) await post(url); // warm-up: JIT, sockets
  const lat: number[] = [];
  for (let i = 0; i < N; i++) lat.push(await post(url));
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONC }, async () => { while (next++ < N) await post(url); }));
  return { p50: pct(lat, 50), p99: pct(lat, 99), rps: N / ((performance.now() - t0) / 1000) };
}

async function main(): Promise<void> {
  const s = await spawnModelServer(['--model-dir', 'examples/models']);
  await s.stdoutMatching(/model iris: READY/, 30_000);
  const table = new RoutingTable();
  table.set({ namespace: 'default', name: 'iris', hosts: [], backends: [{ url: `http://127.0.0.1:${s.httpPort}`, weight: 1, revision: 'iris-1' }] });
  const gw = await startGateway({ host: '127.0.0.1', port: 0, table, domain: 'example.com' });
  try {
    const direct = await measure(`http://127.0.0.1:${s.httpPort}/v1/models/iris:predict`);
    const via = await measure(`${gw.url}/serving/default/iris/v1/models/iris:predict`);
    const f = (x: number): string => x.toFixed(2);
    console.log(`| path | p50 ms | p99 ms | rps (conc ${CONC}) |\n|---|---|---|---|`);
    console.log(`| direct | ${f(direct.p50)} | ${f(direct.p99)} | ${direct.rps.toFixed(0)} |`);
    console.log(`| gateway | ${f(via.p50)} | ${f(via.p99)} | ${via.rps.toFixed(0)} |`);
    console.log(`| added | ${f(via.p50 - direct.p50)} | ${f(via.p99 - direct.p99)} | ${(via.rps - direct.rps).toFixed(0)} |`);
  } finally {
    agent.destroy();
    await gw.close();
    s.proc.kill('SIGTERM');
    await s.exited;
  }
}

await main();
