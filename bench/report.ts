/**
 * Turns one run's result lines (bench/results/<timestamp>.tsv) into the tables of RESULTS.md: one
 * table per target with the kserve-ts figure, the anchor figure from the same run, the ratio and
 * PASS/FAIL. Where a point was measured more than once (A-B-A), the figure is the mean of the
 * passes and the spread is shown.
 *
 *   node --import tsx bench/report.ts --tsv bench/results/X.tsv [--profile X.profile.md] [--write bench/RESULTS.md]
 *
 * With --write, replaces what lies between `<!-- results:begin -->` and `<!-- results:end -->`.
 * With --profile, appends bench/profile.sh's output (CPU profile hints) taken after the run.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseFlags } from './lib/args.ts';
import { type Column, type ResultLine, parseTsv } from './lib/tsv.ts';

/** Lines whose other_cores (load from anything else on the machine) exceeds this are flagged. */
const NOISY_CORES = 0.3;

interface Query {
  server: string;
  proto: string;
  payload?: string;
  c?: string;
}

class Results {
  constructor(readonly lines: ResultLine[]) {}
  find(q: Query): ResultLine[] {
    return this.lines.filter((l) => l.server === q.server && l.proto === q.proto && (q.payload === undefined || l.payload === q.payload) && (q.c === undefined || l.c === q.c));
  }
}

const val = (l: ResultLine, c: Column): number => (l[c] === 'NA' ? NaN : Number(l[c]));
const mean = (ls: ResultLine[], c: Column): number => ls.reduce((a, l) => a + val(l, c), 0) / ls.length;
const int = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
const ms = (us: number): string => (Number.isFinite(us) ? (us / 1000).toFixed(us < 10_000 ? 2 : 1) : 'n/a');
const ratio = (n: number): string => (Number.isFinite(n) ? `${n.toFixed(2)}×` : 'n/a');
const verdict = (ok: boolean | undefined): string => (ok === undefined ? 'n/a' : ok ? '**PASS**' : '**FAIL**');
const noisy = (ls: ResultLine[]): string => (ls.some((l) => val(l, 'other_cores') > NOISY_CORES) ? ' ⚠' : '');

/** "6,412" or "6,412 (6,300–6,520, 2 runs)". */
function spread(ls: ResultLine[], c: Column, f: (n: number) => string = int): string {
  if (ls.length === 0) return 'not measured';
  const vs = ls.map((l) => val(l, c));
  const m = f(mean(ls, c));
  return ls.length === 1 ? m + noisy(ls) : `${m} (${f(Math.min(...vs))}–${f(Math.max(...vs))}, ${ls.length} runs)${noisy(ls)}`;
}
const lat = (ls: ResultLine[]): string => (ls.length ? `${ms(mean(ls, 'p50_us'))} / ${ms(mean(ls, 'p99_us'))}` : 'n/a');

interface Summary {
  target: string;
  measured: string;
  goal: string;
  ok: boolean | undefined;
  /** " ⚠" when a line it rests on was taken while other processes loaded the machine. */
  flag?: string;
}

function throughputTable(r: Results, title: string, rows: { proto: string; c: string }[], anchor: string, anchorName: string, min: number, sum: Summary[], label: string): string {
  const out = [
    `### ${title}`,
    '',
    `| request | c | kserve-ts rps | p50 / p99 ms | CPU µs/req | ${anchorName} rps | p50 / p99 ms | CPU µs/req | ratio | target | result |`,
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const { proto, c } of rows) {
    const k = r.find({ server: 'kserve-ts', proto, payload: 'iris', c });
    const a = r.find({ server: anchor, proto, payload: 'iris', c });
    const q = k.length && a.length ? mean(k, 'rps') / mean(a, 'rps') : NaN;
    const ok = Number.isFinite(q) ? q >= min : undefined;
    out.push(
      `| ${proto} | ${c} | ${spread(k, 'rps')} | ${lat(k)} | ${int(mean(k, 'srv_cpu_us_per_req'))} | ${spread(a, 'rps')} | ${lat(a)} | ${int(mean(a, 'srv_cpu_us_per_req'))} | ${ratio(q)} | ≥ ${min}× | ${verdict(ok)} |`,
    );
    sum.push({ target: `${label} ${proto} c=${c}`, measured: `${ratio(q)} (${int(mean(k, 'rps'))} vs ${int(mean(a, 'rps'))} rps)`, goal: `≥ ${min}×`, ok, flag: noisy([...k, ...a]) });
  }
  return out.join('\n');
}

function latencyTable(r: Results, sum: Summary[]): string {
  const ort = r.find({ server: 'in-process', proto: 'session.run' });
  const run = ort.length ? mean(ort, 'p50_us') : NaN;
  const out = [
    '### Target 4 — added latency at c=1 over in-process `session.run` (µs, p50)',
    '',
    `In-process \`session.run\` (iris, batch 2, 20k calls): p50 **${run.toFixed(1)} µs**, p99 ${mean(ort, 'p99_us').toFixed(1)} µs.`,
    '',
    '| transport | kserve-ts p50 (p99) | bare server p50 (p99) | server-side cost = kserve-ts − bare | added = cost − session.run | target | result |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const [proto, bare, name] of [
    ['v2-binary', 'bare-http', 'HTTP V2 binary'],
    ['grpc-raw', 'bare-grpc', 'gRPC raw_input_contents'],
  ] as const) {
    const k = r.find({ server: 'kserve-ts', proto, payload: 'iris', c: '1' });
    const b = r.find({ server: bare, proto, payload: 'iris', c: '1' });
    const cost = mean(k, 'p50_us') - mean(b, 'p50_us');
    const added = cost - run;
    const ok = Number.isFinite(added) ? added <= 100 : undefined;
    const f1 = (n: number): string => n.toFixed(1);
    out.push(
      `| ${name} | ${spread(k, 'p50_us', f1)} (${f1(mean(k, 'p99_us'))}) | ${bare}: ${spread(b, 'p50_us', f1)} (${f1(mean(b, 'p99_us'))}) | ${f1(cost)} | **${f1(added)}** | ≤ 100 µs | ${verdict(ok)} |`,
    );
    sum.push({ target: `4. added latency c=1, ${name}`, measured: `${f1(added)} µs`, goal: '≤ 100 µs', ok, flag: noisy([...k, ...b]) });
  }
  return out.join('\n');
}

function cpuTable(r: Results, sum: Summary[]): string {
  const get = (proto: string): ResultLine[] => r.find({ server: 'kserve-ts', proto, payload: 'img224' });
  const json = mean(get('v2-json'), 'srv_cpu_us_per_req');
  const out = [
    '### Target 5 — 1×3×224×224 FP32 (602 KB), kserve-ts server CPU per request by transport (c=2)',
    '',
    '| transport | rps | p50 / p99 ms | server CPU µs/req | ÷ V2 JSON | target | result |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const proto of ['v2-json', 'v2-binary', 'grpc-raw']) {
    const ls = get(proto);
    const q = mean(ls, 'srv_cpu_us_per_req') / json;
    const ok = proto === 'v2-json' || !Number.isFinite(q) ? undefined : q <= 0.1;
    out.push(`| ${proto} | ${spread(ls, 'rps')} | ${lat(ls)} | ${int(mean(ls, 'srv_cpu_us_per_req'))} | ${proto === 'v2-json' ? '1' : q.toFixed(3)} | ${proto === 'v2-json' ? 'anchor' : '≤ 0.1'} | ${proto === 'v2-json' ? '' : verdict(ok)} |`);
    if (proto !== 'v2-json') sum.push({ target: `5. CPU/req img224 ${proto} ÷ JSON`, measured: `${q.toFixed(3)} (${int(mean(ls, 'srv_cpu_us_per_req'))} vs ${int(json)} µs)`, goal: '≤ 0.1', ok, flag: noisy([...ls, ...get('v2-json')]) });
  }
  return out.join('\n');
}

function healthTable(r: Results, sum: Summary[]): string {
  const idle = r.find({ server: 'kserve-ts', proto: 'health', payload: 'idle' });
  const busy = r.find({ server: 'kserve-ts', proto: 'health', payload: 'under-load' });
  const load = r.find({ server: 'kserve-ts', proto: 'v2-binary', payload: 'mnist1024' });
  const stress = r.find({ server: 'kserve-ts', proto: 'health', payload: 'under-stress' });
  const stressLoad = r.find({ server: 'kserve-ts', proto: 'v2-binary', payload: 'mlp1024' });
  const p99 = mean(busy, 'p99_us');
  const ok = busy.length ? p99 < 10_000 : undefined;
  const f = (ls: ResultLine[]): string => (ls.length ? `${ms(mean(ls, 'p50_us'))} / ${ms(mean(ls, 'p90_us'))} / ${ms(mean(ls, 'p99_us'))} / ${ms(mean(ls, 'max_us'))}` : 'n/a');
  const loadText = (ls: ResultLine[]): string => `${int(mean(ls, 'rps'))} inferences/s (${int(mean(ls, 'rps') * 3.2)} MB/s of request bodies), p50 ${ms(mean(ls, 'p50_us'))} ms, p99 ${ms(mean(ls, 'p99_us'))} ms, server ${mean(ls, 'srv_cores').toFixed(2)} cores`;
  sum.push({ target: '6. /v2/health/live p99 under MNIST batch-1024 load', measured: `${ms(p99)} ms`, goal: '< 10 ms', ok, flag: noisy([...busy, ...load]) });
  return [
    '### Target 6 — `/v2/health/live` while MNIST batch-1024 inferences run back-to-back',
    '',
    '| probe (1 GET every 5 ms, open loop) | probes | p50 / p90 / p99 / max ms | target | result |',
    '|---|---|---|---|---|',
    `| idle server (5 s) | ${int(mean(idle, 'reqs'))} | ${f(idle)} | | |`,
    `| under load: mnist-8, batch 1024 (10 s) | ${int(mean(busy, 'reqs'))} | ${f(busy)} | p99 < 10 ms | ${verdict(ok)} |`,
    `| stress, not a target: mnist-mlp, batch 1024 (10 s) | ${int(mean(stress, 'reqs'))} | ${f(stress)} | | |`,
    '',
    `Load during the probe: V2 binary, [1024,1,28,28] FP32 (3.2 MB) per request, c=2. mnist-8: ${loadText(load)}. mnist-mlp: ${loadText(stressLoad)}.`,
  ].join('\n');
}

function rssTable(r: Results, sum: Summary[]): string {
  const k = r.find({ server: 'kserve-ts', proto: 'idle' });
  const a = r.find({ server: 'fastapi', proto: 'idle' });
  const loadedMax = (server: string): number => Math.max(...r.lines.filter((l) => l.server === server && l.row === 'r1' && l.proto !== 'idle').map((l) => val(l, 'srv_rss_mb')));
  const rss = mean(k, 'srv_rss_mb');
  const ok = k.length ? rss <= 150 : undefined;
  sum.push({ target: '7. RSS, iris loaded, idle', measured: `${rss.toFixed(1)} MB (FastAPI ${mean(a, 'srv_rss_mb').toFixed(1)} MB)`, goal: '≤ 150 MB', ok });
  return [
    '### Target 7 — resident memory with one small model (iris) loaded',
    '',
    '| server | RSS idle after warm-up, MB | RSS after the r1 load runs (max), MB | target | result |',
    '|---|---|---|---|---|',
    `| kserve-ts | ${rss.toFixed(1)} | ${loadedMax('kserve-ts').toFixed(1)} | ≤ 150 MB | ${verdict(ok)} |`,
    `| FastAPI baseline | ${mean(a, 'srv_rss_mb').toFixed(1)} | ${loadedMax('fastapi').toFixed(1)} | (anchor) | |`,
  ].join('\n');
}

function report(lines: ResultLine[], source: string, meta: string[]): string {
  const r = new Results(lines);
  const sum: Summary[] = [];
  const both = (protos: string[]): { proto: string; c: string }[] => protos.flatMap((proto) => ['8', '32'].map((c) => ({ proto, c })));
  const t1 = throughputTable(r, 'Target 1 — V1 and V2 JSON (iris 2×4), hey: kserve-ts ≥ 2× the FastAPI baseline', both(['v1-json', 'v2-json']), 'fastapi', 'FastAPI', 2, sum, '1. vs FastAPI');
  const t2 = throughputTable(r, 'Target 2 — V2 JSON small tensor, hey: kserve-ts ≥ 0.6× a bare node:http server', both(['v2-json']), 'bare-http', 'bare-http', 0.6, sum, '2. vs bare-http');
  const t3 = throughputTable(r, 'Target 3 — gRPC ModelInfer (iris 2×4), bench/grpc-load.ts, 1 channel: kserve-ts ≥ 0.6× a bare grpc-js server', both(['grpc-raw', 'grpc-fp32']), 'bare-grpc', 'bare-grpc', 0.6, sum, '3. vs bare-grpc');
  const t4 = latencyTable(r, sum);
  const t5 = cpuTable(r, sum);
  const t6 = healthTable(r, sum);
  const t7 = rssTable(r, sum);
  const noisyLines = lines.filter((l) => val(l, 'other_cores') > NOISY_CORES);
  const other = lines.map((l) => val(l, 'other_cores')).filter(Number.isFinite);
  const summary = [
    ...meta.map((m) => `Measured: ${m}.`),
    '',
    `Run \`${source}\` (${lines[0]?.ts ?? '?'} → ${lines[lines.length - 1]?.ts ?? '?'}). other_cores (load from anything else, per line): max ${Math.max(...other).toFixed(2)}, mean ${(other.reduce((a, b) => a + b, 0) / other.length).toFixed(2)}` +
      (noisyLines.length ? `; ${noisyLines.length} line(s) above ${NOISY_CORES} are marked ⚠.` : '; no line above ' + NOISY_CORES + '.'),
    '',
    '| target | measured | goal | result |',
    '|---|---|---|---|',
    ...sum.map((s) => `| ${s.target} | ${s.measured}${s.flag ?? ''} | ${s.goal} | ${verdict(s.ok)} |`),
  ].join('\n');
  return ['## Results', '', summary, '', t1, '', t2, '', t3, '', t4, '', t5, '', t6, '', t7, ''].join('\n');
}

function main(argv: readonly string[]): void {
  const f = parseFlags(argv, { tsv: '', write: '', profile: '' });
  const tsv = readFileSync(f.tsv!, 'utf8');
  const meta = tsv.split('\n').filter((l) => l.startsWith('# meta: ')).map((l) => l.slice('# meta: '.length));
  let text = report(parseTsv(tsv), `bench/results/${basename(f.tsv!)}`, meta);
  if (f.profile) {
    text += [
      '',
      '## CPU profile hints (`bench/profile.sh`, right after the run)',
      '',
      'kserve-ts under one load per scenario with `node --cpu-prof`; self time of the main thread (the',
      'ONNX worker threads are profiled too but not shown). `(program)` and bare native names such as',
      '`writev` / `postMessage` are time in native code (syscalls, structured clone); profiling slows',
      'the server, so read the shares, not the totals.',
      '',
      readFileSync(f.profile, 'utf8').replace(/^### /gm, '### Profile: ').replace(/^#### /gm, '##### '),
    ].join('\n');
  }
  process.stdout.write(text);
  if (f.write) {
    const doc = readFileSync(f.write, 'utf8');
    const begin = '<!-- results:begin -->';
    const end = '<!-- results:end -->';
    const i = doc.indexOf(begin);
    const j = doc.indexOf(end);
    if (i < 0 || j < i) throw new Error(`${f.write} has no ${begin} … ${end} markers`);
    writeFileSync(f.write, `${doc.slice(0, i + begin.length)}\n${text}\n${doc.slice(j)}`);
    process.stderr.write(`report: wrote ${f.write}\n`);
  }
}

main(process.argv.slice(2));
