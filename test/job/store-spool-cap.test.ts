// The spool cap: counting, server-error-busy on overflow, spool-area-full set and cleared, and the board config field.
// SPDX-License-Identifier: Apache-2.0
import pino from 'pino';
import t from 'tap';
import { parseBoardConfig } from '../../src/config.js';
import { IppError } from '../../src/errors.js';
import { DEFAULT_SPOOL_MAX_BYTES, SpoolCap, isNoSpace } from '../../src/job/spool-cap.js';
import { PrinterState } from '../../src/printer/state.js';

const silent = pino({ level: 'silent' });

async function drain(source: AsyncIterable<Uint8Array>): Promise<number> {
  let n = 0;
  for await (const c of source) n += c.length;
  return n;
}

async function* bytes(...sizes: number[]): AsyncGenerator<Uint8Array> {
  for (const s of sizes) yield new Uint8Array(s);
}

t.test('a document that passes the cap fails with server-error-busy and shows spool-area-full', async (t) => {
  const state = new PrinterState(new Date(), []);
  const cap = new SpoolCap(100, state, silent);
  t.equal(await drain(cap.meter(1, bytes(30, 30))), 60);
  t.notOk(cap.isFull);
  const err = await drain(cap.meter(2, bytes(30, 30))).catch((e: unknown) => e);
  t.ok(err instanceof IppError && err.status === 'server-error-busy', 'server-error-busy');
  t.ok(cap.isFull);
  t.ok(state.reasons.includes('spool-area-full'));
  cap.release(2, 'dropped');
  t.ok(cap.isFull, 'dropping the cut-off upload alone does not clear it while other documents wait');
  cap.release(1, 'job-ended');
  t.notOk(cap.isFull, 'a job that ended freed space');
  t.notOk(state.reasons.includes('spool-area-full'));
  t.equal(cap.usedBytes, 0);
});

t.test('an empty spool clears spool-area-full and a zero cap means no limit of our own', async (t) => {
  const state = new PrinterState(new Date(), []);
  const cap = new SpoolCap(10, state, silent);
  await t.rejects(drain(cap.meter(1, bytes(11))));
  cap.release(1, 'dropped');
  t.notOk(cap.isFull);
  const open = new SpoolCap(0, state, silent);
  t.equal(await drain(open.meter(1, bytes(1 << 20, 1 << 20))), 2 << 20);
  open.markFull('ENOSPC');
  t.ok(state.reasons.includes('spool-area-full'), 'the disk running out still shows the reason');
  open.release(1, 'job-ended');
  t.notOk(state.reasons.includes('spool-area-full'));
});

t.test('documents on disk at start-up count, and a spool at its cap starts full', async (t) => {
  const cap = new SpoolCap(50, new PrinterState(new Date(), []), silent);
  cap.track(3, 20);
  t.notOk(cap.isFull);
  cap.track(4, 30);
  t.ok(cap.isFull);
});

t.test('ENOSPC anywhere in the cause chain counts as no space', async (t) => {
  const enospc = Object.assign(new Error('no space'), { code: 'ENOSPC' });
  t.ok(isNoSpace(new Error('wrapped', { cause: enospc })));
  t.notOk(isNoSpace(new Error('other')));
});

t.test('the board config spool.max-bytes defaults to 256 MiB, accepts 0 and rejects bad values', async (t) => {
  const base = { name: 'p', engine: { driver: 'virtual', uri: 'virtual:' } };
  t.equal(parseBoardConfig(base, 'b.json').spool?.maxBytes, DEFAULT_SPOOL_MAX_BYTES);
  t.equal(parseBoardConfig({ ...base, spool: { 'max-bytes': 0 } }, 'b.json').spool?.maxBytes, 0);
  t.throws(() => parseBoardConfig({ ...base, spool: { 'max-bytes': -1 } }, 'b.json'), { name: 'ConfigError', message: /\/spool\/max-bytes/ });
  t.throws(() => parseBoardConfig({ ...base, spool: { max: 1 } }, 'b.json'), { name: 'ConfigError', message: /unknown field \/spool\/max/ });
});
