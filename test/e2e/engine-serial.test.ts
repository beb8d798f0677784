// End to end through the built server and a real socat pty pair: an ESC/POS receipt engine on `serial:`, paced to its
// baud rate. A job arrives as ESC/POS raster; paper-out reaches printer-state-reasons; an engine unplugged mid-job
// holds the job (offline-report) and, plugged back, the job is printed again from the interrupted page and completes.
// SPDX-License-Identifier: Apache-2.0
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { attr, boolean, findAttr, integer, mimeMediaType, name, numberValue } from '../../src/ipp/build.js';
import { IppOp } from '../../src/ipp/ops.js';
import { statusKeyword } from '../../src/ipp/status.js';
import { decodeEscpos } from '../support/escpos-decode.js';
import { ESCPOS_STATUS_QUERIES, PtyEngine } from '../support/pty-engine.js';
import { PtyPair, mustHaveSocat, socatMissing } from '../support/pty-pair.js';
import { encodePwgRaster, type TestPage } from '../support/raster-writer.js';
import { ippCall, printerRequest, startServer, waitForJobState, type RunningServer } from '../support/server.js';

const PROCESSING = 5;
const STOPPED = 6;
const COMPLETED = 9;

/** A 576-dot receipt page at 203 dpi with a black bar every `period` rows (1: all black, nothing to skip as feeds). */
function receiptPage(height: number, period = 16): TestPage {
  const bytes = 576 / 8;
  const pixels = new Uint8Array(bytes * height);
  for (let y = 0; y < height; y += period) pixels.fill(0xff, y * bytes, y * bytes + bytes * Math.min(4, period));
  return { width: 576, height, type: 'black_1', xDpi: 203, yDpi: 203, pixels };
}

async function rig(t: Test, baud: number): Promise<{ pair: PtyPair; engine: () => PtyEngine; replug: () => Promise<void>; server: RunningServer } | undefined> {
  const missing = socatMissing();
  if (missing) {
    if (mustHaveSocat()) t.fail(missing);
    else t.pass(missing, { skip: missing });
    return undefined;
  }
  const dir = await mkdtemp(join(tmpdir(), 'ippbridge-serial-e2e-'));
  const pair = await PtyPair.start(dir);
  // A real receipt printer answers DLE EOT even while it is out of paper.
  let engine = await PtyEngine.open({ path: pair.pathB, baud, queries: ESCPOS_STATUS_QUERIES, stallOnPaperOut: false });
  const server = await startServer({ args: ['--engine', `serial://${pair.pathA}?baud=${baud}`, '--driver', 'escpos'] });
  t.teardown(async () => {
    await server.stop();
    await engine.close();
    await pair.kill();
    await rm(dir, { recursive: true, force: true });
  });
  const replug = async (): Promise<void> => {
    await pair.restart();
    engine = await PtyEngine.open({ path: pair.pathB, baud, queries: ESCPOS_STATUS_QUERIES });
  };
  return { pair, engine: () => engine, replug, server };
}

async function printerReasons(server: RunningServer): Promise<string[]> {
  const res = await ippCall(server.uri, printerRequest(server.uri, IppOp.GetPrinterAttributes));
  return (findAttr(res, 'printer', 'printer-state-reasons')?.values ?? []).map((v) => ('value' in v ? String(v.value) : ''));
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The engine's bytes decoded, once they end with a cut page (the pty pair buffers ~20 KB past the host's drain). */
async function cutOutput(engine: () => PtyEngine): Promise<ReturnType<typeof decodeEscpos>> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const decoded = decodeEscpos(engine().received);
      if (decoded.sheets.at(-1)?.isCut === true) return decoded;
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
    if (Date.now() > deadline) throw new Error('the engine never got a complete, cut page');
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function printJob(t: Test, server: RunningServer, doc: Buffer): Promise<number> {
  const req = printerRequest(server.uri, IppOp.CreateJob, { operation: [attr('job-name', name('receipt'))] });
  const created = await ippCall(server.uri, req);
  t.equal(statusKeyword(created.code), 'successful-ok');
  const id = numberValue(findAttr(created, 'job', 'job-id')) ?? 0;
  const send = printerRequest(server.uri, IppOp.SendDocument, {
    operation: [attr('job-id', integer(id)), attr('document-format', mimeMediaType('image/pwg-raster')), attr('last-document', boolean(true))],
  });
  // Send-Document answers once the document is spooled or printed; do not wait for it here.
  void ippCall(server.uri, send, doc).catch(() => undefined);
  return id;
}

t.test('a job reaches the receipt engine as ESC/POS raster with a cut', async (t) => {
  const r = await rig(t, 921600);
  if (!r) return;
  const page = receiptPage(200);
  const id = await printJob(t, r.server, encodePwgRaster([page]));
  await waitForJobState(r.server.uri, id, [COMPLETED]);
  const decoded = await cutOutput(r.engine);
  t.equal(decoded.bytesPerRow, 72, '576 dots per row');
  const sheet = decoded.sheets[0];
  t.ok(sheet?.isCut, 'the page is cut');
  const inked = (sheet?.rows ?? []).filter((row) => row.some((b) => b !== 0)).length;
  t.equal(inked, Math.ceil(200 / 16) * 4, 'every black row arrived');
});

t.test('paper out at the engine shows as media-empty in printer-state-reasons, and clears', async (t) => {
  const r = await rig(t, 921600);
  if (!r) return;
  r.engine().setState({ paperOut: true });
  await until('media-empty', async () => (await printerReasons(r.server)).some((x) => x.startsWith('media-empty')));
  r.engine().setState({ paperOut: false });
  await until('media-empty to clear', async () => !(await printerReasons(r.server)).some((x) => x.startsWith('media-empty')));
  t.pass('engine status followed the engine');
});

t.test('an engine unplugged mid-job holds the job; plugged back, the job completes', async (t) => {
  const r = await rig(t, 230400);
  if (!r) return;
  // Three solid pages of 57.6 KB each at 23,040 B/s (the pty pair buffers ~20 KB): the plug is pulled mid-job.
  const doc = encodePwgRaster([receiptPage(800, 1), receiptPage(800, 1), receiptPage(800, 1)]);
  const id = await printJob(t, r.server, doc);
  await waitForJobState(r.server.uri, id, [PROCESSING]);
  await r.engine().waitForBytes(30_000, 15_000);
  await r.engine().close();
  await r.pair.kill();
  const held = await waitForJobState(r.server.uri, id, [STOPPED]);
  t.ok(numberValue(findAttr(held, 'job', 'job-state')) === STOPPED, 'the job is held while the engine is away');
  await until('offline-report', async () => (await printerReasons(r.server)).includes('offline-report'));
  await r.replug();
  await waitForJobState(r.server.uri, id, [COMPLETED], 60_000);
  const decoded = await cutOutput(r.engine);
  t.ok(decoded.sheets.length >= 1 && decoded.sheets.length <= 3, `the replugged engine got the interrupted page onward (${decoded.sheets.length} pages)`);
  t.notOk((await printerReasons(r.server)).includes('offline-report'), 'offline-report cleared');
});
