/**
 * Issue 7's cache target: a second replica of a model already in the cache starts without a
 * download, Ready within the model's own load-and-start time + 100 ms. Under `kserve-ts up` (dist/)
 * with a real S3 server (s3rver) holding the iris ONNX model plus a large companion file (so a
 * download would show), it times `kubectl apply` → `kubectl wait --for=condition=Ready`:
 *
 * - anchor: the same files from a local path (`file://`, served in place: load and start only);
 * - first: `s3://` with an empty cache (download + load + start);
 * - cached: N more InferenceServices of the same `s3://` URI (served from the cache).
 *
 *   npm run build && npx tsx bench/cache-hit.ts [--n 5] [--filler-mb 200]
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { num, parseFlags } from './lib/args.ts';
import { ROOT, startUp } from './lib/up.ts';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2), { n: '5', 'filler-mb': '200' });
  const n = num(flags, 'n');
  const fillerMb = num(flags, 'filler-mb');
  const work = await mkdtemp(join(tmpdir(), 'kserve-ts-cache-bench-'));
  const local = join(work, 'local-model');
  await mkdir(local);
  await copyFile(join(ROOT, 'examples/models/iris/model.onnx'), join(local, 'model.onnx'));
  const filler = Buffer.alloc(1 << 20, 7);
  await writeFile(join(local, 'extra.bin'), Buffer.concat(Array.from({ length: fillerMb }, () => filler)));

  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: join(work, 's3rver') });
  const { port } = (await server.run()) as { port: number };
  const s3 = new S3Client({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  await s3.send(new CreateBucketCommand({ Bucket: 'models' }));
  // Buffers, not streams: the SDK sends a stream aws-chunked, which s3rver stores undecoded.
  for (const f of ['model.onnx', 'extra.bin']) await s3.send(new PutObjectCommand({ Bucket: 'models', Key: `iris/${f}`, Body: await readFile(join(local, f)) }));
  s3.destroy();

  const up = await startUp({ env: { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_ENDPOINT_URL: `http://127.0.0.1:${port}` } });
  const { dir, kubectl } = up;
  const timeApply = async (name: string, uri: string): Promise<number> => {
    const file = join(dir, `${name}.yaml`);
    await writeFile(file, `apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata:\n  name: ${name}\nspec:\n  predictor:\n    model:\n      modelFormat:\n        name: onnx\n      protocolVersion: v2\n      storageUri: ${uri}\n`);
    const t0 = performance.now();
    await kubectl('apply', '-f', file);
    try {
      await kubectl('wait', '--for=condition=Ready', `isvc/${name}`, '--timeout=120s');
    } catch (err) {
      const status = (await kubectl('get', 'isvc', name, '-o', 'jsonpath={.status}').catch(() => ({ stdout: '?' }))).stdout;
      throw new Error(`isvc/${name} did not become Ready: ${status}`, { cause: err });
    }
    return performance.now() - t0;
  };
  try {
    await kubectl('get', 'ns'); // discovery cached before timing
    const anchor: number[] = [];
    for (let i = 1; i <= n; i++) anchor.push(await timeApply(`local-${i}`, `file://${local}`));
    const first = await timeApply('s3-first', 's3://models/iris');
    const cached: number[] = [];
    for (let i = 1; i <= n; i++) cached.push(await timeApply(`s3-cached-${i}`, 's3://models/iris'));
    const a = median(anchor);
    const c = median(cached);
    console.log(`kserve-ts up, iris ONNX + ${fillerMb} MB companion file, s3rver; ${n} of each, median of kubectl apply → Ready`);
    console.log('| row | result |\n|---|---|');
    console.log(`| anchor: local path (load + start only) | ${a.toFixed(0)} ms |`);
    console.log(`| first s3:// (download ${fillerMb} MB + load + start) | ${first.toFixed(0)} ms |`);
    console.log(`| cached s3:// (second and later replicas) | ${c.toFixed(0)} ms (goal ≤ anchor + 100 ms = ${(a + 100).toFixed(0)} ms: ${c <= a + 100 ? 'met' : 'NOT met'}) |`);
    console.log(JSON.stringify({ fillerMb, n, anchorMs: anchor, firstMs: first, cachedMs: cached }));
  } finally {
    await up.stop();
    await server.close();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
