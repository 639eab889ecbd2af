import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** CPU milliseconds (user + system) each named process has used so far. */
export type CpuSnapshot = Record<string, number>;

let msPerTick: number | undefined;

function clockTicksPerSecond(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

/** utime + stime from /proc/<pid>/stat; undefined off Linux or once the process is gone. */
function processCpuMs(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Fields after "(comm)": state is field 3, utime 14 and stime 15 (proc(5)).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  msPerTick ??= 1000 / clockTicksPerSecond();
  return (Number(fields[11]) + Number(fields[12])) * msPerTick;
}

/**
 * The CPU time of this process ('bench') and of each server started here, so a report can say
 * where a case's CPU goes. A server given by address (TEMPORAL_ADDRESS, MONGODB_URI) is not
 * counted: its process is not ours to read.
 */
export function cpuSnapshot(servers: Record<string, number | undefined>): CpuSnapshot {
  const usage = process.cpuUsage();
  const snapshot: CpuSnapshot = { bench: (usage.user + usage.system) / 1000 };
  for (const [name, pid] of Object.entries(servers)) {
    const ms = pid === undefined ? undefined : processCpuMs(pid);
    if (ms !== undefined) snapshot[name] = ms;
  }
  return snapshot;
}

/** What each process used between two snapshots. */
export function cpuSince(before: CpuSnapshot, after: CpuSnapshot): CpuSnapshot {
  return Object.fromEntries(Object.keys(after).map((name) => [name, after[name] - (before[name] ?? after[name])]));
}
