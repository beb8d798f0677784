// Streaming benchmarks on a file: PCL engine: server RSS growth while a ~300 MB (decoded) raster job prints, and
// cancel latency (Cancel-Job sent -> the engine output file stops growing). Every wait is bounded.
// SPDX-License-Identifier: Apache-2.0
import { createReadStream, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { RunningServer } from '../support/server.js';
import { cancelJob, createJob, jobState, printJob, sendDocument, TERMINAL_STATES, waitTerminal } from './engines-ipp.js';
import type { BigJob } from './fixtures-stream.js';
import { startPclServer } from './pcl-filter.js';
import { round, rssOf } from './proc-stats.js';

/** Options of {@link streamBench}. */
export interface StreamBenchOptions {
  /** the ~300 MB job */
  readonly job: BigJob;
  /** a small raster printed first so the baseline is a warmed-up server */
  readonly warmUpPath: string;
  readonly workDir: string;
  /** bound for the big job, ms */
  readonly timeoutMs: number;
  /** registers the server with the caller's watchdog; returns its unregister function */
  readonly track: (child: RunningServer) => () => void;
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** Print the big job to completion while sampling the server's RSS every 100 ms. */
async function rssWhilePrinting(server: RunningServer, job: BigJob, out: string, timeoutMs: number) {
  await delay(500);
  const baseline = rssOf(server.proc.pid).rssKiB;
  let maxKiB = baseline;
  const sampler = setInterval(() => (maxKiB = Math.max(maxKiB, rssOf(server.proc.pid).rssKiB)), 100);
  const started = performance.now();
  try {
    const jobId = await printJob(server.uri, job.stream(), 'bench-big', timeoutMs);
    const responded = performance.now() - started;
    const remaining = Math.max(1000, timeoutMs - responded);
    let state: number;
    try {
      state = await waitTerminal(server.uri, jobId, remaining, 100);
    } catch (err) {
      await cancelJob(server.uri, jobId).catch(() => undefined);
      throw err;
    }
    const seconds = (performance.now() - started) / 1000;
    return {
      jobState: state,
      seconds: round(seconds, 2),
      decodedMBPerSecond: round(job.rawBytes / 1e6 / seconds),
      outputBytes: sizeOf(out),
      baselineKiB: baseline,
      maxKiB,
      growthMB: round((maxKiB - baseline) / 1024, 1),
      goalGrowthMB: 32,
    };
  } finally {
    clearInterval(sampler);
  }
}

/** Start the big job with Create-Job + Send-Document, cancel it once output flows, time until output stops. */
async function cancelLatency(server: RunningServer, job: BigJob, out: string) {
  let stopSending = false;
  const jobId = await createJob(server.uri, 'bench-cancel');
  const startSize = sizeOf(out);
  const sending = sendDocument(server.uri, jobId, job.stream(() => stopSending), 60_000);
  try {
    // Wait for 1 MB of engine output.
    const deadline = performance.now() + 30_000;
    while (Math.abs(sizeOf(out) - startSize) < 1_000_000) {
      if (performance.now() > deadline) throw new Error('engine output did not reach 1 MB within 30 s');
      await delay(5);
    }
    const sentAt = performance.now();
    const status = await cancelJob(server.uri, jobId);
    const responseMs = performance.now() - sentAt;
    // Watch the file until it has not changed for 1 s and the job is terminal (at most 15 s).
    let last = sizeOf(out);
    let lastChange = sentAt;
    let terminalMs: number | undefined;
    let lastPoll = 0;
    const end = sentAt + 15_000;
    while (performance.now() < end) {
      await delay(5);
      const size = sizeOf(out);
      const now = performance.now();
      if (size !== last) {
        last = size;
        lastChange = now;
      }
      if (terminalMs === undefined && now - lastPoll >= 50) {
        lastPoll = now;
        const state = await jobState(server.uri, jobId);
        if (state !== undefined && TERMINAL_STATES.includes(state)) terminalMs = now - sentAt;
      }
      if (terminalMs !== undefined && now - lastChange > 1000) break;
    }
    const stillGrowing = performance.now() - lastChange <= 1000;
    return {
      cancelStatus: status,
      cancelResponseMs: round(responseMs, 1),
      outputStoppedAfterMs: stillGrowing ? null : round(Math.max(0, lastChange - sentAt), 1),
      jobTerminalAfterMs: terminalMs === undefined ? null : round(terminalMs, 1),
      outputStillGrowingAfter15s: stillGrowing,
      goalMs: 1000,
    };
  } finally {
    stopSending = true;
    await sending;
  }
}

/** RSS growth during the big job and cancel latency, each reported as an object or `{ error }`. */
export async function streamBench(opts: StreamBenchOptions): Promise<Record<string, unknown>> {
  const out = join(opts.workDir, 'stream.pcl');
  const server = await startPclServer(out);
  const untrack = opts.track(server);
  const result: Record<string, unknown> = { document: { pages: opts.job.pages, decodedBytes: opts.job.rawBytes, bytes: opts.job.bytes, description: opts.job.description } };
  try {
    result['idleRssKiB'] = rssOf(server.proc.pid).rssKiB;
    const warm = await printJob(server.uri, createReadStream(opts.warmUpPath), 'bench-warm-up', 120_000);
    await waitTerminal(server.uri, warm, 120_000);
    try {
      result['rss'] = await rssWhilePrinting(server, opts.job, out, opts.timeoutMs);
    } catch (err) {
      result['rss'] = { error: String(err) };
    }
    try {
      result['cancel'] = await cancelLatency(server, opts.job, out);
    } catch (err) {
      result['cancel'] = { error: String(err) };
    }
  } finally {
    await server.stop();
    untrack();
  }
  return result;
}
