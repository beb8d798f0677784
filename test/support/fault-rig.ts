// Rig for the engine fault scenarios (issue 8 item 3): the built server on the virtual engine with a fast faults poll
// and small engine writes, PWG documents of known random pages, the faults file, and the pages the engine printed.
// SPDX-License-Identifier: Apache-2.0
import { mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { attr, findAttr, integer, keyword, mimeMediaType, name, numberValue } from '../../src/ipp/build.js';
import { encodeMessage } from '../../src/ipp/encode.js';
import { IppOp } from '../../src/ipp/ops.js';
import { statusKeyword } from '../../src/ipp/status.js';
import type { IppMessage } from '../../src/ipp/types.js';
import { readPng } from './png-reader.js';
import { encodePwgRasterStream, seededRandom, type StreamPage } from './raster-writer.js';
import { ippCall, postIpp, printerRequest, startServer, type RunningServer } from './server.js';

/** job-state enums (RFC 8011 §5.3.7). */
export const JOB_STATE = { pending: 3, pendingHeld: 4, processing: 5, processingStopped: 6, canceled: 7, aborted: 8, completed: 9 } as const;

/** Page size of the test documents: 160 x 150 random gray pixels, about 24 KB of PNG each. */
const WIDTH = 160;
const HEIGHT = 150;

/** A server on the virtual engine plus its faults file. */
export interface FaultRig {
  readonly server: RunningServer;
  /** Replace the faults file atomically (the engine sees it within about 100 ms). */
  faults(content: Readonly<Record<string, unknown>>): Promise<void>;
  /** How many times each page of `jobId` was printed, checked against `doc`'s pages (throws on a wrong page). */
  printedPages(jobId: number, doc: FaultDocument): Promise<Map<number, number>>;
}

/** A document of random gray pages and each page's pixels. */
export interface FaultDocument {
  readonly bytes: Buffer;
  readonly pixels: readonly Buffer[];
}

/** Options of startFaultRig. */
export interface FaultRigOptions {
  /** board config engine.recovery; default unset (reprint-page) */
  readonly recovery?: 'reprint-page' | 'restart-job' | 'abort';
  /** initial faults file content */
  readonly faults?: Readonly<Record<string, unknown>>;
}

/** `pages` random gray pages (each its own seed, so a page printed in the wrong place shows). */
export function faultDocument(pages: number, seed = 1): FaultDocument {
  const pixels: Buffer[] = [];
  const list: StreamPage[] = [];
  for (let p = 0; p < pages; p++) {
    const rnd = seededRandom(seed * 1000 + p);
    const buf = Buffer.from(Array.from({ length: WIDTH * HEIGHT }, () => Math.floor(rnd() * 256)));
    pixels.push(buf);
    list.push({
      page: { width: WIDTH, height: HEIGHT, type: 'sgray_8', xDpi: 150, yDpi: 150, pageSizeName: 'na_letter_8.5x11in' },
      row: (y) => buf.subarray(y * WIDTH, (y + 1) * WIDTH),
    });
  }
  return { bytes: Buffer.concat([...encodePwgRasterStream(list)]), pixels };
}

/** Start the server with a board file for the virtual engine (faults polled every 100 ms, 4 KiB writes). */
export async function startFaultRig(opts: FaultRigOptions = {}): Promise<FaultRig> {
  const stateDir = await mkdtemp(join(tmpdir(), 'ippbridge-faults-e2e-'));
  const board = join(stateDir, 'board.json');
  const engine = {
    driver: 'virtual',
    uri: 'virtual:',
    options: { faultPollMs: 100, preferredChunk: 4096 },
    ...(opts.recovery === undefined ? {} : { recovery: opts.recovery }),
  };
  await writeFile(board, JSON.stringify({ name: 'fault test', engine }));
  const file = join(stateDir, 'virtual-engine.json');
  const faults = async (content: Readonly<Record<string, unknown>>): Promise<void> => {
    await writeFile(`${file}.tmp`, JSON.stringify(content));
    await rename(`${file}.tmp`, file);
  };
  if (opts.faults) await faults(opts.faults);
  let server: RunningServer;
  try {
    server = await startServer({ stateDir, args: ['--board', board] });
  } catch (err) {
    await rm(stateDir, { recursive: true, force: true });
    throw err;
  }
  const stop = server.stop.bind(server);
  const wrapped: RunningServer = {
    ...server,
    stop: async () => {
      await stop();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
  return { server: wrapped, faults, printedPages: (jobId, doc) => printedPages(join(stateDir, 'output'), jobId, doc) };
}

/** Count the page files of one job (job-J-page-P.png and repeats job-J-page-P-N.png); each must hold page P whole. */
async function printedPages(outDir: string, jobId: number, doc: FaultDocument): Promise<Map<number, number>> {
  const counts = new Map<number, number>();
  const names = await readdir(outDir).catch(() => [] as string[]);
  for (const file of names) {
    const m = /^job-(\d+)-page-(\d+)(?:-\d+)?\.png$/.exec(file);
    if (!m || Number(m[1]) !== jobId) continue;
    const page = Number(m[2]);
    const png = readPng(await readFile(join(outDir, file)));
    const want = doc.pixels[page - 1];
    if (!want || png.width !== WIDTH || png.height !== HEIGHT || !png.pixels.equals(want)) {
      throw new Error(`${file} does not hold page ${page} of the document`);
    }
    counts.set(page, (counts.get(page) ?? 0) + 1);
  }
  return counts;
}

/** [count of page 1, page 2, …, page `pages`] from printedPages (0 for a page never printed). */
export function countsList(counts: Map<number, number>, pages: number): number[] {
  return Array.from({ length: pages }, (_, i) => counts.get(i + 1) ?? 0);
}

const PWG = attr('document-format', mimeMediaType('image/pwg-raster'));

function jobIdOf(res: IppMessage, what: string): number {
  const id = numberValue(findAttr(res, 'job', 'job-id'));
  if (statusKeyword(res.code) !== 'successful-ok' || id === undefined) throw new Error(`${what}: ${statusKeyword(res.code)}`);
  return id;
}

/**
 * Print-Job held (job-hold-until indefinite), so the document is spooled, then Release-Job: a spooled job can be
 * printed again after the virtual engine (a link that is not kept open) vanishes.
 */
export async function printSpooled(uri: string, doc: FaultDocument, jobName: string): Promise<number> {
  const req = printerRequest(uri, IppOp.PrintJob, {
    operation: [attr('job-name', name(jobName)), PWG],
    job: [attr('job-hold-until', keyword('indefinite'))],
  });
  const id = jobIdOf(await ippCall(uri, req, doc.bytes), 'Print-Job');
  const release = await ippCall(uri, printerRequest(uri, IppOp.ReleaseJob, { operation: [attr('job-id', integer(id))] }));
  if (statusKeyword(release.code) !== 'successful-ok') throw new Error(`Release-Job: ${statusKeyword(release.code)}`);
  return id;
}

/**
 * Print-Job while the printer is idle: the document streams to the engine and the answer comes once printed.
 * `timeoutMs` is the client's own idle limit (default 60 s): raise it past a longer engine stall.
 */
export async function printStreamed(uri: string, doc: FaultDocument, jobName: string, timeoutMs = 60_000): Promise<number> {
  const req = printerRequest(uri, IppOp.PrintJob, { operation: [attr('job-name', name(jobName)), PWG] });
  const res = await postIpp(uri, Buffer.concat([encodeMessage(req), doc.bytes]), { timeoutMs });
  if (res.status !== 200 || !res.message) throw new Error(`Print-Job: HTTP ${res.status}`);
  return jobIdOf(res.message, 'Print-Job');
}

/** Poll `check` every 100 ms until it returns true; throws naming `what` after `timeoutMs`. */
export async function until(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(100);
  }
}
