// A process's open file descriptors and resident memory from /proc (Linux), for the load and soak checks.
// SPDX-License-Identifier: Apache-2.0
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

/** Open fds and VmRSS (KiB) of a process; zeros when it is gone. */
export function readProcessStats(pid: number): { fds: number; rssKiB: number } {
  try {
    const fds = readdirSync(`/proc/${pid}/fd`).length;
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return { fds, rssKiB: Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) };
  } catch {
    return { fds: 0, rssKiB: 0 };
  }
}

/** Poll until the process has at most `baseline` + 4 fds (sockets closing, files fsynced) or time runs out. */
export async function waitForFds(pid: number, baseline: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { fds } = readProcessStats(pid);
    if (fds <= baseline + 4 || Date.now() > deadline) return fds;
    await delay(200);
  }
}
