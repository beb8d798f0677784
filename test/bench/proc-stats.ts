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
