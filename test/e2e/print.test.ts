// Printing end to end through the built server and the virtual engine: page PNGs identical to the source raster,
// broken documents abort only their job, and jobs survive kill -9 and restarts on the same state dir.
// SPDX-License-Identifier: Apache-2.0
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { attr, boolean, findAttr, integer, keyword, mimeMediaType, name, numberValue } from '../../src/ipp/build.js';
import { IppOp } from '../../src/ipp/ops.js';
import { statusKeyword } from '../../src/ipp/status.js';
import type { PwgRasterType } from '../../src/raster/types.js';
import { readPng } from '../support/png-reader.js';
import { encodePwgRasterStream, type StreamPage } from '../support/raster-writer.js';
import { generatePages } from '../support/samples.js';
import { ippCall, printerRequest, startServer, waitForJobState, type RunningServer } from '../support/server.js';

const COMPLETED = 9;
const ABORTED = 8;
const TERMINAL = [7, 8, 9];

function pwgBytes(pages: StreamPage[]): Buffer {
  return Buffer.concat([...encodePwgRasterStream(pages)]);
}

/** Print-Job a PWG raster document; returns the job id. */
async function printJob(t: Test, server: RunningServer, doc: Buffer, jobName: string): Promise<number> {
  const req = printerRequest(server.uri, IppOp.PrintJob, {
    operation: [attr('job-name', name(jobName)), attr('document-format', mimeMediaType('image/pwg-raster'))],
  });
  const res = await ippCall(server.uri, req, doc);
  t.equal(statusKeyword(res.code), 'successful-ok', `Print-Job ${jobName} accepted`);
  const id = numberValue(findAttr(res, 'job', 'job-id'));
  if (id === undefined) throw new Error(`no job-id in the Print-Job response (${statusKeyword(res.code)})`);
  return id;
}

function reasonsOf(res: Awaited<ReturnType<typeof ippCall>>): string[] {
  return (findAttr(res, 'job', 'job-state-reasons')?.values ?? []).map((v) => ('value' in v ? String(v.value) : ''));
}

/** Compare every PNG row of every page with the generated source rows; black_1 PNGs are inverted (1 = white). */
function comparePages(t: Test, server: RunningServer, jobId: number, pages: StreamPage[]): void {
  pages.forEach((sp, i) => {
    const file = join(server.stateDir, 'output', `job-${jobId}-page-${i + 1}.png`);
    if (!existsSync(file)) {
      t.fail(`page ${i + 1} was written to ${file}`);
      return;
    }
    const png = readPng(readFileSync(file));
    t.same([png.width, png.height], [sp.page.width, sp.page.height], `page ${i + 1} has the source size`);
    let bad = -1;
    for (let y = 0; y < sp.page.height && bad < 0; y++) {
      const want = Buffer.from(sp.row(y));
      if (sp.page.type === 'black_1') for (let k = 0; k < want.length; k++) want[k] = ~want[k]! & 0xff;
      if (!png.pixels.subarray(y * png.rowBytes, (y + 1) * png.rowBytes).equals(want)) bad = y;
    }
    t.equal(bad, -1, `page ${i + 1}: every row is pixel-identical (first differing row ${bad})`);
  });
  const extra = join(server.stateDir, 'output', `job-${jobId}-page-${pages.length + 1}.png`);
  t.notOk(existsSync(extra), 'no extra page was printed');
}

t.test('Print-Job of multi-page PWG raster prints one pixel-identical PNG per page', async (t) => {
  const server = await startServer();
  t.teardown(() => server.stop());
  for (const type of ['black_1', 'sgray_8', 'srgb_8'] as PwgRasterType[]) {
    const pages = generatePages({ type, dpi: 150, media: 'letter', pages: 3, seed: 5 });
    const id = await printJob(t, server, pwgBytes(pages), `pixels-${type}`);
    const done = await waitForJobState(server.uri, id, TERMINAL);
    t.equal(numberValue(findAttr(done, 'job', 'job-state')), COMPLETED, `${type} job completed`);
    comparePages(t, server, id, pages);
  }
});

t.test('a broken document aborts its job with document-format-error and the next job prints', async (t) => {
  const server = await startServer();
  t.teardown(() => server.stop());
  const good = pwgBytes(generatePages({ type: 'sgray_8', dpi: 150, media: 'letter', pages: 1, widthPx: 200, heightPx: 100 }));
  const broken = Buffer.from(good);
  broken.writeUInt32BE(7, 4 + 392); // BytesPerLine no longer matches Width x BitsPerPixel
  const req = printerRequest(server.uri, IppOp.PrintJob, { operation: [attr('document-format', mimeMediaType('image/pwg-raster'))] });
  const res = await ippCall(server.uri, req, broken);
  const status = statusKeyword(res.code);
  if (status === 'successful-ok') {
    const id = numberValue(findAttr(res, 'job', 'job-id')) ?? 0;
    const done = await waitForJobState(server.uri, id, TERMINAL);
    t.equal(numberValue(findAttr(done, 'job', 'job-state')), ABORTED, 'the job is aborted');
    t.ok(reasonsOf(done).includes('document-format-error'), `job-state-reasons ${reasonsOf(done).join(',')} has document-format-error`);
  } else {
    t.equal(status, 'client-error-document-format-error', 'or the request is refused as a document format error');
  }
  const printer = await ippCall(server.uri, printerRequest(server.uri, IppOp.GetPrinterAttributes, {
    operation: [attr('requested-attributes', keyword('printer-state'), keyword('printer-is-accepting-jobs'))],
  }));
  t.ok([3, 4].includes(numberValue(findAttr(printer, 'printer', 'printer-state')) ?? 0), 'the printer is idle or busy, not stopped');
  const next = await printJob(t, server, good, 'after-broken');
  const done = await waitForJobState(server.uri, next, TERMINAL);
  t.equal(numberValue(findAttr(done, 'job', 'job-state')), COMPLETED, 'the next job completes');
});

t.test('completed jobs are still listed after kill -9 and a restart', async (t) => {
  const stateDir = await mkdtemp(join(tmpdir(), 'ippbridge-e2e-'));
  t.teardown(() => rm(stateDir, { recursive: true, force: true }));
  const first = await startServer({ stateDir });
  t.teardown(() => first.stop());
  const doc = pwgBytes(generatePages({ type: 'black_1', dpi: 150, media: 'letter', pages: 1, widthPx: 160, heightPx: 80 }));
  const id = await printJob(t, first, doc, 'before-kill');
  await waitForJobState(first.uri, id, [COMPLETED]);
  await first.kill9();
  const second = await startServer({ stateDir });
  t.teardown(() => second.stop());
  const res = await ippCall(second.uri, printerRequest(second.uri, IppOp.GetJobs, {
    operation: [attr('which-jobs', keyword('completed')), attr('requested-attributes', keyword('job-id'), keyword('job-state'))],
  }));
  const ids = res.groups.filter((g) => g.tag === 'job').map((g) => numberValue(g.attributes.find((a) => a.name === 'job-id')));
  t.ok(ids.includes(id), `Get-Jobs which-jobs=completed lists job ${id} (got ${ids.join(',')})`);
});

t.test('a job accepted while the engine has no media survives kill -9 and prints after the fault clears', async (t) => {
  const stateDir = await mkdtemp(join(tmpdir(), 'ippbridge-e2e-'));
  t.teardown(() => rm(stateDir, { recursive: true, force: true }));
  const faults = join(stateDir, 'virtual-engine.json');
  await writeFile(faults, JSON.stringify({ 'state-reasons': ['media-empty'] }));
  const first = await startServer({ stateDir });
  t.teardown(() => first.stop());
  const create = await ippCall(first.uri, printerRequest(first.uri, IppOp.CreateJob, { operation: [attr('job-name', name('held'))] }));
  t.equal(statusKeyword(create.code), 'successful-ok', 'Create-Job accepted while media is empty');
  const id = numberValue(findAttr(create, 'job', 'job-id')) ?? 0;
  const pages = generatePages({ type: 'srgb_8', dpi: 150, media: 'letter', pages: 2, widthPx: 120, heightPx: 90 });
  const send = await ippCall(
    first.uri,
    printerRequest(first.uri, IppOp.SendDocument, {
      operation: [attr('job-id', integer(id)), attr('document-format', mimeMediaType('image/pwg-raster')), attr('last-document', boolean(true))],
    }),
    pwgBytes(pages),
  );
  t.equal(statusKeyword(send.code), 'successful-ok', 'Send-Document accepted while media is empty');
  const held = await ippCall(first.uri, printerRequest(first.uri, IppOp.GetJobAttributes, { operation: [attr('job-id', integer(id))] }));
  t.notOk(TERMINAL.includes(numberValue(findAttr(held, 'job', 'job-state')) ?? 0), 'the job waits for media');
  await first.kill9();
  await writeFile(faults, '{}');
  const second = await startServer({ stateDir });
  t.teardown(() => second.stop());
  const done = await waitForJobState(second.uri, id, TERMINAL, 30_000);
  t.equal(numberValue(findAttr(done, 'job', 'job-state')), COMPLETED, 'the job completes after the restart');
  comparePages(t, second, id, pages);
});

t.test('kill -9 while a job is printing leaves a state dir the server restarts from', async (t) => {
  const stateDir = await mkdtemp(join(tmpdir(), 'ippbridge-e2e-'));
  t.teardown(() => rm(stateDir, { recursive: true, force: true }));
  // Throttle the virtual engine so the job is still printing when the server is killed.
  await writeFile(join(stateDir, 'virtual-engine.json'), JSON.stringify({ 'pace-bytes-per-second': 5000 }));
  const first = await startServer({ stateDir });
  t.teardown(() => first.stop());
  const create = await ippCall(first.uri, printerRequest(first.uri, IppOp.CreateJob, { operation: [attr('job-name', name('killed'))] }));
  const id = numberValue(findAttr(create, 'job', 'job-id')) ?? 0;
  // The document streams into the engine with backpressure: send it without waiting for the answer.
  const doc = pwgBytes(generatePages({ type: 'sgray_8', dpi: 150, media: 'letter', pages: 3, seed: 9 }));
  const sending = ippCall(
    first.uri,
    printerRequest(first.uri, IppOp.SendDocument, {
      operation: [attr('job-id', integer(id)), attr('document-format', mimeMediaType('image/pwg-raster')), attr('last-document', boolean(true))],
    }),
    doc,
  ).catch((err: unknown) => err);
  await waitForJobState(first.uri, id, [5], 10_000);
  await first.kill9();
  await sending;
  await writeFile(join(stateDir, 'virtual-engine.json'), '{}');
  const second = await startServer({ stateDir });
  t.teardown(() => second.stop());
  // A new job must not wait behind the interrupted one.
  const small = pwgBytes(generatePages({ type: 'sgray_8', dpi: 150, media: 'letter', pages: 1, widthPx: 64, heightPx: 64 }));
  const next = await printJob(t, second, small, 'after-restart');
  const done = await waitForJobState(second.uri, next, TERMINAL, 20_000);
  t.equal(numberValue(findAttr(done, 'job', 'job-state')), COMPLETED, 'a new job prints after the restart');
  // The interrupted job ends at once after the restart (aborted-by-system; completed if its data was all spooled),
  // not after multiple-operation-time-out.
  const after = await waitForJobState(second.uri, id, TERMINAL, 15_000);
  const state = numberValue(findAttr(after, 'job', 'job-state')) ?? 0;
  t.ok(TERMINAL.includes(state), `the interrupted job ended in state ${state} (${reasonsOf(after).join(',')})`);
});
