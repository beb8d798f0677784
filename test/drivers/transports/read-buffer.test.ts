// The bounded read-back buffer: split reads, waiting reads, room notifications, end of stream, cancellation.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { ReadBuffer } from '../../../drivers/transports/read-buffer.js';
import { TransportError } from '../../../src/errors.js';

const never = new AbortController().signal;

async function kindOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (err) {
    return err instanceof TransportError ? err.kind : 'other';
  }
}

t.test('reads take at most maxBytes across chunk boundaries, in order', async (t) => {
  const buf = new ReadBuffer(100);
  buf.push(Uint8Array.of(1, 2, 3));
  buf.push(Uint8Array.of(4, 5));
  t.same([...(await buf.read(4, { disconnected: never, what: 'read' }))], [1, 2, 3, 4]);
  t.same([...(await buf.read(4, { disconnected: never, what: 'read' }))], [5]);
  t.equal(buf.length, 0);
});

t.test('a waiting read gets the next bytes pushed', async (t) => {
  const buf = new ReadBuffer(100);
  const reading = buf.read(8, { disconnected: never, what: 'read' });
  buf.push(Uint8Array.of(9));
  t.same([...(await reading)], [9]);
});

t.test('onRoom runs when a read takes a full buffer below its limit, and clear() too', async (t) => {
  let rooms = 0;
  const buf = new ReadBuffer(4, () => rooms++);
  buf.push(Uint8Array.of(1, 2, 3, 4));
  t.ok(buf.isFull);
  await buf.read(1, { disconnected: never, what: 'read' });
  t.equal(rooms, 1);
  buf.push(Uint8Array.of(5));
  buf.clear();
  t.equal(rooms, 2);
  t.equal(buf.length, 0);
});

t.test('after end(), buffered bytes are still read, then reads reject with the end error', async (t) => {
  const buf = new ReadBuffer(100);
  const waiting = buf.read(1, { disconnected: never, what: 'read' });
  const gone = new TransportError('disconnected', 'gone');
  buf.end(gone);
  await t.rejects(waiting, gone);
  const buf2 = new ReadBuffer(100);
  buf2.push(Uint8Array.of(7));
  buf2.end(gone);
  t.same([...(await buf2.read(5, { disconnected: never, what: 'read' }))], [7]);
  await t.rejects(buf2.read(5, { disconnected: never, what: 'read' }), gone);
});

t.test('a timed-out or canceled read leaves no waiter behind', async (t) => {
  const buf = new ReadBuffer(100);
  t.equal(await kindOf(buf.read(1, { disconnected: never, what: 'read', timeoutMs: 10 })), 'timeout');
  const ac = new AbortController();
  const reading = buf.read(1, { signal: ac.signal, disconnected: never, what: 'read' });
  ac.abort();
  t.equal(await kindOf(reading), 'canceled');
  buf.push(Uint8Array.of(3));
  t.equal(buf.length, 1, 'the pushed byte waits for the next read');
});
