/**
 * Pid records: one JSON file per running replica under `<dataDir>/replicas/`, written when the
 * child starts and removed when it has exited. If the driver's process dies without stopping its
 * children (kill -9 of `kserve-ts up`), the next driver over the same data dir finds the records
 * and kills what is left.
 *
 * Why replace rather than adopt: an adopted process is not our child, so we could not learn its
 * exit code or signal (no waitpid on a non-child), its stdout/stderr are tied to the old log fds,
 * and its spec may belong to a revision the reconciler no longer wants. Killing it and letting the
 * reconciler start a fresh replica costs one model load (~1 s for small models) and keeps every
 * replica fully observed.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../../core/logger.ts';
import { isSameProcess, processStartTime } from './proc.ts';

export interface ReplicaRecord {
  pid: number;
  /** /proc/PID/stat start time (clock ticks since boot); absent where /proc is not available. */
  startTime?: string;
  revision: string;
  replica: string;
  command: string;
}

export function recordsDir(dataDir: string): string {
  return join(dataDir, 'replicas');
}

function recordPath(dataDir: string, revision: string, replica: string): string {
  return join(recordsDir(dataDir), `${encodeURIComponent(`${revision}#${replica}`)}.json`);
}

/** Writes the record of a child that has just been spawned. */
export async function writeRecord(dataDir: string, rec: ReplicaRecord): Promise<void> {
  await mkdir(recordsDir(dataDir), { recursive: true });
  await writeFile(recordPath(dataDir, rec.revision, rec.replica), `${JSON.stringify(rec)}\n`);
}

export async function removeRecord(dataDir: string, revision: string, replica: string): Promise<void> {
  await rm(recordPath(dataDir, revision, replica), { force: true });
}

/**
 * Kills every process recorded under `dataDir` that still runs (same pid and same start time),
 * with its process group, and removes the records. Returns the pids it killed.
 */
export async function reapOrphans(dataDir: string, log: Logger): Promise<number[]> {
  const dir = recordsDir(dataDir);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const killed: number[] = [];
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    const file = join(dir, name);
    const rec = parseRecord(await readFile(file, 'utf8').catch(() => ''));
    // Without a start time we cannot prove the pid is still ours: leave it alone rather than risk a stranger.
    if (rec?.startTime !== undefined && (await isSameProcess(rec.pid, rec.startTime))) {
      killGroup(rec.pid, 'SIGKILL');
      await waitGone(rec.pid, rec.startTime);
      killed.push(rec.pid);
      log.warn('killed a replica left by a previous driver', { pid: rec.pid, revision: rec.revision, replica: rec.replica });
    }
    await rm(file, { force: true });
  }
  return killed;
}

/** Signals the child's process group (it was spawned detached, so it leads one), else the pid alone. */
export function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

function parseRecord(text: string): ReplicaRecord | undefined {
  try {
    const r = JSON.parse(text) as Partial<ReplicaRecord>;
    return Number.isInteger(r.pid) && (r.pid ?? 0) > 0 ? (r as ReplicaRecord) : undefined;
  } catch {
    return undefined;
  }
}

/** SIGKILL is not instant: poll until the process is gone (or a zombie) for up to 5 s. */
async function waitGone(pid: number, startTime: string): Promise<void> {
  for (let i = 0; i < 250 && (await processStartTime(pid)) === startTime; i++) {
    await new Promise((r) => setTimeout(r, 20));
  }
}
