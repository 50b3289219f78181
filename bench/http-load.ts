/**
 * A Node HTTP load client with µs latency resolution (hey reports 0.1 ms), for the rows hey cannot
 * do: V2 binary bodies, big tensors, c=1 latency, and a paced health probe.
 *
 *   node --import tsx bench/http-load.ts --url http://127.0.0.1:PORT --proto v2-binary --payload iris \
 *        [--c 1] [--duration 10] [--warmup 2] [--pid SERVER_PID] [--interval-ms 0] \
 *        [--row r4] [--server kserve-ts] [--header 0]
 *
 * Closed loop (default): `c` requests in flight on `c` keep-alive connections, each sent as soon as
 * the previous one on its connection ends. Open loop (`--interval-ms N`): one request every N ms on
 * a fixed schedule, whether or not earlier ones have answered (so a stalled server shows up in the
 * latency of every request it stalled, not just one).
 *
 * Latency = request written → response body fully read, per request. The server's CPU (/proc/PID)
 * and the machine's are read around the measured window. Prints one result line (lib/tsv.ts).
 */
import { Agent, request } from 'node:http';
import { parseFlags, num, pidOf } from './lib/args.ts';
import { httpPayload, type HttpPayload } from './lib/payloads.ts';
import { CpuMeter, rssMb } from './lib/proc.ts';
import { summarize } from './lib/stats.ts';
import { formatLine, header } from './lib/tsv.ts';

interface Outcome {
  ok: boolean;
  us: number;
}

function send(agent: Agent, url: URL, p: HttpPayload): Promise<Outcome> {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const headers: Record<string, string | number> = { ...p.headers };
    if (p.body) headers['content-length'] = p.body.byteLength;
    const req = request({ host: url.hostname, port: url.port, method: p.method, path: p.path, headers, agent }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => resolve({ ok: res.statusCode !== undefined && res.statusCode < 300, us: Number(process.hrtime.bigint() - t0) / 1e3 }));
      res.on('error', () => resolve({ ok: false, us: Number(process.hrtime.bigint() - t0) / 1e3 }));
    });
    req.on('error', () => resolve({ ok: false, us: Number(process.hrtime.bigint() - t0) / 1e3 }));
    req.end(p.body);
  });
}

async function closedLoop(agent: Agent, url: URL, p: HttpPayload, c: number, seconds: number, sink: Outcome[] | undefined): Promise<void> {
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: c }, async () => {
      while (Date.now() < end) {
        const o = await send(agent, url, p);
        sink?.push(o);
      }
    }),
  );
}

async function openLoop(agent: Agent, url: URL, p: HttpPayload, intervalMs: number, seconds: number, sink: Outcome[] | undefined): Promise<void> {
  const start = performance.now();
  const n = Math.floor((seconds * 1000) / intervalMs);
  const pending: Promise<void>[] = [];
  for (let k = 0; k < n; k++) {
    const wait = start + k * intervalMs - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(send(agent, url, p).then((o) => void sink?.push(o)));
  }
  await Promise.all(pending);
}

async function main(argv: readonly string[]): Promise<void> {
  const f = parseFlags(argv, { url: '', proto: 'v2-json', payload: 'iris', c: '1', duration: '10', warmup: '2', pid: '', 'interval-ms': '0', row: '', server: '', header: '0' });
  const url = new URL(f.url!);
  const p = httpPayload(f.proto!, f.payload!);
  const c = num(f, 'c');
  const intervalMs = num(f, 'interval-ms');
  const pid = pidOf(f);
  const agent = new Agent({ keepAlive: true, maxSockets: intervalMs > 0 ? 64 : c });
  const run = (seconds: number, sink?: Outcome[]): Promise<void> =>
    intervalMs > 0 ? openLoop(agent, url, p, intervalMs, seconds, sink) : closedLoop(agent, url, p, c, seconds, sink);

  const first = await send(agent, url, p);
  if (!first.ok) throw new Error(`${p.method} ${url.origin}${p.path} failed; is the server up and serving the payload's model?`);
  if (num(f, 'warmup') > 0) await run(num(f, 'warmup'));
  const outcomes: Outcome[] = [];
  const ts = new Date().toISOString();
  const meter = new CpuMeter(pid);
  await run(num(f, 'duration'), outcomes);
  const cpu = meter.stop();
  agent.destroy();
  const ok = outcomes.filter((o) => o.ok);
  const s = summarize(ok.map((o) => o.us));
  if (f.header === '1') process.stdout.write(header() + '\n');
  process.stdout.write(
    formatLine({
      row: f.row, server: f.server, proto: f.proto, payload: f.payload, c: intervalMs > 0 ? `1/${intervalMs}ms` : c,
      secs: cpu.wallSec, reqs: ok.length, errors: outcomes.length - ok.length, rps: ok.length / cpu.wallSec,
      p50_us: s.p50, p90_us: s.p90, p99_us: s.p99, max_us: s.max,
      srv_cpu_us_per_req: (cpu.srvCpuSec * 1e6) / ok.length, srv_cores: cpu.srvCores, srv_rss_mb: pid === undefined ? undefined : rssMb(pid),
      client_cores: cpu.clientCores, other_cores: cpu.otherCores, ts,
    }) + '\n',
  );
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`http-load: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
