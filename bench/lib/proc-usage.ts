import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

export interface ProcUsage {
  /** User + system CPU time so far, seconds: every thread of the process. */
  cpuSeconds: number;
  /**
   * The main thread's share (JavaScript, SQLite, I/O); the rest is V8's helper threads, mostly garbage
   * collection (docs/performance.md, seventh pass). 0 when /proc has no per-thread figures.
   */
  mainThreadCpuSeconds: number;
  /** Peak resident set size so far (VmHWM), MB. */
  peakRssMb: number;
  /** Resident set size now, MB. */
  rssMb: number;
}

/**
 * CPU time and memory of another process, read from Linux's /proc (the benchmark measures bcbridge as
 * a separate process, which Node cannot ask for a child's rusage). undefined when the process is gone or
 * /proc is not available.
 */
export function readProcUsage(pid: number): ProcUsage | undefined {
  try {
    const cpuSeconds = statCpuSeconds(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    // The main thread's task has the process's id.
    let mainThreadCpuSeconds = 0;
    try {
      mainThreadCpuSeconds = statCpuSeconds(readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8'));
    } catch {
      // no per-thread figures here
    }
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { cpuSeconds, mainThreadCpuSeconds, peakRssMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024 };
  } catch {
    return undefined;
  }
}

/** utime + stime of a /proc stat line, seconds. */
function statCpuSeconds(stat: string): number {
  // Fields after the command name, which is in parentheses and may itself contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the whole line, i.e. 12 and 13 after "(comm) state".
  return (Number(fields[11]) + Number(fields[12])) / clockTicks();
}
