// Engine faults end to end on a serial engine behind a real socat pty pair (issue 8 item 3): the ESC/POS receipt
// engine runs out of paper mid-job and stops taking bytes; the job waits without being aborted, and once paper is back
// it completes with every page printed exactly once.
// SPDX-License-Identifier: Apache-2.0
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import t from 'tap';
import { decodeEscpos } from '../support/escpos-decode.js';
import { getJob, printJob } from '../support/kill-harness-checks.js';
import { JOB_STATE, until } from '../support/fault-rig.js';
import { ESCPOS_STATUS_QUERIES, PtyEngine } from '../support/pty-engine.js';
import { PtyPair, mustHaveSocat, socatMissing } from '../support/pty-pair.js';
import { encodePwgRaster, type TestPage } from '../support/raster-writer.js';
import { startServer } from '../support/server.js';

/** A 576-dot receipt page at 203 dpi, all black (nothing skipped as paper feeds). */
function solidPage(height: number): TestPage {
  return { width: 576, height, type: 'black_1', xDpi: 203, yDpi: 203, pixels: new Uint8Array((576 / 8) * height).fill(0xff) };
}

t.test('paper out on a serial engine mid-job holds the job; with paper back it completes, each page once', async (t) => {
  const missing = socatMissing();
  if (missing) {
    if (mustHaveSocat()) t.fail(missing);
    else t.pass(missing, { skip: missing });
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'ippbridge-serial-faults-'));
  const pair = await PtyPair.start(dir);
  const baud = 230400;
  const engine = await PtyEngine.open({ path: pair.pathB, baud, queries: ESCPOS_STATUS_QUERIES, stallOnPaperOut: true });
  const server = await startServer({ args: ['--engine', `serial://${pair.pathA}?baud=${baud}`, '--driver', 'escpos'] });
  t.teardown(async () => {
    await server.stop();
    await engine.close();
    await pair.kill();
    await rm(dir, { recursive: true, force: true });
  });

  // Three pages of 57.6 KB at 23,040 B/s: paper runs out once 30 KB (inside page 1) have arrived.
  const pages = 3;
  const printing = printJob(server.uri, encodePwgRaster(Array.from({ length: pages }, () => solidPage(800))), 'paper-out');
  printing.catch(() => undefined);
  await engine.waitForBytes(30_000, 15_000);
  engine.setState({ paperOut: true });
  const before = engine.bytesReceived;
  await delay(3000);
  t.ok(engine.bytesReceived - before < 1024, 'the engine takes no bytes while out of paper');
  const waiting = await getJob(server.uri, 1);
  t.ok(waiting?.state === JOB_STATE.processing || waiting?.state === JOB_STATE.processingStopped, 'the job waits, not aborted');

  engine.setState({ paperOut: false });
  const answer = await printing;
  t.equal(answer.status, 'successful-ok', 'Print-Job answers once the job printed');
  await until('the job to complete', async () => (await getJob(server.uri, 1))?.state === JOB_STATE.completed, 60_000);
  await until('the last page to arrive cut', async () => {
    try {
      return decodeEscpos(engine.received).sheets.at(-1)?.isCut === true;
    } catch {
      return false;
    }
  }, 30_000);
  const sheets = decodeEscpos(engine.received).sheets;
  t.equal(sheets.length, pages, 'every page exactly once');
  t.ok(sheets.every((s) => s.isCut && s.rows.filter((row) => row.some((b) => b !== 0)).length === 800), 'each page whole');
});
