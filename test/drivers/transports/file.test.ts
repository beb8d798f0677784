// The file transport: regular files (truncate, append, sync=1) and character devices (a real pty, /dev/null).
// SPDX-License-Identifier: Apache-2.0
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { pino } from 'pino';
import t from 'tap';
import { createFileTransport } from '../../../drivers/transports/file.js';
import { listUsblp } from '../../../drivers/transports/usblp.js';
import { ConfigError, TransportError } from '../../../src/errors.js';
import { PtyEngine } from '../../support/pty-engine.js';
import { mustHaveSocat, PtyPair, socatMissing } from '../../support/pty-pair.js';

const silent = pino({ level: 'silent' });
const missing = socatMissing();
if (missing !== undefined && mustHaveSocat()) t.fail(`CI=true needs socat for the device-file tests: ${missing}`);

type Tap = Pick<typeof t, 'teardown'>;

async function tempDir(t: Tap): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ippbridge-file-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function kindOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (err) {
    return err instanceof TransportError ? err.kind : err instanceof ConfigError ? 'config' : `other: ${String(err)}`;
  }
}

async function writeJob(uri: URL, data: Uint8Array): Promise<void> {
  const port = await createFileTransport().open(uri, {}, silent);
  for (let off = 0; off < data.length; off += port.preferredChunk) await port.write(data.subarray(off, off + port.preferredChunk));
  await port.drain();
  await port.close();
}

t.test('each open truncates a regular file and the written bytes are in it after drain', async (t) => {
  const dir = await tempDir(t);
  const uri = pathToFileURL(path.join(dir, 'out.prn'));
  await writeJob(uri, Buffer.from('an older, longer job'));
  const data = randomBytes(300_000);
  await writeJob(uri, data);
  t.ok((await readFile(path.join(dir, 'out.prn'))).equals(data), 'only the second job is in the file');
});

t.test('?append=1 appends to the file', async (t) => {
  const dir = await tempDir(t);
  await writeFile(path.join(dir, 'log.prn'), 'one|');
  const uri = new URL(`${pathToFileURL(path.join(dir, 'log.prn')).href}?append=1`);
  await writeJob(uri, Buffer.from('two|'));
  await writeJob(uri, Buffer.from('three'));
  t.equal(await readFile(path.join(dir, 'log.prn'), 'utf8'), 'one|two|three');
});

t.test('a missing parent directory or a directory path is a ConfigError that names it', async (t) => {
  const dir = await tempDir(t);
  const transport = createFileTransport();
  await t.rejects(transport.open(pathToFileURL(path.join(dir, 'nope', 'out.prn')), {}, silent), {
    name: 'ConfigError',
    message: new RegExp(`directory ${path.join(dir, 'nope')} does not exist`),
  });
  await mkdir(path.join(dir, 'sub'));
  await t.rejects(transport.open(pathToFileURL(path.join(dir, 'sub')), {}, silent), { name: 'ConfigError', message: /directory/ });
  await t.rejects(transport.open(new URL('file:///tmp/x?apend=1'), {}, silent), { message: /"apend" is unknown \(allowed: append/ });
  await t.rejects(transport.open(new URL('file://printhost/tmp/x'), {}, silent), { message: /local path/ });
});

t.test('a missing node under /dev is an absent device, never a new file', async (t) => {
  t.equal(await kindOf(createFileTransport().open(new URL('file:///dev/ippbridge-no-such-lp9'), {}, silent)), 'disconnected');
});

t.test('/dev/null is written as a character device', async (t) => {
  const port = await createFileTransport().open(new URL('file:///dev/null'), {}, silent);
  t.teardown(() => port.close());
  await port.write(randomBytes(200_000));
  await port.drain();
  t.equal(port.metrics.bytesWritten, 200_000);
});

t.test('a character device applies backpressure, cancels with an exact byte count and reads back', { skip: missing ?? false }, async (t) => {
  const dir = await tempDir(t);
  const pair = await PtyPair.start(dir);
  t.teardown(() => pair.kill());
  const engine = await PtyEngine.open({ path: pair.pathB, baud: 0 });
  t.teardown(() => engine.close());
  const port = await createFileTransport().open(pathToFileURL(pair.pathA), {}, silent);
  t.teardown(() => port.close());
  t.type(port.read, 'function', 'opened read-write');
  await port.write(Uint8Array.of(0x10, 0x04, 0x04));
  t.same([...(await port.read!(4, AbortSignal.timeout(2000)))], [0x12], 'status reply read back');
  engine.setPaused(true);
  const ac = new AbortController();
  const big = Buffer.alloc(1024 * 1024, 0x41);
  const writing = port.write(big, ac.signal);
  await sleep(300);
  ac.abort();
  const err = await writing.then(
    () => undefined,
    (e: unknown) => e,
  );
  t.ok(err instanceof TransportError && err.kind === 'canceled', 'canceled');
  const accepted = err instanceof TransportError ? err.bytesAccepted ?? -1 : -1;
  t.ok(accepted > 0 && accepted < big.length, `bytesAccepted says how far it got (${accepted})`);
  engine.setPaused(false);
  await engine.waitForBytes(3 + accepted);
  await sleep(100);
  t.equal(engine.bytesReceived, 3 + accepted, 'the engine got exactly the accepted bytes');
});

t.test('list() shows usblp printers with their sysfs device ID and never throws', async (t) => {
  const dir = await tempDir(t);
  await mkdir(path.join(dir, 'dev'));
  await writeFile(path.join(dir, 'dev', 'lp0'), '');
  await writeFile(path.join(dir, 'dev', 'lp1'), '');
  await writeFile(path.join(dir, 'dev', 'other'), '');
  await mkdir(path.join(dir, 'sys', 'lp0', 'device'), { recursive: true });
  await writeFile(path.join(dir, 'sys', 'lp0', 'device', 'ieee1284_id'), 'MFG:HP;MDL:LaserJet 4;CMD:PCL;\n');
  const found = await listUsblp(path.join(dir, 'dev'), path.join(dir, 'sys'));
  t.same(
    found.map((d) => [path.basename(d.uri), d.deviceId, d.description]),
    [
      ['lp0', 'MFG:HP;MDL:LaserJet 4;CMD:PCL;', 'USB printer LaserJet 4 (usblp lp0)'],
      ['lp1', undefined, 'USB printer (usblp lp1)'],
    ],
  );
  t.same(await listUsblp(path.join(dir, 'missing')), []);
  t.ok(Array.isArray(await createFileTransport().list()));
});
