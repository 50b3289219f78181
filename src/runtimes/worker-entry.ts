/**
 * How to start a worker thread from a module of this package, both from source and from the build
 * (the ONNX workers, onnx/worker.ts, and the offloaded JS models, offload/worker.ts):
 *
 * - from `dist/` (tsc output) the caller is a `.js` file, and the worker is its sibling `.js`,
 *   started as a file (ESM);
 * - from source (`node --import tsx`, as the tests run) the caller is a `.ts` file. Workers
 *   inherit execArgv, but on Node 20 tsx registers its loader only on the main thread, so a plain
 *   `new Worker(new URL('./worker.ts', import.meta.url))` fails with ERR_UNKNOWN_FILE_EXTENSION.
 *   The worker then starts from a two-line bootstrap that registers tsx's CommonJS hooks
 *   (`tsx/cjs/api`) in that thread and requires worker.ts. The CommonJS hooks work in-thread;
 *   tsx's ESM loader would start an extra loader thread per worker: measured 50 ms vs 170 ms per
 *   model load here, which matters when a test loads a thousand models.
 *   Consequence: worker.ts and what it imports must not use `import.meta` or top-level await.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** What `new Worker(filename, { eval })` needs. */
export interface WorkerEntry {
  filename: string | URL;
  eval: boolean;
}

/**
 * The module `name` (no extension) next to the caller's module `callerUrl` (its import.meta.url),
 * with the caller's extension: `.ts` from source, `.js` from dist/.
 */
export function siblingModule(callerUrl: string, name: string): URL {
  return new URL(`./${name}${callerUrl.endsWith('.ts') ? '.ts' : '.js'}`, callerUrl);
}

const cache = new Map<string, WorkerEntry>();

/** The entry of the worker module `name` next to `callerUrl` (its import.meta.url). */
export function workerEntry(callerUrl: string, name: string): WorkerEntry {
  const key = `${callerUrl}#${name}`;
  let e = cache.get(key);
  if (!e) {
    e = entryFor(siblingModule(callerUrl, name));
    cache.set(key, e);
  }
  return e;
}

function entryFor(file: URL): WorkerEntry {
  if (!file.pathname.endsWith('.ts')) return { filename: file, eval: false };
  const here = import.meta.url;
  const workerFile = fileURLToPath(file);
  let tsxCjs: string | null = null;
  try {
    tsxCjs = createRequire(here).resolve('tsx/cjs/api');
  } catch {
    tsxCjs = null;
  }
  const code = [
    `const file = ${JSON.stringify(workerFile)}, api = ${JSON.stringify(tsxCjs)};`,
    `if (api) require(api).register();`,
    `require(file);`,
  ].join('\n');
  return { filename: code, eval: true };
}
