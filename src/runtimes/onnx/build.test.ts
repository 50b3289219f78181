/**
 * The runtime works as built JavaScript, not only under tsx: the ONNX runtime and everything it
 * imports is transpiled with the project's compiler options (as `tsc -p tsconfig.build.json`
 * emits it: `.ts` specifiers rewritten to `.js`), then a plain `node` process with no loader
 * loads a model (so the worker starts from the sibling worker.js) and runs it.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { onnxFixturesDir } from './testing/cases.ts';
import { realModelDirs } from './testing/fixtures.ts';

const here = dirname(fileURLToPath(import.meta.url));
const src = resolve(here, '../..');
const repo = resolve(src, '..');

/** Transpiles `entry` and the relative imports it reaches into `out`, mirroring src/. */
async function transpileClosure(entries: string[], out: string): Promise<number> {
  const config = ts.getParsedCommandLineOfConfigFile(join(repo, 'tsconfig.build.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  assert.ok(config, 'tsconfig.build.json parses');
  const seen = new Set<string>();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = await readFile(file, 'utf8');
    for (const imp of ts.preProcessFile(text).importedFiles) {
      if (imp.fileName.startsWith('.')) queue.push(resolve(dirname(file), imp.fileName));
    }
    // The package is "type": "module", so NodeNext emits ESM; transpileModule cannot see
    // package.json, hence module ESNext here.
    const js = ts.transpileModule(text, { compilerOptions: { ...config.options, module: ts.ModuleKind.ESNext }, fileName: file }).outputText;
    const dest = join(out, relative(src, file)).replace(/\.ts$/, '.js');
    await mkdir(dirname(dest), { recursive: true });
    await writeFile(dest, js);
  }
  return seen.size;
}

test('built JavaScript: the worker starts from worker.js under plain node', { timeout: 60_000 }, async () => {
  const out = await mkdtemp(join(tmpdir(), 'kserve-ts-build-'));
  try {
    const n = await transpileClosure([join(here, 'index.ts'), join(here, 'worker.ts')], join(out, 'src'));
    assert.ok(n > 5);
    await writeFile(join(out, 'package.json'), '{"type":"module"}');
    await symlink(join(repo, 'node_modules'), join(out, 'node_modules'));
    const iris = realModelDirs(onnxFixturesDir(process.env.KSERVE_TS_ONNX_FIXTURES)).iris;
    await writeFile(join(out, 'smoke.mjs'), `
      import { OnnxModel } from './src/runtimes/onnx/index.js';
      const m = new OnnxModel({ name: 'iris', modelDir: ${JSON.stringify(iris)}, workers: 2 });
      await m.load();
      const r = await m.predict({ modelName: 'iris', inputs: [{ name: 'input-0', datatype: 'FP32', shape: [2, 4], data: Float32Array.of(5.1, 3.5, 1.4, 0.2, 6.7, 3.0, 5.2, 2.3) }] });
      await m.unload();
      console.log(JSON.stringify({ labels: Array.from(r.outputs[0].data, Number) }));
    `);
    const { stdout } = await promisify(execFile)(process.execPath, [join(out, 'smoke.mjs')], { cwd: out, env: { ...process.env, NODE_OPTIONS: '' } });
    const res = JSON.parse(stdout.trim()) as { labels: number[] };
    assert.deepEqual(res.labels, [0, 2]);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});
