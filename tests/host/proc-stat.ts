/**
 * A process's state, parent and CPU time from /proc/<pid>/stat, for host tests that check a process
 * is gone and did not spin (client-vanishes.test.ts, sqlite-runner.test.ts). Linux only, as the tests.
 */
import { readFileSync } from 'node:fs';

const CLOCK_TICKS = 100; // USER_HZ on Linux

/** utime + stime in seconds, the state letter and the parent's pid; null once the process is gone. */
export function sample(pid: number): { cpu: number; state: string; ppid: number } | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name is in parentheses and may hold spaces: fields are counted after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0]!, ppid: Number(fields[1]), cpu: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS };
}
