/**
 * Drives the real kubectl against an in-process API server: `startKubeCluster()` starts the
 * server on port 0 over a store in a temp dir, writes a kubeconfig (cluster
 * `http://127.0.0.1:PORT`, a context, a user without credentials) and runs
 * `/usr/bin/kubectl --kubeconfig F --cache-dir D ...`. kubectl's discovery cache lives in the
 * temp dir, so tests never see each other's (or the user's) cache.
 *
 * When kubectl is missing the suites skip with `KUBECTL_MISSING` as the reason, printed loudly.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { ALL_KINDS } from '../../src/api/index.ts';
import { applyFunctionFor } from '../../src/control/apiserver/apply/index.ts';
import { startApiServer, type ApiServer } from '../../src/control/apiserver/server.ts';
import { MemoryStore } from '../../src/control/store/memory-store.ts';
import type { Store } from '../../src/control/store/store.ts';

export const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';

export const KUBECTL_MISSING = `kubectl not found at ${KUBECTL}: the kubectl end-to-end tests are SKIPPED. Install it (Debian/Ubuntu: apt-get install kubernetes-client; or https://kubernetes.io/docs/tasks/tools/) or set KUBECTL=/path/to/kubectl.`;

/** `false` (run) or the loud skip reason, for `test(name, { skip: kubectlSkip() }, ...)`. */
export function kubectlSkip(): false | string {
  if (existsSync(KUBECTL)) return false;
  process.stderr.write(`\n!!! ${KUBECTL_MISSING}\n\n`);
  return KUBECTL_MISSING;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Written to kubectl's stdin (for `-f -`). */
  stdin?: string;
  env?: Record<string, string>;
  /** Kill kubectl after this long (default 30 s). */
  timeoutMs?: number;
}

/** A long-running kubectl (`get -w`): its output so far, a way to wait for a line, and kill. */
export interface KubectlStream {
  output(): string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  kill(): Promise<void>;
}

export interface KubeCluster {
  url: string;
  dir: string;
  kubeconfig: string;
  store: Store;
  server: ApiServer;
  /** Runs kubectl to completion. */
  kubectl(args: string[], opts?: RunOptions): Promise<RunResult>;
  /** Runs kubectl and fails (naming the command and its stderr) unless it exits 0. */
  ok(args: string[], opts?: RunOptions): Promise<string>;
  /** Starts kubectl and leaves it running. */
  stream(args: string[]): KubectlStream;
  /** Writes a file in the temp dir; returns its path. */
  file(name: string, text: string): Promise<string>;
  close(): Promise<void>;
}

export async function startKubeCluster(opts: { store?: Store } = {}): Promise<KubeCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'kserve-kubectl-'));
  const store = opts.store ?? new MemoryStore();
  const server = await startApiServer({ port: 0, store, kinds: ALL_KINDS, serverSideApply: applyFunctionFor(ALL_KINDS) });
  const kubeconfig = join(dir, 'kubeconfig');
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'kserve-ts', cluster: { server: server.url } }],
    users: [{ name: 'kserve-ts', user: {} }],
    contexts: [{ name: 'kserve-ts', context: { cluster: 'kserve-ts', user: 'kserve-ts', namespace: 'default' } }],
    'current-context': 'kserve-ts',
  };
  await writeFile(kubeconfig, JSON.stringify(config), { mode: 0o600 });
  const base = ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache')];
  const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({ PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, ...extra });
  const streams = new Set<KubectlStream>();

  const kubectl = (args: string[], o: RunOptions = {}): Promise<RunResult> =>
    new Promise((resolve, reject) => {
      const child = spawn(KUBECTL, [...base, ...args], { env: env(o.env), stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 30_000);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
      child.stdin.end(o.stdin ?? '');
    });

  return {
    url: server.url,
    dir,
    kubeconfig,
    store,
    server,
    kubectl,
    async ok(args, o) {
      const r = await kubectl(args, o);
      if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
      return r.stdout;
    },
    stream(args) {
      const child = spawn(KUBECTL, [...base, ...args], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      const waiters = new Set<() => void>();
      const onData = (d: Buffer): void => {
        out += d.toString();
        for (const w of waiters) w();
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
      const s: KubectlStream = {
        output: () => out,
        waitFor: (pattern, timeoutMs = 15_000) =>
          new Promise((resolve, reject) => {
            const check = (): void => {
              const m = pattern.exec(out);
              if (!m) return;
              waiters.delete(check);
              clearTimeout(timer);
              resolve(m[0]);
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              reject(new Error(`kubectl ${args.join(' ')}: no output matching ${String(pattern)} within ${timeoutMs} ms; output so far:\n${out}`));
            }, timeoutMs);
            waiters.add(check);
            check();
          }),
        kill: async () => {
          streams.delete(s);
          child.kill('SIGTERM');
          await exited;
        },
      };
      streams.add(s);
      return s;
    },
    async file(name, text) {
      const path = join(dir, name);
      await writeFile(path, text, { mode: 0o700 });
      return path;
    },
    async close() {
      for (const s of [...streams]) await s.kill();
      await server.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** An sklearn InferenceService manifest as KServe's docs show it, with optional extra predictor YAML lines. */
export function isvcYaml(name: string, storageUri = 'gs://kfserving-examples/models/sklearn/1.0/model', predictorExtra = ''): string {
  return `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: ${name}
spec:
  predictor:
${predictorExtra}    model:
      modelFormat:
        name: sklearn
      storageUri: ${storageUri}
`;
}

/**
 * One cluster per test file: started in `before`, closed in `after`, skipped (with the loud
 * message) when kubectl is missing; `seed` runs once it is up. `c` delegates to the running cluster.
 */
export function useKubeCluster(seed?: (c: KubeCluster) => Promise<void>): { skip: false | string; c: KubeCluster } {
  const skip = kubectlSkip();
  let real: KubeCluster | undefined;
  before(async () => {
    if (skip) return;
    real = await startKubeCluster();
    await seed?.(real);
  });
  after(async () => {
    await real?.close();
  });
  const get = (): KubeCluster => {
    if (real === undefined) throw new Error('the kubectl test cluster is not running (before() did not start it)');
    return real;
  };
  const c: KubeCluster = {
    get url() {
      return get().url;
    },
    get dir() {
      return get().dir;
    },
    get kubeconfig() {
      return get().kubeconfig;
    },
    get store() {
      return get().store;
    },
    get server() {
      return get().server;
    },
    kubectl: (args, o) => get().kubectl(args, o),
    ok: (args, o) => get().ok(args, o),
    stream: (args) => get().stream(args),
    file: (name, text) => get().file(name, text),
    close: () => get().close(),
  };
  return { skip, c };
}
