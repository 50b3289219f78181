/**
 * Anchor for target 4: the cost of inference itself, in process. onnxruntime-node's
 * `session.run` on the iris ONNX model with the 2×4 payload, with kserve-ts's worker session
 * options (1 intra-op thread, sequential, all graph optimizations), timed per call after a warm-up.
 *
 *   node --import tsx bench/session-run.ts --model PATH/model.onnx [--iterations 20000] [--warmup 2000] [--row r4]
 *
 * Prints one result line (lib/tsv.ts) with server=in-process, proto=session.run.
 */
import * as ort from 'onnxruntime-node';
import { num, parseFlags } from './lib/args.ts';
import { tensorSpec } from './lib/payloads.ts';
import { summarize } from './lib/stats.ts';
import { formatLine, header } from './lib/tsv.ts';

async function main(argv: readonly string[]): Promise<void> {
  const f = parseFlags(argv, { model: '', iterations: '20000', warmup: '2000', row: 'r4', header: '0' });
  const session = await ort.InferenceSession.create(f.model!, {
    intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all', executionProviders: ['cpu'],
  });
  const t = tensorSpec('iris');
  // A fresh input tensor per call, as a server builds one per request.
  const feeds = (): Record<string, ort.Tensor> => ({ [t.input]: new ort.Tensor('float32', t.data.slice(), t.shape) });
  for (let i = 0; i < num(f, 'warmup'); i++) await session.run(feeds());
  const n = num(f, 'iterations');
  const us = new Float64Array(n);
  const ts = new Date().toISOString();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const s = process.hrtime.bigint();
    await session.run(feeds());
    us[i] = Number(process.hrtime.bigint() - s) / 1e3;
  }
  const secs = (performance.now() - t0) / 1e3;
  await session.release();
  const s = summarize(us);
  if (f.header === '1') process.stdout.write(header() + '\n');
  process.stdout.write(
    formatLine({ row: f.row, server: 'in-process', proto: 'session.run', payload: 'iris', c: 1, secs, reqs: n, errors: 0, rps: n / secs, p50_us: s.p50, p90_us: s.p90, p99_us: s.p99, max_us: s.max, ts }) + '\n',
  );
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`session-run: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
