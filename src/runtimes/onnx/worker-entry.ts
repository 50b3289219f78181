/**
 * How to start `worker.ts` as a worker thread, both from source and from the build:
 *
 * - from `dist/` (tsc output) this module is `worker-entry.js`, and the worker is the sibling
 *   `worker.js`, started as a file;
 * - from source (`node --import tsx`, as the tests run) this module is `worker-entry.ts`. Workers
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

let cached: WorkerEntry | undefined;

/** The entry of the ONNX worker thread, matching how this module itself was loaded. */
export function onnxWorkerEntry(): WorkerEntry {
  cached ??= entryFor(import.meta.url);
  return cached;
}

function entryFor(here: string): WorkerEntry {
  if (!here.endsWith('.ts')) return { filename: new URL('./worker.js', here), eval: false };
  const workerFile = fileURLToPath(new URL('./worker.ts', here));
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
