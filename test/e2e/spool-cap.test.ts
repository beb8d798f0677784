// The spool cap end to end (issue 8 item 2): with a small spool.max-bytes and a slow engine, the spool fills, new jobs
// get server-error-busy and printer-state-reasons spool-area-full, the printer keeps answering, and the reason clears
// once spooled jobs have printed.
// SPDX-License-Identifier: Apache-2.0
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import t from 'tap';
import { encodePwgRasterStream, seededRandom, type StreamPage } from '../support/raster-writer.js';
import { getJob, printerReasons, printJob } from '../support/kill-harness-checks.js';
import { startServer } from '../support/server.js';

/** A one-page PWG raster document of random gray pixels (about 20 KB, sent in one buffered request). */
function document(seed: number): Uint8Array {
  const rnd = seededRandom(seed);
  const page: StreamPage = {
    page: { width: 200, height: 100, type: 'sgray_8', xDpi: 150, yDpi: 150, pageSizeName: 'na_letter_8.5x11in' },
    row: () => Uint8Array.from({ length: 200 }, () => Math.floor(rnd() * 256)),
  };
  return Buffer.concat([...encodePwgRasterStream([page])]);
}

t.test('a full spool answers server-error-busy with spool-area-full and clears after jobs print', async (t) => {
  const stateDir = await mkdtemp(join(tmpdir(), 'ippbridge-spool-'));
  t.teardown(() => rm(stateDir, { recursive: true, force: true }));
  const doc = document(1);
  // Room for two spooled documents, not three; the engine takes about 1.5 s per job.
  const board = join(stateDir, 'board.json');
  await writeFile(board, JSON.stringify({ name: 'spool test', engine: { driver: 'virtual', uri: 'virtual:' }, spool: { 'max-bytes': doc.length * 2 + 1000 } }));
  await writeFile(join(stateDir, 'virtual-engine.json'), JSON.stringify({ 'pace-bytes-per-second': 15_000 }));
  const server = await startServer({ stateDir, args: ['--board', board] });
  t.teardown(() => server.stop());

  // The first job streams to the engine (its answer comes when printed); the next two fill the spool.
  const streaming = printJob(server.uri, doc, 'streams');
  await delay(300);
  const spooled = [await printJob(server.uri, doc, 'spooled-1'), await printJob(server.uri, doc, 'spooled-2')];
  t.same(spooled.map((r) => r.status), ['successful-ok', 'successful-ok'], 'two documents fit in the spool');
  t.notOk((await printerReasons(server.uri)).includes('spool-area-full'), 'not full yet');

  const over = await printJob(server.uri, doc, 'over');
  t.equal(over.status, 'server-error-busy', 'the document that does not fit gets server-error-busy');
  t.ok((await printerReasons(server.uri)).includes('spool-area-full'), 'printer-state-reasons shows spool-area-full');
  const refused = await printJob(server.uri, doc, 'refused');
  t.equal(refused.status, 'server-error-busy', 'new jobs are refused while the spool is full');
  t.equal(refused.id, undefined, 'no job was created for the refused request');

  // Space frees as spooled jobs print; the reason clears and a new job is accepted.
  const first = spooled[0]?.id ?? 0;
  for (let i = 0; i < 200 && (await getJob(server.uri, first))?.state !== 9; i++) await delay(100);
  t.equal((await getJob(server.uri, first))?.state, 9, 'the first spooled job printed');
  // The job shows completed as soon as it ends; its spool file goes right after its record is saved.
  let reasons = await printerReasons(server.uri);
  for (let i = 0; i < 50 && reasons.includes('spool-area-full'); i++) reasons = await delay(100).then(() => printerReasons(server.uri));
  t.notOk(reasons.includes('spool-area-full'), 'spool-area-full cleared once space freed');
  const after = await printJob(server.uri, doc, 'after');
  t.equal(after.status, 'successful-ok', 'a new job is accepted again');
  t.equal((await streaming).status, 'successful-ok', 'the streamed job completed');
  for (const id of [spooled[1]?.id ?? 0, after.id ?? 0]) {
    for (let i = 0; i < 200 && (await getJob(server.uri, id))?.state !== 9; i++) await delay(100);
    t.equal((await getJob(server.uri, id))?.state, 9, `job ${id} printed`);
  }
});
