/**
 * A Node gRPC load client (there is no ghz here): `c` concurrent in-flight unary ModelInfer calls
 * over one channel for `duration` seconds, after a discarded warm-up.
 *
 *   node --import tsx bench/grpc-load.ts --target 127.0.0.1:PORT --proto grpc-raw|grpc-fp32 \
 *        --payload iris|img224 [--c 8] [--duration 10] [--warmup 2] [--pid SERVER_PID] \
 *        [--row r3] [--server kserve-ts] [--header 0]
 *
 * The request message is built once (lib/payloads.ts); grpc-js serializes it per call, as any
 * client would. Latency = call started → callback, per call. Server CPU from /proc/PID/stat around
 * the measured window. Prints one result line (lib/tsv.ts).
 */
import * as grpc from '@grpc/grpc-js';
import { num, parseFlags, pidOf } from './lib/args.ts';
import { MAX_MESSAGE_BYTES, inferenceService } from './lib/grpc.ts';
import { grpcRequest } from './lib/payloads.ts';
import { CpuMeter, rssMb } from './lib/proc.ts';
import { summarize } from './lib/stats.ts';
import { formatLine, header } from './lib/tsv.ts';

interface Outcome {
  ok: boolean;
  us: number;
  err?: string;
}

type InferFn = (req: unknown, cb: (err: grpc.ServiceError | null, res?: unknown) => void) => void;

function call(infer: InferFn, req: unknown): Promise<Outcome> {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    infer(req, (err) => {
      const us = Number(process.hrtime.bigint() - t0) / 1e3;
      resolve(err ? { ok: false, us, err: `${err.code} ${err.details}` } : { ok: true, us });
    });
  });
}

async function loop(infer: InferFn, req: unknown, c: number, seconds: number, sink?: Outcome[]): Promise<void> {
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: c }, async () => {
      while (Date.now() < end) sink?.push(await call(infer, req));
    }),
  );
}

async function main(argv: readonly string[]): Promise<void> {
  const f = parseFlags(argv, { target: '', proto: 'grpc-raw', payload: 'iris', c: '8', duration: '10', warmup: '2', pid: '', row: '', server: '', header: '0' });
  const Service = inferenceService();
  const client = new Service(f.target!, grpc.credentials.createInsecure(), {
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  });
  const infer = (client.ModelInfer as InferFn).bind(client);
  const req = grpcRequest(f.proto!, f.payload!);
  const c = num(f, 'c');
  const pid = pidOf(f);

  const first = await call(infer, req);
  if (!first.ok) throw new Error(`ModelInfer on ${f.target} failed: ${first.err}`);
  if (num(f, 'warmup') > 0) await loop(infer, req, c, num(f, 'warmup'));
  const outcomes: Outcome[] = [];
  const ts = new Date().toISOString();
  const meter = new CpuMeter(pid);
  await loop(infer, req, c, num(f, 'duration'), outcomes);
  const cpu = meter.stop();
  client.close();
  const ok = outcomes.filter((o) => o.ok);
  const failed = outcomes.find((o) => !o.ok);
  if (failed) process.stderr.write(`grpc-load: ${outcomes.length - ok.length} calls failed, e.g. ${failed.err}\n`);
  const s = summarize(ok.map((o) => o.us));
  if (f.header === '1') process.stdout.write(header() + '\n');
  process.stdout.write(
    formatLine({
      row: f.row, server: f.server, proto: f.proto, payload: f.payload, c,
      secs: cpu.wallSec, reqs: ok.length, errors: outcomes.length - ok.length, rps: ok.length / cpu.wallSec,
      p50_us: s.p50, p90_us: s.p90, p99_us: s.p99, max_us: s.max,
      srv_cpu_us_per_req: (cpu.srvCpuSec * 1e6) / ok.length, srv_cores: cpu.srvCores, srv_rss_mb: pid === undefined ? undefined : rssMb(pid),
      client_cores: cpu.clientCores, other_cores: cpu.otherCores, ts,
    }) + '\n',
  );
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`grpc-load: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
