/**
 * Issue 6's numbers for `kserve-ts up`: time from `kubectl apply` to Ready for a small ONNX model
 * (target ≤ 1 s; KServe on a cluster takes tens of seconds), and resident memory per idle replica
 * with N InferenceServices. Starts `up` from dist/ (build first) in a temp data dir, applies N
 * copies of the bundled iris InferenceService one after another, each timed from the start of
 * `kubectl apply` to `kubectl wait --for=condition=Ready` returning, then reads each replica's
 * VmRSS.
 *
 *   npm run build && node --import tsx bench/up-ready.ts [--n 10]
 */
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { num, parseFlags } from './lib/args.ts';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2), { n: '10' });
  const n = num(flags, 'n');
  const dir = await mkdtemp(join(tmpdir(), 'kserve-ts-up-bench-'));
  const kubeconfig = join(dir, 'kubeconfig');
  const kubectl = (...args: string[]): Promise<{ stdout: string }> => run('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'kc'), ...args], { cwd: ROOT });
  const up = spawn(process.execPath, [join(ROOT, 'bin/kserve-ts.js'), 'up', '--port', '0', '--gateway-port', '0', '--data-dir', dir, '--log-level', 'warn'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    let out = '';
    await new Promise<void>((resolve, reject) => {
      up.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('curl ')) resolve();
      });
      up.on('exit', (code) => reject(new Error(`up exited with ${code}`)));
    });
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
    const { stdout } = await run('ps', ['-o', 'pid=,args=', '--ppid', String(up.pid)]);
    const replicas = stdout.split('\n').filter((l) => l.includes('model-server')).map((l) => Number(l.trim().split(/\s+/)[0]));
    const rss = replicas.map(rssMb);
    const sorted = [...times].sort((a, b) => a - b);
    const p = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    console.log(`kserve-ts up, ${n} InferenceServices (bundled iris ONNX), node ${process.version}`);
    console.log('| row | result |');
    console.log('|---|---|');
    console.log(`| kubectl apply → Ready (kubectl wait returns), first | ${times[0]!.toFixed(0)} ms |`);
    console.log(`| kubectl apply → Ready, median / max of ${n} | ${p(0.5).toFixed(0)} / ${sorted[sorted.length - 1]!.toFixed(0)} ms |`);
    console.log(`| apply-to-all-Ready, ${n} one after another | ${(times.reduce((a, b) => a + b, 0) / 1000).toFixed(1)} s |`);
    console.log(`| idle replica RSS, mean (min–max) of ${rss.length} | ${(rss.reduce((a, b) => a + b, 0) / rss.length).toFixed(1)} MB (${Math.min(...rss).toFixed(1)}–${Math.max(...rss).toFixed(1)}) |`);
    console.log(`| up process RSS | ${rssMb(up.pid!).toFixed(1)} MB |`);
  } finally {
    up.kill('SIGTERM');
    await new Promise((r) => up.on('exit', r));
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
