/**
 * One replica: a child process and the loop kubelet runs around a container. Start on fresh
 * loopback ports, probe readiness until ready, probe liveness and guard memory while it runs,
 * restart with exponential backoff when it exits, and stop gracefully (SIGTERM, grace period,
 * SIGKILL). Every phase change is reported through `onPhase`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync } from 'node:fs';
import type { ReplicaExit, ReplicaPhase, ReplicaSpec, ReplicaStatus } from '../driver.ts';
import { logFilePath, openLog, readLogTail } from './log-file.ts';
import { backoffDelayMs, type ResolvedOptions } from './options.ts';
import type { PortPicker } from './ports.ts';
import { processStartTime, residentBytes } from './proc.ts';
import { httpProbe, tcpProbe } from './probe.ts';
import { killGroup, removeRecord, writeRecord } from './records.ts';

export const HTTP_PORT_TOKEN = '$(KSERVE_TS_HTTP_PORT)';
export const GRPC_PORT_TOKEN = '$(KSERVE_TS_GRPC_PORT)';

/** Replaces the port tokens in one argument or env value. */
export function templatePorts(s: string, http: number, grpc: number): string {
  return s.replaceAll(HTTP_PORT_TOKEN, String(http)).replaceAll(GRPC_PORT_TOKEN, String(grpc));
}

/** The state of the current run (one spawn); a restart makes a new one, so stale timers see `run !== this.run`. */
interface Run {
  child?: ChildProcess;
  pid?: number;
  httpPort: number;
  startedAtMs: number;
  logOffset: number;
  exited: Promise<void>;
  markExited: () => void;
  done: boolean;
  /** Why the driver killed it, if it did: the exit reason and a note for the log tail. */
  killedFor?: { reason: string; note: string };
}

/** One replica of a revision, named `<last revision segment>-<index>`; owned by ProcessDriver. */
export class Replica {
  readonly name: string;
  readonly logFile: string;
  private phase: ReplicaPhase = 'Starting';
  private restarts = 0;
  private lastExit: ReplicaExit | undefined;
  private endpoint: ReplicaStatus['endpoint'];
  private run: Run | undefined;
  private consecutiveCrashes = 0;
  private stopping = false;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    readonly spec: ReplicaSpec,
    readonly index: number,
    private readonly opts: ResolvedOptions,
    private readonly baseEnv: Readonly<Record<string, string>>,
    private readonly onPhase: () => void,
    private readonly ports: PortPicker,
  ) {
    this.name = `${spec.revision.split('/').at(-1) ?? spec.revision}-${index}`;
    this.logFile = logFilePath(opts.dataDir, spec.revision, this.name);
  }

  status(): ReplicaStatus {
    return {
      name: this.name,
      revision: this.spec.revision,
      phase: this.phase,
      ...(this.endpoint ? { endpoint: { ...this.endpoint } } : {}),
      restarts: this.restarts,
      ...(this.lastExit ? { lastExit: { ...this.lastExit } } : {}),
      logFile: this.logFile,
    };
  }

  /** The running child's pid (tests and diagnostics). */
  pid(): number | undefined {
    return this.run && !this.run.done ? this.run.pid : undefined;
  }

  /** Starts the first run. Resolves once the child is spawned (not once it is ready). */
  async start(): Promise<void> {
    await this.launch();
  }

  /** SIGTERM, then SIGKILL after the grace period; resolves once the child has exited. Idempotent. */
  async stop(): Promise<void> {
    if (!this.stopping) {
      this.stopping = true;
      for (const t of this.timers) clearTimeout(t);
      this.timers.clear();
      this.setPhase('Terminating');
    }
    const run = this.run;
    if (!run || run.done) return;
    if (run.pid !== undefined) killGroup(run.pid, 'SIGTERM');
    const grace = this.spec.terminationGracePeriodMs ?? this.opts.defaultGracePeriodMs;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((r) => (timer = setTimeout(r, grace)));
    await Promise.race([run.exited, timeout]);
    clearTimeout(timer);
    if (!run.done && run.pid !== undefined) killGroup(run.pid, 'SIGKILL');
    await run.exited;
  }

  private async launch(): Promise<void> {
    if (this.stopping) return;
    const [httpPort, grpcPort] = [await this.ports.next(), await this.ports.next()];
    const args = this.spec.args.map((a) => templatePorts(a, httpPort, grpcPort));
    const env: Record<string, string> = { ...this.baseEnv };
    for (const [k, v] of Object.entries(this.spec.env)) env[k] = templatePorts(v, httpPort, grpcPort);
    env.PORT = String(httpPort);
    const usesGrpc = [...this.spec.args, ...Object.values(this.spec.env)].some((s) => s.includes(GRPC_PORT_TOKEN));
    if (this.stopping) return;

    const { fd, offset } = openLog(this.logFile);
    let markExited!: () => void;
    const exited = new Promise<void>((r) => (markExited = r));
    const run: Run = { httpPort, startedAtMs: this.opts.clock.nowMs(), logOffset: offset, exited, markExited, done: false };
    this.run = run;
    this.endpoint = { http: `http://127.0.0.1:${httpPort}`, ...(usesGrpc ? { grpc: `127.0.0.1:${grpcPort}` } : {}) };
    let child: ChildProcess;
    try {
      // detached: the child leads its own process group, so a stop reaches its workers too and a
      // Ctrl-C in `up`'s terminal reaches only `up`, which then stops replicas gracefully.
      child = spawn(this.spec.command, args, { env, cwd: this.spec.cwd, stdio: ['ignore', fd, fd], detached: true });
    } catch (err) {
      // Most spawn failures arrive as an 'error' event; the few thrown ones take the same path.
      this.onExit(run, null, null, `failed to start ${this.spec.command}: ${(err as Error).message}`);
      return;
    } finally {
      closeSync(fd);
    }
    run.child = child;
    run.pid = child.pid;
    child.once('error', (err) => this.onExit(run, null, null, `failed to start ${this.spec.command}: ${err.message}`));
    child.once('exit', (code, signal) => this.onExit(run, code, signal));
    this.setPhase('Starting');
    if (child.pid !== undefined) {
      const rec = { pid: child.pid, startTime: await processStartTime(child.pid), revision: this.spec.revision, replica: this.name, command: this.spec.command };
      await writeRecord(this.opts.dataDir, rec).catch((err: unknown) => this.opts.log.warn('cannot write the replica record', { replica: this.name, err }));
      // The child may have exited while we wrote: its record must not outlive it.
      if (run.done) await removeRecord(this.opts.dataDir, this.spec.revision, this.name).catch(() => undefined);
      this.pollReadiness(run);
      this.guardMemory(run);
    }
  }

  private onExit(run: Run, code: number | null, signal: NodeJS.Signals | null, startError?: string): void {
    if (run.done) return;
    run.done = true;
    // A stop resolves only once the record is gone, so a finished delete leaves no stale record.
    void removeRecord(this.opts.dataDir, this.spec.revision, this.name)
      .catch((err: unknown) => this.opts.log.warn('cannot remove the replica record', { replica: this.name, err }))
      .finally(run.markExited);
    if (this.stopping || run !== this.run) return;
    const nowMs = this.opts.clock.nowMs();
    if (nowMs - run.startedAtMs >= this.opts.backoffResetMs) this.consecutiveCrashes = 0;
    this.consecutiveCrashes++;
    this.restarts++;
    const tail = [readLogTail(this.logFile, run.logOffset, this.opts.logTailLines), run.killedFor?.note, startError].filter((s) => s).join('\n');
    this.lastExit = {
      code,
      signal,
      reason: run.killedFor?.reason ?? (code === 0 ? 'Completed' : 'Error'),
      logTail: tail,
      at: new Date(nowMs).toISOString(),
    };
    this.endpoint = undefined;
    const delayMs = backoffDelayMs(this.consecutiveCrashes, this.opts.backoffBaseMs, this.opts.backoffCapMs);
    this.opts.log.warn('replica exited; restarting after backoff', { replica: this.name, code, signal, reason: this.lastExit.reason, delayMs });
    this.setPhase(this.consecutiveCrashes >= this.opts.crashLoopAfter ? 'CrashLoopBackOff' : 'Failed');
    this.after(delayMs, () => void this.launch().catch((err: unknown) => this.opts.log.error('replica restart failed', { replica: this.name, err })));
  }

  private pollReadiness(run: Run): void {
    const tick = async (): Promise<void> => {
      if (run !== this.run || run.done || this.stopping) return;
      const path = this.spec.readinessPath;
      const ready = path === undefined ? await tcpProbe(run.httpPort, this.opts.probeTimeoutMs) : await httpProbe(run.httpPort, path, this.opts.probeTimeoutMs);
      if (ready) {
        if (run !== this.run || run.done || this.stopping) return;
        this.setPhase('Ready');
        this.probeLiveness(run, 0);
      } else {
        this.after(this.opts.readinessIntervalMs, () => void tick());
      }
    };
    void tick();
  }

  private probeLiveness(run: Run, failures: number): void {
    const path = this.spec.livenessPath;
    if (path === undefined) return;
    this.after(this.opts.livenessIntervalMs, async () => {
      if (run !== this.run || run.done || this.stopping) return;
      const ok = await httpProbe(run.httpPort, path, this.opts.probeTimeoutMs);
      const n = ok ? 0 : failures + 1;
      if (n >= this.opts.livenessFailureThreshold && !run.done && run.pid !== undefined) {
        run.killedFor = { reason: 'Error', note: `liveness probe GET ${path} failed ${n} times in a row; killed` };
        killGroup(run.pid, 'SIGKILL');
        return;
      }
      this.probeLiveness(run, n);
    });
  }

  private guardMemory(run: Run): void {
    const limit = this.spec.memoryLimitBytes;
    if (limit === undefined) return;
    this.after(this.opts.memoryIntervalMs, async () => {
      if (run !== this.run || run.done || this.stopping || run.pid === undefined) return;
      const rss = await residentBytes(run.pid);
      if (rss !== undefined && rss > limit && !run.done) {
        run.killedFor = { reason: 'OOMKilled', note: `resident memory ${rss} bytes exceeded the limit of ${limit} bytes; killed` };
        killGroup(run.pid, 'SIGKILL');
        return;
      }
      this.guardMemory(run);
    });
  }

  private after(ms: number, fn: () => unknown): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private setPhase(p: ReplicaPhase): void {
    if (p === this.phase && p !== 'Starting') return;
    this.phase = p;
    this.onPhase();
  }
}
