// The load mix (issue 8 item 4): many concurrent clients against a running server on 127.0.0.1 mixing
// Get-Printer-Attributes, Get-Jobs, Print-Job (small raster), slow readers, slow writers and clients that disconnect
// mid-document. Records latencies, unexpected errors, the jobs accepted and printed, the server's fds and RSS.
// SPDX-License-Identifier: Apache-2.0
import { existsSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { attr, findAttr, keyword, mimeMediaType, numberValue } from '../../src/ipp/build.js';
import { encodeMessage } from '../../src/ipp/encode.js';
import { IppOp } from '../../src/ipp/ops.js';
import { Rng } from '../fuzz/prng.js';
import { encodePwgRaster } from '../support/raster-writer.js';
import { postIpp, printerRequest, type RunningServer } from '../support/server.js';
import { readProcessStats, waitForFds } from './proc.js';

/** Client kinds and their share of the connections. */
const KINDS = [
  ['get-printer-attributes', 35],
  ['get-jobs', 20],
  ['print-job', 20],
  ['slow-reader', 10],
  ['slow-writer', 8],
  ['disconnect-mid-document', 7],
] as const;
type Kind = (typeof KINDS)[number][0];

/** Options of runLoadMix. */
export interface LoadOptions {
  readonly connections: number;
  readonly durationMs: number;
  readonly seed: number;
  /** how long accepted jobs may take to print after the load stops (default 60 s) */
  readonly drainMs?: number;
}

/** What a load run measured. */
export interface LoadReport {
  readonly requests: Readonly<Record<Kind, number>>;
  readonly errors: readonly string[];
  readonly latencyMs: { readonly p50: number; readonly p95: number; readonly p99: number; readonly max: number };
  readonly jobsAccepted: number;
  readonly jobsCompleted: number;
  readonly fdsBefore: number;
  readonly fdsAfter: number;
  readonly rssBeforeMiB: number;
  readonly rssPeakMiB: number;
  readonly rssAfterMiB: number;
  readonly stillAnswers: boolean;
}

function pickKind(rng: Rng): Kind {
  let roll = rng.int(100);
  for (const [kind, share] of KINDS) if ((roll -= share) < 0) return kind;
  return 'get-printer-attributes';
}

/** Percentile of sorted values (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** Raw HTTP/1.1 exchange with pacing: writes in `writeChunk` pieces every `writeGapMs`, reads with `readGapMs` pauses. */
function rawExchange(port: number, bytes: Uint8Array, pace: { writeChunk: number; writeGapMs: number; readGapMs: number; abortAfter?: number }): Promise<{ status: number; bodyBytes: number }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let head = '';
    let received = Buffer.alloc(0);
    const finish = (err?: Error): void => {
      socket.destroy();
      if (err) reject(err);
      else {
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
        resolve({ status, bodyBytes: received.length });
      }
    };
    socket.setTimeout(60_000, () => finish(new Error('no answer within 60 s')));
    socket.on('error', (err) => finish(err));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (head === '') {
        const end = received.indexOf('\r\n\r\n');
        if (end < 0) return;
        head = received.subarray(0, end).toString('latin1');
        received = received.subarray(end + 4);
      }
      const length = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1] ?? NaN);
      if (received.length >= length) finish();
      else if (pace.readGapMs > 0) {
        socket.pause();
        setTimeout(() => socket.resume(), pace.readGapMs);
      }
    });
    socket.on('close', () => finish(head === '' ? new Error('closed without an answer') : undefined));
    socket.once('connect', async () => {
      const limit = pace.abortAfter ?? bytes.length;
      for (let pos = 0; pos < limit && !socket.destroyed; pos += pace.writeChunk) {
        socket.write(bytes.subarray(pos, Math.min(limit, pos + pace.writeChunk)));
        if (pace.writeGapMs > 0) await delay(pace.writeGapMs);
      }
      if (pace.abortAfter !== undefined) {
        socket.destroy();
        resolve({ status: 0, bodyBytes: 0 });
      }
    });
  });
}

function httpPost(server: RunningServer, body: Uint8Array): Buffer {
  const head = `POST /ipp/print HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Type: application/ipp\r\nContent-Length: ${body.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

/** Requests and documents the clients send, built once. */
function requests(server: RunningServer): Record<'gpa' | 'all' | 'jobs' | 'print', Buffer> {
  const pixels = new Uint8Array(64 * 64).map((_, i) => (i % 64 < 8 ? 0 : 0xff));
  const doc = encodePwgRaster([{ width: 64, height: 64, type: 'sgray_8', xDpi: 150, yDpi: 150, pixels }]);
  const print = encodeMessage(printerRequest(server.uri, IppOp.PrintJob, { operation: [attr('document-format', mimeMediaType('image/pwg-raster'))] }));
  return {
    gpa: encodeMessage(printerRequest(server.uri, IppOp.GetPrinterAttributes)),
    all: encodeMessage(printerRequest(server.uri, IppOp.GetPrinterAttributes, { operation: [attr('requested-attributes', keyword('all'), keyword('media-col-database'))] })),
    jobs: encodeMessage(printerRequest(server.uri, IppOp.GetJobs, { operation: [attr('which-jobs', keyword('all'))] })),
    print: Buffer.concat([print, doc]),
  };
}

/** Run the load mix for `durationMs` with `connections` concurrent clients. */
export async function runLoadMix(server: RunningServer, opts: LoadOptions): Promise<LoadReport> {
  const pid = server.proc.pid ?? 0;
  const before = readProcessStats(pid);
  const bodies = requests(server);
  const counts = Object.fromEntries(KINDS.map(([k]) => [k, 0])) as Record<Kind, number>;
  const errors: string[] = [];
  const latencies: number[] = [];
  const jobIds: number[] = [];
  let rssPeak = before.rssKiB;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, readProcessStats(pid).rssKiB)), 250);
  const deadline = Date.now() + opts.durationMs;
  const note = (what: string): void => void (errors.length < 50 && errors.push(what));
  const client = async (index: number): Promise<void> => {
    const rng = new Rng(opts.seed + index);
    while (Date.now() < deadline) {
      const kind = pickKind(rng);
      counts[kind]++;
      const started = performance.now();
      try {
        await runClient(kind, server, bodies, rng, jobIds, note);
        if (kind === 'get-printer-attributes' || kind === 'get-jobs' || kind === 'print-job') latencies.push(performance.now() - started);
      } catch (err) {
        note(`${kind}: ${String(err)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: opts.connections }, (_, i) => client(i)));
  const jobsCompleted = await waitForPrinted(server, jobIds, opts.drainMs ?? 60_000);
  clearInterval(sampler);
  const fdsAfter = await waitForFds(pid, before.fds, 15_000);
  const stillAnswers = await postIpp(server.uri, bodies.gpa).then((r) => r.status === 200 && r.message?.code === 0, () => false);
  const sorted = latencies.sort((a, b) => a - b);
  const round = (x: number): number => Math.round(x * 10) / 10;
  return {
    requests: counts,
    errors,
    latencyMs: { p50: round(percentile(sorted, 50)), p95: round(percentile(sorted, 95)), p99: round(percentile(sorted, 99)), max: round(sorted.at(-1) ?? 0) },
    jobsAccepted: jobIds.length,
    jobsCompleted,
    fdsBefore: before.fds,
    fdsAfter,
    rssBeforeMiB: Math.round(before.rssKiB / 1024),
    rssPeakMiB: Math.round(rssPeak / 1024),
    rssAfterMiB: Math.round(readProcessStats(pid).rssKiB / 1024),
    stillAnswers,
  };
}

async function runClient(kind: Kind, server: RunningServer, bodies: ReturnType<typeof requests>, rng: Rng, jobIds: number[], note: (what: string) => void): Promise<void> {
  switch (kind) {
    case 'get-printer-attributes':
    case 'get-jobs': {
      const res = await postIpp(server.uri, kind === 'get-jobs' ? bodies.jobs : bodies.gpa);
      if (res.status !== 200 || res.message?.code !== 0) note(`${kind}: HTTP ${res.status}, IPP status ${res.message?.code}`);
      return;
    }
    case 'print-job': {
      const res = await postIpp(server.uri, bodies.print);
      const id = res.message ? numberValue(findAttr(res.message, 'job', 'job-id')) : undefined;
      if (res.status !== 200 || res.message?.code !== 0 || id === undefined) note(`print-job: HTTP ${res.status}, IPP status ${res.message?.code}`);
      else jobIds.push(id);
      return;
    }
    case 'slow-reader': {
      const res = await rawExchange(server.port, httpPost(server, bodies.all), { writeChunk: 1 << 20, writeGapMs: 0, readGapMs: 100 + rng.int(200) });
      if (res.status !== 200) note(`slow-reader: HTTP ${res.status}`);
      return;
    }
    case 'slow-writer': {
      const res = await rawExchange(server.port, httpPost(server, bodies.gpa), { writeChunk: 16 + rng.int(32), writeGapMs: 20 + rng.int(40), readGapMs: 0 });
      if (res.status !== 200) note(`slow-writer: HTTP ${res.status}`);
      return;
    }
    case 'disconnect-mid-document': {
      // Declares the whole document, sends the request and part of the raster, then resets the connection.
      const bytes = httpPost(server, bodies.print);
      await rawExchange(server.port, bytes, { writeChunk: 512, writeGapMs: 5, readGapMs: 0, abortAfter: bytes.length - 200 - rng.int(1500) });
      return;
    }
    default: {
      const never: never = kind;
      throw new Error(`unknown client kind ${String(never)}`);
    }
  }
}

/** Wait until every accepted job has its first page in the virtual engine's output; returns how many do. */
async function waitForPrinted(server: RunningServer, jobIds: readonly number[], timeoutMs: number): Promise<number> {
  const dir = join(server.stateDir, 'output');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const files = existsSync(dir) ? new Set(readdirSync(dir)) : new Set<string>();
    const printed = jobIds.filter((id) => files.has(`job-${id}-page-1.png`)).length;
    if (printed === jobIds.length || Date.now() > deadline) return printed;
    await delay(250);
  }
}
