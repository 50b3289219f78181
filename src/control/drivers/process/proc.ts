/**
 * What the driver reads from Linux's /proc about a child: its start time (to tell a recorded pid
 * from a reused one), its resident memory (the memory guard) and whether it still runs.
 * Elsewhere (no /proc) every reader answers `undefined`, which turns the guard and the orphan
 * check off rather than guessing.
 */
import { readFile } from 'node:fs/promises';

/**
 * Field 22 of /proc/PID/stat: the start time in clock ticks since boot. Together with the pid it
 * names one process for the machine's uptime, so a pid the kernel gave to someone else later is
 * never mistaken for our replica.
 */
export async function processStartTime(pid: number): Promise<string | undefined> {
  const stat = await readProc(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  // The command name (field 2) is in parentheses and may hold spaces or ')': split after the last ')'.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state); field 22 is rest[19].
  if (rest[0] === 'Z') return undefined; // a zombie has exited; only its exit status is left
  return rest[19];
}

/** Resident set size in bytes (VmRSS of /proc/PID/status), or undefined when unknown. */
export async function residentBytes(pid: number): Promise<number | undefined> {
  const status = await readProc(`/proc/${pid}/status`);
  const m = status === undefined ? null : /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  return m ? Number(m[1]) * 1024 : undefined;
}

/** True while the pid names a live (non-zombie) process that started at `startTime`. */
export async function isSameProcess(pid: number, startTime: string): Promise<boolean> {
  return (await processStartTime(pid)) === startTime;
}

async function readProc(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined; // gone, or not Linux
  }
}
