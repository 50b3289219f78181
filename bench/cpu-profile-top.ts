/**
 * Summarises V8 .cpuprofile files (from `node --cpu-prof`): the functions with the most self time,
 * and self time by where the code lives (kserve-ts, grpc-js/protobufjs, Node internals, GC, idle).
 * A hint at where a failing row's server CPU goes, not a full analysis.
 *
 *   node --import tsx bench/cpu-profile-top.ts [--top 12] [--requests N] FILE.cpuprofile...
 *
 * With --requests (the requests served while profiling), shares are also given as µs per request,
 * which compares across servers (e.g. kserve-ts against its bare anchor under the same load).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function where(url: string, fn: string): string {
  if (fn === '(garbage collector)') return 'GC';
  if (fn === '(idle)') return 'idle';
  if (fn === '(program)' || url === '') return 'native / (program)';
  if (url.includes('@grpc') || url.includes('protobufjs')) return 'grpc-js / protobufjs';
  if (url.includes('onnxruntime')) return 'onnxruntime-node';
  if (url.includes('/node_modules/')) return 'other packages';
  if (url.includes('/bench/')) return 'bench anchor';
  if (url.includes('/dist/') || url.includes('/src/')) return 'kserve-ts';
  if (url.startsWith('node:')) return 'node internals';
  return 'other';
}

function summarise(file: string, top: number, requests: number): string {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const fns = new Map<string, number>();
  const areas = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const area = where(url, functionName);
    areas.set(area, (areas.get(area) ?? 0) + us);
    total += us;
    if (area === 'idle') {
      idle += us;
      continue;
    }
    const short = url.replace(/^.*?\/(node_modules|dist|bench)\//, '$1/').replace(/^file:\/\//, '');
    const key = `${functionName || '(anonymous)'} ${short ? `${short}:${lineNumber + 1}` : ''}`.trim();
    fns.set(key, (fns.get(key) ?? 0) + us);
  }
  const busy = total - idle;
  const perReq = requests > 0;
  const pct = (us: number): string => `${((100 * us) / busy).toFixed(1)}%` + (perReq ? ` (${(us / requests).toFixed(1)} µs/req)` : '');
  const head = `#### ${basename(file)}: ${(busy / 1e6).toFixed(2)} s busy of ${(total / 1e6).toFixed(2)} s sampled` + (perReq ? `, ${requests} requests → ${(busy / requests).toFixed(1)} µs busy per request (profiler overhead included)` : '');
  const lines = [head, '', `| self time (% of busy${perReq ? ', µs per request' : ''}) | function |`, '|---|---|'];
  for (const [k, us] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`| ${pct(us)} | \`${k}\` |`);
  lines.push('', 'By area: ' + [...areas].filter(([a]) => a !== 'idle').sort((a, b) => b[1] - a[1]).map(([a, us]) => `${a} ${pct(us)}`).join(', '), '');
  return lines.join('\n');
}

function main(argv: readonly string[]): void {
  let top = 12;
  let requests = 0;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--top') top = Number(argv[++i]);
    else if (argv[i] === '--requests') requests = Number(argv[++i]);
    else files.push(argv[i]!);
  }
  if (files.length === 0) throw new Error('usage: cpu-profile-top.ts [--top N] FILE.cpuprofile...');
  process.stdout.write(files.map((f) => summarise(f, top, requests)).join('\n'));
}

main(process.argv.slice(2));
