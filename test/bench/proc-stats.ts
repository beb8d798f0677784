// Small helpers shared by the benchmarks: a process's resident memory from /proc, medians, rounding.
// SPDX-License-Identifier: Apache-2.0
import { readFileSync } from 'node:fs';

/** Resident set size now and its high-water mark, in KiB. */
export interface Rss {
  readonly rssKiB: number;
  readonly hwmKiB: number;
}

/** VmRSS and VmHWM of `pid` from /proc/<pid>/status; zeros when the process is gone or pid is undefined. */
export function rssOf(pid: number | undefined): Rss {
  if (pid === undefined) return { rssKiB: 0, hwmKiB: 0 };
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (key: string): number => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    return { rssKiB: kib('VmRSS'), hwmKiB: kib('VmHWM') };
  } catch {
    return { rssKiB: 0, hwmKiB: 0 };
  }
}

/** Median of `xs` (mean of the two middle values for an even count; 0 for none). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** `x` rounded to `digits` decimals. */
export function round(x: number, digits = 1): number {
  return Math.round(x * 10 ** digits) / 10 ** digits;
}

/** Clock ticks per second of /proc/<pid>/stat times (sysconf(_SC_CLK_TCK); 100 on every Linux this runs on). */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU time a process has used so far, in milliseconds (from /proc/<pid>/stat; undefined when it is gone). */
export interface CpuTime {
  readonly userMs: number;
  readonly systemMs: number;
}

/** utime and stime of `pid` (fields 14 and 15 of /proc/<pid>/stat, after the parenthesised command name). */
export function cpuTimeOf(pid: number | undefined): CpuTime | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = (i: number): number => Number(fields[i] ?? NaN);
    const userMs = (ticks(11) * 1000) / CLOCK_TICKS_PER_SECOND;
    const systemMs = (ticks(12) * 1000) / CLOCK_TICKS_PER_SECOND;
    return Number.isFinite(userMs) && Number.isFinite(systemMs) ? { userMs, systemMs } : undefined;
  } catch {
    return undefined;
  }
}
