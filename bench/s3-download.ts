/**
 * S3 download throughput: kserve-ts's s3 provider against `aws s3 cp --recursive` (Debian awscli)
 * and boto3's default transfer (../shared/anchors/python-baselines/s3_download.py, what KServe's
 * Python storage initializer uses), all three from the same local s3rver in one run, each twice,
 * alternating (ours, aws, boto3, ours, aws, boto3).
 *
 *   npx tsx bench/s3-download.ts [--mb 1000] [--rounds 2]
 *
 * The model (several files, one of 80 %) is uploaded once into bench/.tmp/s3-bench/ (git-ignored)
 * and reused by later runs. Every client runs as its own process; the figure is the wall time of
 * that process (start-up included, for all three), and its peak RSS sampled every 20 ms from
 * /proc. s3rver runs in a process of its own so its CPU is reported too: it is a single Node
 * process, and at these rates it, not the client, may be the limit.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { randomFillSync } from 'node:crypto';
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { cpuTicks, CLK_TCK, rssMb } from './lib/proc.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const WORK = path.join(ROOT, 'bench', '.tmp', 's3-bench');
const BUCKET = 'bench';
const PREFIX = 'model';
const KEYS = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_DEFAULT_REGION: 'us-east-1' };
const BOTO = '/work/shared/anchors/python-baselines/s3_download.py';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : dflt;
}

/** The model's files: one ~80 % weights file and a few smaller ones, as a real checkpoint. */
function plan(totalMb: number): { key: string; bytes: number }[] {
  const MB = 1e6;
  const parts: [string, number][] = [
    ['model.safetensors', 0.8],
    ['extra/adapter.safetensors', 0.12],
    ['tokenizer.json', 0.04],
    ['vocab.txt', 0.025],
    ['merges.txt', 0.01],
    ['config.json', 0.0001],
    ['generation_config.json', 0.0001],
    ['special_tokens_map.json', 0.0001],
  ];
  return parts.map(([k, f]) => ({ key: `${PREFIX}/${k}`, bytes: Math.round(totalMb * MB * f) }));
}

// --- child modes -----------------------------------------------------------------------------

async function serve(dir: string): Promise<void> {
  const { default: S3rver } = await import('s3rver');
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir });
  const { port } = await server.run();
  process.stdout.write(`PORT ${port}\n`);
  process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
}

async function client(endpoint: string, uri: string, dest: string): Promise<void> {
  const { s3Provider } = await import('../src/storage/s3/index.ts');
  const { parseStorageUri } = await import('../src/storage/provider.ts');
  const rssBefore = rssMb(process.pid);
  const t0 = performance.now();
  // --part-mib / --part-concurrency: for trying the provider's knobs by hand (defaults otherwise).
  const partMib = arg('part-mib', '');
  const partConc = arg('part-concurrency', '');
  const provider = s3Provider({ verifyMd5: !process.argv.includes('--no-md5'), ...(partMib ? { partSizeBytes: Number(partMib) * 2 ** 20 } : {}), ...(partConc ? { partConcurrency: Number(partConc) } : {}) });
  const ctx = { env: { ...KEYS, AWS_ENDPOINT_URL: endpoint } };
  const u = parseStorageUri(uri);
  const src = await provider.resolve(u, ctx);
  await provider.download(u, src, dest, ctx);
  const secs = (performance.now() - t0) / 1000;
  process.stdout.write(`${JSON.stringify({ bytes: src.totalBytes, secs, rssBefore })}\n`);
}

// --- orchestration ---------------------------------------------------------------------------

async function ensureData(endpoint: string, files: { key: string; bytes: number }[]): Promise<void> {
  // WHEN_REQUIRED: no aws-chunked upload with checksum trailers, which s3rver would store as object bytes.
  const s3 = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }, requestChecksumCalculation: 'WHEN_REQUIRED' });
  try {
    let have = new Map<string, number>();
    try {
      const l = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${PREFIX}/` }));
      have = new Map((l.Contents ?? []).map((o) => [o.Key!, Number(o.Size)]));
    } catch {
      await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    }
    for (const f of files) {
      if (have.get(f.key) === f.bytes) continue;
      const tmp = path.join(WORK, 'upload.tmp');
      const out = createWriteStream(tmp);
      const chunk = Buffer.allocUnsafe(4 << 20);
      for (let left = f.bytes; left > 0; left -= chunk.length) {
        randomFillSync(chunk);
        if (!out.write(left >= chunk.length ? chunk : chunk.subarray(0, left))) await once(out, 'drain');
      }
      out.end();
      await once(out, 'finish');
      process.stderr.write(`uploading ${f.key} (${(f.bytes / 1e6).toFixed(0)} MB)\n`);
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: f.key, Body: createReadStream(tmp), ContentLength: f.bytes }));
      await rm(tmp);
    }
  } finally {
    s3.destroy();
  }
}

/** A bash script: curl GETs every object (anonymous: s3rver serves them), 8 ranges at once for objects ≥ 64 MB. */
function curlScript(endpoint: string, files: { key: string; bytes: number }[], dest: string): string {
  const lines: string[] = [];
  for (const f of files) {
    const out = path.join(dest, path.relative(PREFIX, f.key));
    lines.push(`mkdir -p '${path.dirname(out)}'`);
    const url = `${endpoint}/${BUCKET}/${f.key}`;
    const n = f.bytes >= 64e6 ? 8 : 1;
    const step = Math.ceil(f.bytes / n);
    for (let i = 0; i < n; i++) {
      const a = i * step;
      const b = Math.min(f.bytes, a + step) - 1;
      lines.push(`curl -sf -r ${a}-${b} -o '${out}${n > 1 ? `.part${i}` : ''}' '${url}' &`);
    }
  }
  lines.push('wait');
  return lines.join('\n');
}

async function dirBytes(dir: string): Promise<number> {
  let n = 0;
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) n += (await stat(path.join(e.parentPath, e.name))).size;
  }
  return n;
}

interface Run {
  client: string;
  round: number;
  secs: number;
  innerSecs?: number;
  mbps: number;
  peakRssMb: number;
  /** The client process's CPU seconds (user + system, last 20 ms sample before exit). */
  cpuSecs: number;
  rssBeforeMb?: number;
  serverCores: number;
}

async function measure(name: string, round: number, cmd: string, args: string[], env: Record<string, string>, serverPid: number, totalBytes: number, dest: string): Promise<Run> {
  const srv0 = cpuTicks(serverPid);
  const t0 = performance.now();
  const child: ChildProcess = spawn(cmd, args, { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  let peak = 0;
  let cpuSecs = 0;
  const timer = setInterval(() => {
    try {
      const v = rssMb(child.pid!);
      if (v > peak) peak = v;
      cpuSecs = cpuTicks(child.pid!) / CLK_TCK;
    } catch {
      /* exited */
    }
  }, 20);
  const [code] = (await once(child, 'exit')) as [number | null];
  const secs = (performance.now() - t0) / 1000;
  clearInterval(timer);
  const serverCores = (cpuTicks(serverPid) - srv0) / CLK_TCK / secs;
  if (code !== 0) throw new Error(`${name} exited ${code}: ${err.slice(-2000)}`);
  const got = await dirBytes(dest);
  if (got !== totalBytes) throw new Error(`${name} wrote ${got} bytes, expected ${totalBytes}`);
  const run: Run = { client: name, round, secs, mbps: totalBytes / 1e6 / secs, peakRssMb: peak, cpuSecs, serverCores };
  if (name.startsWith('kserve-ts')) {
    const j = JSON.parse(out.trim().split('\n').at(-1)!);
    run.innerSecs = j.secs;
    run.rssBeforeMb = j.rssBefore;
  } else if (name === 'boto3') {
    const m = / in ([\d.]+) s/.exec(out);
    if (m) run.innerSecs = Number(m[1]);
  }
  return run;
}

async function main(): Promise<void> {
  const totalMb = Number(arg('mb', '1000'));
  const rounds = Number(arg('rounds', '2'));
  await mkdir(WORK, { recursive: true });
  const files = plan(totalMb);
  const totalBytes = files.reduce((a, f) => a + f.bytes, 0);
  // Our client runs as plain JavaScript, as kserve-ts's dist/ does (no tsx loader at run time).
  const bundle = path.join(WORK, 's3-download.mjs');
  const built = spawnSync(path.join(ROOT, 'node_modules/.bin/esbuild'), [import.meta.filename, '--bundle', '--platform=node', '--format=esm', '--packages=external', `--outfile=${bundle}`, '--log-level=warning'], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('esbuild failed');
  const server = spawn(process.execPath, [bundle, '--serve', path.join(WORK, 's3rver')], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let buf = '';
      server.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        const m = /PORT (\d+)/.exec(buf);
        if (m) resolve(Number(m[1]));
      });
      server.on('exit', (c) => reject(new Error(`s3rver exited ${c}`)));
    });
    const endpoint = `http://127.0.0.1:${port}`;
    await ensureData(endpoint, files);
    const uri = `s3://${BUCKET}/${PREFIX}`;
    const clients: [string, (dest: string) => [string, string[]]][] = [
      ['kserve-ts', (dest) => [process.execPath, [bundle, '--client', endpoint, uri, dest]]],
      // Informational: the same without the ETag/MD5 check (the anchors do no MD5 check).
      ['kserve-ts-no-md5', (dest) => [process.execPath, [bundle, '--client', endpoint, uri, dest, '--no-md5']]],
      ['aws-cli', (dest) => ['/usr/bin/aws', ['s3', 'cp', '--recursive', '--only-show-errors', '--endpoint-url', endpoint, `${uri}/`, dest]]],
      ['boto3', (dest) => ['/usr/bin/python3', [BOTO, '--endpoint', endpoint, uri, dest]]],
    ];
    // Informational: the ceiling for any client on this machine, curl (C) with 8 ranged GETs per
    // large object, every range to a file of its own (no reassembly), no checks at all.
    if (existsSync('/usr/bin/curl')) clients.push(['curl-ceiling', (dest) => ['/bin/bash', ['-c', curlScript(endpoint, files, dest)]]]);
    const runs: Run[] = [];
    for (let round = 1; round <= rounds; round++) {
      for (const [name, make] of clients) {
        const dest = await mkdtemp(path.join(WORK, `dest-${name}-`));
        const [cmd, args] = make(dest);
        try {
          const r = await measure(name, round, cmd, args, { ...KEYS, NODE_NO_WARNINGS: '1' }, server.pid!, totalBytes, dest);
          runs.push(r);
          process.stderr.write(`${JSON.stringify(r)}\n`);
        } finally {
          await rm(dest, { recursive: true, force: true });
        }
      }
    }
    const best = (n: string): Run => runs.filter((r) => r.client === n).sort((a, b) => b.mbps - a.mbps)[0]!;
    const ours = best('kserve-ts');
    const lines = [
      `S3 download, ${(totalBytes / 1e6).toFixed(0)} MB in ${files.length} files (largest ${(files[0]!.bytes / 1e6).toFixed(0)} MB), local s3rver, ${rounds} rounds alternating; MB/s from each process's wall time (start-up included)`,
      '',
      '| client | round | wall s | MB/s | inner s | client CPU s | peak RSS MB | s3rver cores |',
      '|---|---|---|---|---|---|---|---|',
      ...runs.map((r) => `| ${r.client} | ${r.round} | ${r.secs.toFixed(2)} | ${r.mbps.toFixed(0)} | ${r.innerSecs?.toFixed(2) ?? ''} | ${r.cpuSecs.toFixed(2)} | ${r.peakRssMb.toFixed(0)}${r.rssBeforeMb ? ` (${r.rssBeforeMb.toFixed(0)} before)` : ''} | ${r.serverCores.toFixed(2)} |`),
      '',
      `best of ${rounds}: kserve-ts ${ours.mbps.toFixed(0)} MB/s; ${(ours.mbps / best('aws-cli').mbps).toFixed(2)}× aws-cli (target ≥ 1.0), ${(ours.mbps / best('boto3').mbps).toFixed(2)}× boto3 (target ≥ 1.5)`,
      ...(runs.some((r) => r.client === 'curl-ceiling') ? [`ceiling (curl, 8 ranges per large object, no checks): ${best('curl-ceiling').mbps.toFixed(0)} MB/s = ${(best('curl-ceiling').mbps / best('boto3').mbps).toFixed(2)}× boto3`] : []),
      `without the MD5 check (the anchors do none): ${best('kserve-ts-no-md5').mbps.toFixed(0)} MB/s; ${(best('kserve-ts-no-md5').mbps / best('aws-cli').mbps).toFixed(2)}× aws-cli, ${(best('kserve-ts-no-md5').mbps / best('boto3').mbps).toFixed(2)}× boto3`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    server.kill('SIGTERM');
  }
}

const mode = process.argv[2];
if (mode === '--serve') await serve(process.argv[3]!);
else if (mode === '--client') await client(process.argv[3]!, process.argv[4]!, process.argv[5]!);
else if (!existsSync(BOTO)) throw new Error(`${BOTO} not found`);
else await main();
