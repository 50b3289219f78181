/** Spawns `kserve-ts` from source (tsx) and waits for its "listening" line. */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface Spawned {
  proc: ChildProcess;
  httpPort: number;
  grpcPort?: number;
  stdout: () => string;
  /** Resolves with stdout once it matches `re` (output may arrive in several chunks). */
  stdoutMatching: (re: RegExp, timeoutMs?: number) => Promise<string>;
  stderr: () => string;
  exited: Promise<number | null>;
}

export async function spawnModelServer(args: string[], timeoutMs = 30_000): Promise<Spawned> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/bin/kserve-ts.ts', 'model-server', '--host', '127.0.0.1', '--http-port', '0', '--grpc-port', '0', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const ports = await new Promise<{ http: number; grpc?: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`model server did not start in ${timeoutMs} ms\n${out}\n${err}`)), timeoutMs);
    proc.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening: http:\/\/[^:]+:(\d+)(?:, grpc [^:]+:(\d+))?/.exec(out);
      if (m && out.includes('\n', m.index)) {
        clearTimeout(timer);
        resolve({ http: Number(m[1]), grpc: m[2] ? Number(m[2]) : undefined });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`model server exited with ${code}\n${out}\n${err}`));
    });
  });
  const stdoutMatching = (re: RegExp, ms = 5_000): Promise<string> =>
    new Promise((resolve, reject) => {
      if (re.test(out)) return resolve(out);
      const timer = setTimeout(() => {
        proc.stdout.off('data', check);
        reject(new Error(`stdout did not match ${re} in ${ms} ms:\n${out}`));
      }, ms);
      const check = (): void => {
        if (!re.test(out)) return;
        clearTimeout(timer);
        proc.stdout.off('data', check);
        resolve(out);
      };
      proc.stdout.on('data', check);
    });
  return { proc, httpPort: ports.http, grpcPort: ports.grpc, stdout: () => out, stdoutMatching, stderr: () => err, exited };
}
