/**
 * CPU time used by processes, for "requests per core used" figures: a benchmark on a shared
 * machine cannot give each process its own core, but it can measure how much of a core each
 * one spent on the work.
 *
 * Read from `/proc/<pid>/stat` (user + system time of the process and all its threads), so it
 * works for any process, Redis included, with no help from it. Linux only: elsewhere the
 * figures read as unavailable rather than wrong.
 */
import { readFileSync } from 'node:fs';

/** Clock ticks per second of `/proc` times (USER_HZ, 100 on every Linux port in use). */
const TICKS_PER_SECOND = 100;

/** CPU seconds `pid` has used so far, or NaN when `/proc` cannot tell. */
export function cpuSecondsOf(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // The command name (field 2) may hold spaces and parentheses: count from its end.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/** CPU seconds of several processes, by name, measured over one piece of work. */
export async function cpuDuring<T>(
  pids: Record<string, number | undefined>,
  work: () => Promise<T>,
): Promise<{ result: T; cpu: Record<string, number> }> {
  const before = Object.fromEntries(
    Object.entries(pids).map(([name, pid]) => [name, cpuSecondsOf(pid)]),
  );
  const result = await work();
  const cpu = Object.fromEntries(
    Object.entries(pids).map(([name, pid]) => [name, cpuSecondsOf(pid) - before[name]!]),
  );
  return { result, cpu };
}
