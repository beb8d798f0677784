// The serial transport end to end through a real socat pty pair, with a paced fake engine on the far end.
// SPDX-License-Identifier: Apache-2.0
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino, type Logger } from 'pino';
import t from 'tap';
import { createSerialTransport } from '../../../drivers/transports/serial.js';
import type { TransportPort } from '../../../drivers/transports/transport.js';
import { TransportError } from '../../../src/errors.js';
import { PtyEngine, type PtyEngineOptions } from '../../support/pty-engine.js';
import { mustHaveSocat, PtyPair, socatMissing } from '../../support/pty-pair.js';

const missing = socatMissing();
if (missing !== undefined && mustHaveSocat()) t.fail(`CI=true needs socat for the serial tests: ${missing}`);
const skip = missing ?? false;

type Tap = Pick<typeof t, 'teardown'>;

function sinkLogger(): { log: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const text of chunk.toString('utf8').split('\n')) if (text) lines.push(JSON.parse(text) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ level: 'debug' }, sink), lines };
}

interface Rig {
  readonly pair: PtyPair;
  readonly engine: PtyEngine;
  readonly port: TransportPort;
  readonly uri: URL;
}

async function rig(t: Tap, baud: number, engineOpts: Partial<PtyEngineOptions> = {}, query = ''): Promise<Rig> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ippbridge-serial-'));
  const pair = await PtyPair.start(dir);
  const engines: PtyEngine[] = [];
  const engine = await PtyEngine.open({ path: pair.pathB, baud, ...engineOpts });
  engines.push(engine);
  const uri = new URL(`serial://${pair.pathA}?baud=${baud}${query}`);
  const port = await createSerialTransport().open(uri, {}, pino({ level: 'silent' }));
  t.teardown(async () => {
    await port.close();
    for (const e of engines) await e.close();
    await pair.kill();
    await rm(dir, { recursive: true, force: true });
  });
  return { pair, engine, port, uri };
}

/** Write chunks until one stays pending for `quietMs`; returns it and the bytes accepted before it. */
async function fillUntilBlocked(port: TransportPort, signal?: AbortSignal, quietMs = 200): Promise<{ pending: Promise<void>; accepted: number }> {
  const chunk = Buffer.alloc(1024, 0x55);
  let accepted = 0;
  for (let i = 0; i < 1024; i++) {
    const pending = port.write(chunk, signal);
    const isDone = await Promise.race([pending.then(() => true), sleep(quietMs, false)]);
    if (!isDone) return { pending, accepted };
    accepted += chunk.length;
  }
  throw new Error('writes never blocked');
}

async function kindOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (err) {
    return err instanceof TransportError ? err.kind : `other: ${String(err)}`;
  }
}

t.test('bytes arrive intact and in order, never faster than the engine baud rate', { skip }, async (t) => {
  const { engine, port } = await rig(t, 115200);
  t.equal(port.preferredChunk, 576, 'chunk is 1/20 s of 115200 baud');
  const data = randomBytes(4000);
  for (let off = 0; off < data.length; off += port.preferredChunk) await port.write(data.subarray(off, off + port.preferredChunk));
  await port.drain();
  await engine.waitForBytes(data.length);
  t.ok(engine.received.equals(data), 'same bytes in the same order');
  t.equal(port.metrics.bytesWritten, data.length);
  const stats = engine.stats();
  t.ok(stats.rate <= engine.rate * 1.1, `paced: ${Math.round(stats.rate)} B/s <= ${engine.rate} B/s`);
});

t.test('a write stays pending while the engine is stalled, and completes when it resumes', { skip }, async (t) => {
  const { engine, port } = await rig(t, 921600);
  engine.setPaused(true);
  const { pending, accepted } = await fillUntilBlocked(port);
  t.ok(accepted > 0 && accepted < 256 * 1024, `OS accepted a bounded amount (${accepted} bytes) before blocking`);
  engine.setPaused(false);
  await pending;
  await engine.waitForBytes(accepted + 1024);
  t.equal(engine.bytesReceived, accepted + 1024, 'every accepted byte arrived once');
});

t.test('paper out mid-job holds the write until paper is loaded', { skip }, async (t) => {
  const { engine, port } = await rig(t, 921600);
  await port.write(Buffer.alloc(2000, 0x41));
  await engine.waitForBytes(2000);
  engine.setState({ paperOut: true });
  const { pending, accepted } = await fillUntilBlocked(port);
  const stuckAt = engine.bytesReceived;
  await sleep(150);
  t.equal(engine.bytesReceived, stuckAt, 'engine takes no bytes while out of paper');
  engine.setState({ paperOut: false });
  await pending;
  await engine.waitForBytes(2000 + accepted + 1024);
  t.equal(engine.bytesReceived, 2000 + accepted + 1024, 'the job went on without loss');
});

t.test('an AbortSignal cancels a pending write and discard() drops what was queued', { skip }, async (t) => {
  const { engine, port } = await rig(t, 921600);
  engine.setPaused(true);
  const ac = new AbortController();
  const { pending, accepted } = await fillUntilBlocked(port, ac.signal);
  ac.abort();
  const outcome = await Promise.race([kindOf(pending), sleep(2000, 'still pending')]);
  t.equal(outcome, 'canceled', 'pending write rejected as canceled');
  await port.discard();
  engine.setPaused(false);
  const marker = Buffer.from('AFTER-CANCEL');
  await port.write(marker);
  await port.drain();
  await engine.waitForBytes(marker.length);
  await sleep(300);
  const got = engine.received;
  t.ok(got.subarray(got.length - marker.length).equals(marker), 'the port still works after discard');
  t.ok(got.length - marker.length < accepted, `discard dropped queued bytes (${got.length - marker.length} of ${accepted} arrived)`);
});

t.test('the engine vanishing mid-write rejects with disconnected and aborts port.disconnected', { skip }, async (t) => {
  const { engine, pair, port } = await rig(t, 921600);
  engine.setPaused(true);
  const { pending } = await fillUntilBlocked(port);
  await engine.close();
  await pair.kill();
  t.equal(await Promise.race([kindOf(pending), sleep(3000, 'still pending')]), 'disconnected');
  t.ok(port.disconnected.aborted, 'disconnected signal aborted');
  t.ok(port.disconnected.reason instanceof TransportError, 'with a TransportError');
  t.equal(port.isOpen, false);
  t.equal(await kindOf(port.write(Buffer.from('x'))), 'disconnected', 'later writes reject too');
});

t.test('open() waits for a missing device node and connects when the link comes back', { skip }, async (t) => {
  const { engine, pair, port, uri } = await rig(t, 115200);
  await engine.close();
  await pair.kill();
  await sleep(100);
  t.ok(port.disconnected.aborted, 'hang-up noticed without a write');
  const { log, lines } = sinkLogger();
  let isOpen = false;
  const opening = createSerialTransport()
    .open(uri, {}, log)
    .then((p) => ((isOpen = true), p));
  await sleep(1200);
  t.equal(isOpen, false, 'still waiting while the node is missing');
  await pair.restart();
  const again = await opening;
  t.teardown(() => again.close());
  const engine2 = await PtyEngine.open({ path: pair.pathB, baud: 115200 });
  t.teardown(() => engine2.close());
  await again.write(Buffer.from('back again'));
  await engine2.waitForBytes(10);
  t.equal(engine2.received.toString(), 'back again');
  t.equal(lines.filter((l) => l['msg'] === 'serial device missing; waiting for it').length, 1, 'logged once');
});

t.test('open() gives up with canceled when its signal aborts while waiting', { skip }, async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'ippbridge-serial-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const ac = new AbortController();
  const opening = createSerialTransport().open(new URL(`serial://${dir}/nothing`), {}, pino({ level: 'silent' }), ac.signal);
  setTimeout(() => ac.abort(), 100);
  t.equal(await kindOf(opening), 'canceled');
});

t.test('read() returns the engine status reply to DLE EOT', { skip }, async (t) => {
  const { engine, port } = await rig(t, 115200, { stallOnPaperOut: false });
  t.type(port.read, 'function', 'serial ports read back');
  await port.write(Uint8Array.of(0x10, 0x04, 0x04));
  t.same([...(await port.read!(8, AbortSignal.timeout(2000)))], [0x12], 'paper present');
  engine.setState({ paperOut: true });
  await port.write(Uint8Array.of(0x10, 0x04, 0x04));
  t.same([...(await port.read!(8, AbortSignal.timeout(2000)))], [0x72], 'paper end bits set');
  await port.write(Uint8Array.of(0x10, 0x04, 0x01));
  t.same([...(await port.read!(8, AbortSignal.timeout(2000)))], [0x1a], 'offline bit set');
});

t.test('read() rejects with timeout when the engine does not answer', { skip }, async (t) => {
  const { port } = await rig(t, 115200, { queries: [] }, '&read-timeout=0.2');
  t.equal(await kindOf(port.read!(1)), 'timeout', 'port read timeout');
  t.equal(await kindOf(port.read!(1, AbortSignal.timeout(50))), 'timeout', 'caller timeout signal');
  const ac = new AbortController();
  const reading = port.read!(1, ac.signal);
  ac.abort();
  t.equal(await kindOf(reading), 'canceled', 'caller abort');
});
