// The AppSocket transport against a loopback TCP engine (127.0.0.1, port 0).
// SPDX-License-Identifier: Apache-2.0
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import t from 'tap';
import { createSocketTransport } from '../../../drivers/transports/socket.js';
import type { TransportPort } from '../../../drivers/transports/transport.js';
import { ConfigError, TransportError } from '../../../src/errors.js';

type Tap = Pick<typeof t, 'teardown'>;
const silent = pino({ level: 'silent' });

/** A loopback engine: records bytes, answers DLE EOT 1 with 0x12, closes when the host half-closes (unless told not to). */
class TcpEngine {
  readonly server: net.Server;
  readonly chunks: Buffer[] = [];
  socket: net.Socket | undefined;
  sawEnd = false;
  constructor(opts: { closeOnEnd: boolean }) {
    this.server = net.createServer({ allowHalfOpen: true }, (socket) => {
      this.socket = socket;
      socket.on('error', () => undefined);
      socket.on('data', (chunk: Buffer) => {
        this.chunks.push(chunk);
        if (chunk.includes(Buffer.of(0x10, 0x04, 0x01))) socket.write(Buffer.of(0x12));
      });
      socket.on('end', () => {
        this.sawEnd = true;
        if (opts.closeOnEnd) socket.end();
      });
    });
  }
  get received(): Buffer {
    return Buffer.concat(this.chunks);
  }
  get url(): URL {
    const address = this.server.address() as net.AddressInfo;
    return new URL(`socket://127.0.0.1:${address.port}`);
  }
}

async function engine(t: Tap, closeOnEnd = true): Promise<TcpEngine> {
  const e = new TcpEngine({ closeOnEnd });
  e.server.listen(0, '127.0.0.1');
  await once(e.server, 'listening');
  t.teardown(() => {
    e.socket?.destroy();
    e.server.close();
  });
  return e;
}

async function open(t: Tap, uri: URL, waitEofMs?: number): Promise<TransportPort> {
  const port = await createSocketTransport(waitEofMs === undefined ? {} : { waitEofMs }).open(uri, {}, silent);
  t.teardown(() => port.close());
  return port;
}

async function fillUntilBlocked(port: TransportPort, signal?: AbortSignal): Promise<{ pending: Promise<void>; accepted: number }> {
  const chunk = Buffer.alloc(64 * 1024, 0x55);
  let accepted = 0;
  for (let i = 0; i < 4096; i++) {
    const pending = port.write(chunk, signal);
    if (!(await Promise.race([pending.then(() => true), sleep(200, false)]))) return { pending, accepted };
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

t.test('bytes arrive intact and close() waits for the engine to close after the half-close', async (t) => {
  const e = await engine(t);
  const port = await open(t, e.url);
  t.equal(port.preferredChunk, 64 * 1024);
  const data = randomBytes(1024 * 1024 + 17);
  for (let off = 0; off < data.length; off += port.preferredChunk) await port.write(data.subarray(off, off + port.preferredChunk));
  await port.drain();
  await port.close();
  t.ok(e.sawEnd, 'engine saw our half-close');
  t.ok(e.received.equals(data), 'same bytes in the same order');
  t.equal(port.metrics.bytesWritten, data.length);
});

t.test('close() gives up waiting for an engine that never closes, within its bound', async (t) => {
  const e = await engine(t, false);
  const port = await open(t, e.url, 200);
  await port.write(Buffer.from('job'));
  await port.close();
  t.ok(e.sawEnd, 'half-close sent');
  t.equal(port.isOpen, false);
});

t.test('a write stays pending while the engine does not read, and completes when it does', async (t) => {
  const e = await engine(t);
  const port = await open(t, e.url);
  await port.write(Buffer.from('x'));
  while (e.socket === undefined) await sleep(5);
  e.socket.pause();
  const { pending, accepted } = await fillUntilBlocked(port);
  t.ok(accepted < 64 * 1024 * 4096, `bounded: ${accepted} bytes taken before blocking`);
  e.socket.resume();
  await pending;
  await port.drain();
  await port.close();
  t.equal(e.received.length, 1 + accepted + 64 * 1024, 'every byte arrived');
});

t.test('an AbortSignal cancels a pending write; discard() resets the connection', async (t) => {
  const e = await engine(t);
  const port = await open(t, e.url);
  await port.write(Buffer.from('x'));
  while (e.socket === undefined) await sleep(5);
  e.socket.pause();
  const ac = new AbortController();
  const { pending } = await fillUntilBlocked(port, ac.signal);
  ac.abort();
  t.equal(await Promise.race([kindOf(pending), sleep(2000, 'still pending')]), 'canceled');
  await port.discard();
  t.equal(port.isOpen, false, 'the connection is gone');
  t.equal(await kindOf(port.write(Buffer.from('y'))), 'disconnected');
});

t.test('the engine dropping the connection mid-write rejects with disconnected', async (t) => {
  const e = await engine(t);
  const port = await open(t, e.url);
  await port.write(Buffer.from('x'));
  while (e.socket === undefined) await sleep(5);
  e.socket.pause();
  const { pending } = await fillUntilBlocked(port);
  e.socket.resetAndDestroy();
  t.equal(await Promise.race([kindOf(pending), sleep(3000, 'still pending')]), 'disconnected');
  t.ok(port.disconnected.aborted, 'disconnected signal aborted');
});

t.test('read() returns the engine reply on the same connection', async (t) => {
  const e = await engine(t);
  const port = await open(t, e.url);
  await port.write(Uint8Array.of(0x10, 0x04, 0x01));
  t.same([...(await port.read!(4, AbortSignal.timeout(2000)))], [0x12]);
  t.equal(await kindOf(port.read!(1, AbortSignal.timeout(50))), 'timeout', 'no second reply');
});

t.test('a refused connection rejects with disconnected', async (t) => {
  const e = await engine(t);
  const url = e.url;
  e.server.close();
  await once(e.server, 'close');
  t.equal(await kindOf(createSocketTransport().open(url, {}, silent)), 'disconnected');
});

t.test('bad socket URIs are ConfigErrors that say what is wrong', async (t) => {
  const transport = createSocketTransport();
  await t.rejects(transport.open(new URL('socket:///'), {}, silent), { name: 'ConfigError', message: /needs a host/ });
  await t.rejects(transport.open(new URL('socket://127.0.0.1:9100?bogus=1'), {}, silent), ConfigError);
  await t.rejects(transport.open(new URL('socket://127.0.0.1:9100?waiteof=maybe'), {}, silent), {
    message: /URI option "waiteof" is "maybe"; allowed: true \| false/,
  });
  t.same(await transport.list(), []);
});
