/**
 * Runs the real `kserve-ts up` for end-to-end tests: `startUp()` spawns it from source on port 0
 * over a temp data dir (or a given one, to restart on the same state), waits for its banner, and
 * hands back the gateway URL, a kubectl bound to the kubeconfig `up` wrote, and ways to find the
 * replica processes it started: by parent pid and by scanning /proc for command lines that name
 * the data dir (models are copied under it with `copyModel`, so every replica's `--model_dir=`
 * names it, and a replica orphaned by a killed `up` is still found).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../cli-helpers.ts';
import { KUBECTL } from './kubectl.ts';

const run = promisify(execFile);

export interface Up {
  proc: ChildProcess;
  dataDir: string;
  gateway: string;
  kubeconfig: string;
  /** kubectl against this `up`; rejects (with stderr) unless it exits 0. */
  kubectl(...args: string[]): Promise<string>;
  /** `kubectl get <kind> <name> -o json`, parsed. */
  getJson<T = Record<string, unknown>>(kind: string, name: string): Promise<T>;
  /** `kubectl apply -f -` with the given YAML. */
  apply(yaml: string): Promise<string>;
  /** What `up` wrote to stderr so far (its logs). */
  stderr(): string;
  exited: Promise<number | null>;
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL and wait. */
  kill(): Promise<void>;
}

/** Starts `up` (fresh temp data dir unless `dataDir` is given) and resolves once it serves. */
export async function startUp(opts: { dataDir?: string; timeoutMs?: number } = {}): Promise<Up> {
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'kserve-ts-up-')));
  const kubeconfig = join(dataDir, 'kubeconfig');
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/bin/kserve-ts.ts', 'up', '--port', '0', '--gateway-port', '0', '--grpc-gateway-port', '0', '--data-dir', dataDir, '--log-level', 'info'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const gateway = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`up did not start:\n${out}\n${err}`)), opts.timeoutMs ?? 30_000);
    proc.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /gateway (http:\/\/[^\s,]+)[\s\S]*curl /.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`up exited with ${code}:\n${out}\n${err}`));
    });
  });
  // When kubectl fails because up is gone, say how up ended and what it last wrote.
  const upState = (): string =>
    proc.exitCode === null && proc.signalCode === null ? '' : `\n(up exited: code ${proc.exitCode}, signal ${proc.signalCode}; its stderr ends:\n${err.slice(-2000)})`;
  const kubectl = async (...args: string[]): Promise<string> => {
    try {
      const r = await run(KUBECTL, ['--kubeconfig', kubeconfig, '--cache-dir', join(dataDir, 'kube-cache'), ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dataDir } });
      return r.stdout;
    } catch (e) {
      const x = e as Error & { stderr?: string; stdout?: string };
      throw new Error(`kubectl ${args.join(' ')} failed: ${x.message}\n${x.stdout ?? ''}${x.stderr ?? ''}${upState()}`);
    }
  };
  const apply = (yaml: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const child = execFile(KUBECTL, ['--kubeconfig', kubeconfig, '--cache-dir', join(dataDir, 'kube-cache'), 'apply', '-f', '-'], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dataDir } }, (e, stdout, stderr) =>
        e ? reject(new Error(`kubectl apply failed: ${e.message}\n${stdout}${stderr}${upState()}`)) : resolve(stdout),
      );
      child.stdin!.end(yaml);
    });
  return {
    proc,
    dataDir,
    gateway,
    kubeconfig,
    kubectl,
    apply,
    getJson: async <T>(kind: string, name: string) => JSON.parse(await kubectl('get', kind, name, '-o', 'json')) as T,
    stderr: () => err,
    exited,
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      return exited;
    },
    kill: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
    },
  };
}

/** Copies the bundled iris ONNX model to `<dataDir>/models/<name>`; returns its absolute path. */
export async function copyModel(dataDir: string, name: string): Promise<string> {
  const dir = join(dataDir, 'models', name);
  await mkdir(dir, { recursive: true });
  await cp(join(ROOT, 'examples/models/iris'), dir, { recursive: true });
  return dir;
}

/** An ONNX (v2) InferenceService over `storageUri`, with optional env on the predictor model and a replica count. */
export function onnxYaml(name: string, storageUri: string, env: Record<string, string> = {}, minReplicas = 1): string {
  const envLines = Object.entries(env).map(([k, v]) => `      - name: ${k}\n        value: ${JSON.stringify(v)}\n`).join('');
  return `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: ${name}
spec:
  predictor:
${minReplicas !== 1 ? `    minReplicas: ${minReplicas}\n` : ''}    model:
      modelFormat:
        name: onnx
      protocolVersion: v2
      storageUri: ${storageUri}
${envLines ? `      env:\n${envLines}` : ''}`;
}

/** The same over a local model dir (`file://`). */
export function irisYaml(name: string, modelDir: string, env: Record<string, string> = {}, minReplicas = 1): string {
  return onnxYaml(name, `file://${modelDir}`, env, minReplicas);
}

/** Pids of live processes whose command line contains `needle` (the data dir), from /proc. */
export function pidsWithCmdline(needle: string): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d) || Number(d) === process.pid) continue;
    let cmd: string;
    try {
      cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8').replaceAll('\0', ' ');
    } catch {
      continue;
    }
    if (cmd.includes(needle) && cmd.includes('model-server') && !isZombie(Number(d))) out.push(Number(d));
  }
  return out;
}

function isZombie(pid: number): boolean {
  try {
    // Field 3 of /proc/PID/stat is the state; it follows the parenthesised command name.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return true;
  }
}

/** True while `pid` is a live (not zombie) process. */
export function alive(pid: number): boolean {
  return existsSync(`/proc/${pid}`) && !isZombie(pid);
}

/** Polls `fn` every 50 ms until it returns a value other than undefined, or fails naming `what`. */
export async function until<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** One V1 predict through the gateway's path form; returns the HTTP status and the labels. */
export async function predict(gateway: string, name: string, instances = 1): Promise<{ status: number; labels?: number[]; text: string }> {
  const body = instances === 1 ? '{"instances": [[6.8, 2.8, 4.8, 1.4]]}' : JSON.stringify({ instances: Array.from({ length: instances }, () => [6.8, 2.8, 4.8, 1.4]) });
  const res = await fetch(`${gateway}/serving/default/${name}/v1/models/${name}:predict`, { method: 'POST', body });
  const text = await res.text();
  if (res.status !== 200) return { status: res.status, text };
  return { status: 200, labels: (JSON.parse(text) as { predictions: { label: number }[] }).predictions.map((p) => p.label), text };
}

/**
 * A load generator: `concurrency` loops of V1 predicts through the gateway until `stop()`, each
 * with `instances` rows (more rows keep each request in the replica longer, so a kill hits some).
 * Every non-200 or transport error is kept (with its text) so a test can assert there were none.
 */
export function loadGenerator(gateway: string, name: string, concurrency = 4, instances = 1): { stop(): Promise<{ ok: number; failures: string[] }> } {
  let running = true;
  let ok = 0;
  const failures: string[] = [];
  const loops = Array.from({ length: concurrency }, async () => {
    while (running) {
      try {
        const r = await predict(gateway, name, instances);
        if (r.status === 200 && r.labels?.[0] === 1) ok++;
        else failures.push(`${r.status} ${r.text}`);
      } catch (e) {
        failures.push(`transport: ${(e as Error).message} ${((e as { cause?: Error }).cause)?.message ?? ''}`);
      }
    }
  });
  return {
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return { ok, failures };
    },
  };
}

/**
 * Removes a data dir after a test, first SIGKILLing any model server still naming it (left by an
 * `up` the test killed, or by a failed assertion), so a failing test leaves no process behind.
 */
export async function removeDataDir(dir: string): Promise<void> {
  for (const pid of pidsWithCmdline(dir)) {
    try {
      process.kill(-pid, 'SIGKILL'); // replicas lead their own process group
    } catch {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  await rm(dir, { recursive: true, force: true });
}

/** The model-server processes among the children of `pid`. */
export async function replicaChildren(pid: number): Promise<number[]> {
  const { stdout } = await run('ps', ['-o', 'pid=,args=', '--ppid', String(pid)]).catch(() => ({ stdout: '' }));
  return stdout
    .split('\n')
    .filter((l) => l.includes('model-server'))
    .map((l) => Number(l.trim().split(/\s+/)[0]))
    .filter((n) => n > 0 && alive(n));
}
