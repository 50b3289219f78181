/**
 * What the benchmark clients read from /proc about the server under test and the machine: CPU
 * time, resident memory, machine-wide busy time. Linux only (the bench machine).
 *
 * CPU is in clock ticks; CLK_TCK is 100 on every Linux we run on (`getconf CLK_TCK`), so one tick
 * is 10 ms. Over a 10 s run at 1 busy core that is 1000 ticks, so the rounding error is ~0.1 %.
 */
import { readFileSync } from 'node:fs';

export const CLK_TCK = 100;

/** utime + stime + cutime + cstime of one process (all its threads), in ticks. */
export function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which may itself hold spaces and parentheses.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // f[0] is field 3 (state); utime is field 14 → f[11].
  return Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
}

/** VmRSS of one process, MB (MiB). */
export function rssMb(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Machine-wide [busy, total] ticks from /proc/stat (busy = total − idle − iowait). */
export function machineTicks(): [number, number] {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const total = v.reduce((a, b) => a + b, 0);
  return [total - v[3]! - (v[4] ?? 0), total];
}

export interface CpuWindow {
  /** Server CPU seconds / wall seconds (1.0 = one core busy). */
  srvCores: number;
  /** This client process's CPU seconds / wall seconds. */
  clientCores: number;
  /** Machine busy cores − server − client: load from anything else (keep it near 0). */
  otherCores: number;
  /** Server CPU seconds spent in the window. */
  srvCpuSec: number;
  wallSec: number;
}

/** Measures the server's, this client's and the machine's CPU between `new` and `stop()`. */
export class CpuMeter {
  private readonly t0 = process.hrtime.bigint();
  private readonly srv0: number;
  private readonly self0 = process.cpuUsage();
  private readonly m0 = machineTicks();
  constructor(private readonly pid: number | undefined) {
    this.srv0 = pid === undefined ? 0 : cpuTicks(pid);
  }
  stop(): CpuWindow {
    const wallSec = Number(process.hrtime.bigint() - this.t0) / 1e9;
    const srvCpuSec = this.pid === undefined ? NaN : (cpuTicks(this.pid) - this.srv0) / CLK_TCK;
    const self = process.cpuUsage(this.self0);
    const clientCores = (self.user + self.system) / 1e6 / wallSec;
    const m1 = machineTicks();
    const ncpu = Number(readFileSync('/proc/cpuinfo', 'utf8').match(/^processor/gm)?.length ?? 1);
    const dt = m1[1] - this.m0[1];
    const machineCores = dt > 0 ? ((m1[0] - this.m0[0]) / dt) * ncpu : 0;
    const srvCores = srvCpuSec / wallSec;
    return { srvCores, clientCores, otherCores: machineCores - (Number.isNaN(srvCores) ? 0 : srvCores) - clientCores, srvCpuSec, wallSec };
  }
}

/** One process's memory from /proc/PID/smaps_rollup, MB (MiB). */
export interface ProcMemory {
  /** Resident set: every page mapped and present, shared ones counted in full. */
  rssMb: number;
  /** Proportional set: each shared page divided by the number of processes mapping it. */
  pssMb: number;
  /** Pages only this process maps (Private_Clean + Private_Dirty): what exiting it frees. */
  privateMb: number;
}

/** smaps_rollup (Linux ≥ 4.14) of `pid`; undefined if the process is gone. */
export function procMemory(pid: number): ProcMemory | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  } catch {
    return undefined;
  }
  const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
  return { rssMb: kb('Rss') / 1024, pssMb: kb('Pss') / 1024, privateMb: (kb('Private_Clean') + kb('Private_Dirty')) / 1024 };
}

/** MemAvailable from /proc/meminfo, MB (MiB): what the machine could still hand out. */
export function memAvailableMb(): number {
  return Number(/^MemAvailable:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? NaN) / 1024;
}
