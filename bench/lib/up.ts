/**
 * Starts `kserve-ts up` for a benchmark: a temp data dir, free ports (API, HTTP and gRPC gateway),
 * the real kubectl pointed at it, and a way to list the replica processes up started.
 *
 * By default it runs the built launcher (bin/kserve-ts.js → dist/; `npm run build` first) with the
 * V8 flags of the launcher's shebang line, as an installed `kserve-ts` runs: `node
 * bin/kserve-ts.js` alone would drop them, and replicas inherit up's `execArgv`, so the numbers
 * would not be those of `npm start`. `source: 'tsx'` runs src/ through tsx instead (each replica
 * then loads tsx too: more memory, slower start; not for reported numbers).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface UpOptions {
  source?: 'dist' | 'tsx';
  logLevel?: string;
  /** Extra kubectl/ps output buffer for large lists (default 64 MB). */
  maxBuffer?: number;
  /** Added to up's environment (e.g. storage credentials). */
  env?: Record<string, string>;
}

export interface RunningUp {
  proc: ChildProcess;
  pid: number;
  dir: string;
  gateway: string;
  /** The node flags up (and so every replica) runs with. */
  nodeFlags: string[];
  kubectl: (...args: string[]) => Promise<{ stdout: string }>;
  /** Pids of up's `model-server` children. */
  replicas: () => Promise<number[]>;
  /** SIGTERM, wait for exit, remove the data dir; resolves to the exit code. */
  stop: () => Promise<number | null>;
}

/** The node flags on bin/kserve-ts.js's `#!/usr/bin/env -S node ...` line. */
export function launcherFlags(): string[] {
  const first = readFileSync(join(ROOT, 'bin/kserve-ts.js'), 'utf8').split('\n', 1)[0]!;
  const m = /^#!.*\bnode\b(.*)$/.exec(first);
  return m ? m[1]!.trim().split(/\s+/).filter(Boolean) : [];
}

/** Pids of `pid`'s children whose command line contains `match`. */
export async function childrenMatching(pid: number, match: string): Promise<number[]> {
  const { stdout } = await run('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { maxBuffer: 16 << 20 }).catch(() => ({ stdout: '' }));
  return stdout.split('\n').filter((l) => l.includes(match)).map((l) => Number(l.trim().split(/\s+/)[0]));
}

export async function startUp(opts: UpOptions = {}): Promise<RunningUp> {
  const dir = await mkdtemp(join(tmpdir(), 'kserve-ts-up-bench-'));
  const maxBuffer = opts.maxBuffer ?? 64 << 20;
  const kubeconfig = join(dir, 'kubeconfig');
  const kubectl = (...args: string[]): Promise<{ stdout: string }> =>
    run('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'kc'), ...args], { cwd: ROOT, maxBuffer });
  const nodeFlags = opts.source === 'tsx' ? ['--import', 'tsx'] : launcherFlags();
  const entry = opts.source === 'tsx' ? join(ROOT, 'src/bin/kserve-ts.ts') : join(ROOT, 'bin/kserve-ts.js');
  const args = [...nodeFlags, entry, 'up', '--port', '0', '--gateway-port', '0', '--grpc-gateway-port', '0', '--data-dir', dir, '--log-level', opts.logLevel ?? 'warn'];
  const proc = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...opts.env } });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', resolve));
  let out = '';
  const gateway = await new Promise<string>((resolve, reject) => {
    proc.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /gateway (http:\/\/[^\s,]+)[\s\S]*curl /.exec(out);
      if (m) resolve(m[1]!);
    });
    void exited.then((code) => reject(new Error(`up exited with ${code}:\n${out}`)));
  });
  let stopped: Promise<number | null> | undefined;
  return {
    proc,
    pid: proc.pid!,
    dir,
    gateway,
    nodeFlags,
    kubectl,
    replicas: () => childrenMatching(proc.pid!, 'model-server'),
    stop: () => (stopped ??= (async () => {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      const code = await exited;
      await rm(dir, { recursive: true, force: true });
      return code;
    })()),
  };
}
