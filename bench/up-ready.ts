/**
 * Issue 6's numbers for `kserve-ts up`: time from `kubectl apply` to Ready for a small ONNX model
 * (target ≤ 1 s; KServe on a cluster takes tens of seconds), and resident memory per idle replica
 * with N InferenceServices. Starts `up` from dist/ (build first; bench/lib/up.ts, with the
 * launcher's V8 flags) in a temp data dir, applies N copies of the bundled iris InferenceService
 * one after another, each timed from the start of `kubectl apply` to `kubectl wait
 * --for=condition=Ready` returning, then reads each replica's VmRSS. bench/up-scale.ts applies
 * many at once.
 *
 *   npm run build && node --import tsx bench/up-ready.ts [--n 10]
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { num, parseFlags } from './lib/args.ts';
import { rssMb } from './lib/proc.ts';
import { ROOT, startUp } from './lib/up.ts';

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2), { n: '10' });
  const n = num(flags, 'n');
  const up = await startUp();
  const { dir, kubectl } = up;
  try {
    await kubectl('get', 'ns'); // discovery cached before timing
    const times: number[] = [];
    for (let i = 1; i <= n; i++) {
      const file = join(dir, `iris-${i}.yaml`);
      await writeFile(file, `apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata:\n  name: iris-${i}\nspec:\n  predictor:\n    onnx:\n      storageUri: file://${join(ROOT, 'examples/models/iris')}\n`);
      const t0 = performance.now();
      await kubectl('apply', '-f', file);
      await kubectl('wait', '--for=condition=Ready', `isvc/iris-${i}`, '--timeout=60s');
      times.push(performance.now() - t0);
    }
    const rss = (await up.replicas()).map(rssMb);
    const sorted = [...times].sort((a, b) => a - b);
    const p = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    console.log(`kserve-ts up, ${n} InferenceServices (bundled iris ONNX), node ${process.version}, node flags ${up.nodeFlags.join(' ') || 'none'}`);
    console.log('| row | result |');
    console.log('|---|---|');
    console.log(`| kubectl apply → Ready (kubectl wait returns), first | ${times[0]!.toFixed(0)} ms |`);
    console.log(`| kubectl apply → Ready, median / max of ${n} | ${p(0.5).toFixed(0)} / ${sorted[sorted.length - 1]!.toFixed(0)} ms |`);
    console.log(`| apply-to-all-Ready, ${n} one after another | ${(times.reduce((a, b) => a + b, 0) / 1000).toFixed(1)} s |`);
    console.log(`| idle replica RSS, mean (min–max) of ${rss.length} | ${(rss.reduce((a, b) => a + b, 0) / rss.length).toFixed(1)} MB (${Math.min(...rss).toFixed(1)}–${Math.max(...rss).toFixed(1)}) |`);
    console.log(`| up process RSS | ${rssMb(up.pid).toFixed(1)} MB |`);
  } finally {
    await up.stop();
  }
}

await main();
