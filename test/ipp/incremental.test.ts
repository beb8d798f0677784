// Incremental decoding: any split of the input, and readIppMessage handing back the document bytes exactly.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { IppDecodeError } from '../../src/errors.js';
import { IppDecoder, readIppMessage } from '../../src/ipp/decode.js';
import type { IppMessage } from '../../src/ipp/types.js';
import {
  GET_PRINTER_ATTRIBUTES,
  GET_PRINTER_ATTRIBUTES_MESSAGE,
  PRINT_JOB,
  PRINT_JOB_DOCUMENT,
  PRINT_JOB_MESSAGE,
} from '../fixtures/ipp/messages.js';

const WITH_DOCUMENT = Buffer.concat([PRINT_JOB, PRINT_JOB_DOCUMENT]);

/** Feeds `chunks` in order and returns the message and leftover once the decoder reports the end. */
function feed(chunks: readonly Uint8Array[]): { message: IppMessage; leftover: Buffer; pushes: number } {
  const decoder = new IppDecoder();
  let pushes = 0;
  for (const chunk of chunks) {
    pushes++;
    if (decoder.push(chunk)) break;
  }
  return { message: decoder.result(), leftover: Buffer.from(decoder.leftover()), pushes };
}

async function* iterate(chunks: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield chunk;
}

async function collect(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const chunk of stream) parts.push(chunk);
  return Buffer.concat(parts);
}

t.test('one byte at a time decodes both fixtures and stops at the end tag', async (t) => {
  for (const [input, expected] of [[GET_PRINTER_ATTRIBUTES, GET_PRINTER_ATTRIBUTES_MESSAGE], [PRINT_JOB, PRINT_JOB_MESSAGE]] as const) {
    const bytes = Buffer.concat([input, PRINT_JOB_DOCUMENT]);
    const chunks = [...bytes].map((b) => Uint8Array.of(b));
    const { message, pushes, leftover } = feed(chunks);
    t.same(message, expected);
    t.equal(pushes, input.length, 'the end tag is recognised on its own byte');
    t.equal(leftover.length, 0);
  }
});

const EXPECTED_JSON = JSON.stringify(PRINT_JOB_MESSAGE);

t.test('every two-way split point yields the same message and the exact document head', async (t) => {
  for (let cut = 0; cut <= WITH_DOCUMENT.length; cut++) {
    const { message, leftover } = feed([WITH_DOCUMENT.subarray(0, cut), WITH_DOCUMENT.subarray(cut)]);
    if (JSON.stringify(message) !== EXPECTED_JSON) t.fail(`message wrong at cut ${cut}`);
    // feed() stops pushing once the end tag is seen, so a later cut leaves only the first chunk's tail.
    const documentHead = cut < PRINT_JOB.length ? PRINT_JOB_DOCUMENT : WITH_DOCUMENT.subarray(PRINT_JOB.length, cut);
    if (!leftover.equals(documentHead)) t.fail(`leftover wrong at cut ${cut}`);
  }
  t.pass('all cuts checked');
});

t.test('every three-way split of the Get-Printer-Attributes fixture decodes', async (t) => {
  const input = Buffer.from(GET_PRINTER_ATTRIBUTES);
  let failures = 0;
  for (let a = 0; a <= input.length; a++) {
    for (let b = a; b <= input.length; b += 3) {
      const { message } = feed([input.subarray(0, a), input.subarray(a, b), input.subarray(b)]);
      if (message.groups[0]?.attributes[4]?.values.length !== 3) failures++;
    }
  }
  t.equal(failures, 0);
  t.same(feed([input.subarray(0, 50), input.subarray(50, 51), input.subarray(51)]).message, GET_PRINTER_ATTRIBUTES_MESSAGE);
});

t.test('chunks pushed after the end are appended to the leftover', async (t) => {
  const decoder = new IppDecoder();
  t.equal(decoder.push(PRINT_JOB.subarray(0, 10)), false);
  t.same(decoder.leftover(), Buffer.alloc(0), 'nothing is leftover before the end');
  t.equal(decoder.push(WITH_DOCUMENT.subarray(10, PRINT_JOB.length + 2)), true);
  t.equal(decoder.push(WITH_DOCUMENT.subarray(PRINT_JOB.length + 2)), true);
  t.same(Buffer.from(decoder.leftover()), Buffer.from(PRINT_JOB_DOCUMENT));
  t.equal(decoder.bytesConsumed, PRINT_JOB.length);
});

t.test('a failed decoder keeps throwing the same error', async (t) => {
  const decoder = new IppDecoder();
  const bad = Uint8Array.from([2, 0, 0, 0xb, 0, 0, 0, 1, 0x21, 0, 1, 0x61, 0, 1, 0]);
  const first = t.throws(() => decoder.push(bad));
  t.ok(first instanceof IppDecodeError);
  t.equal(t.throws(() => decoder.push(PRINT_JOB)), first);
  t.equal(t.throws(() => decoder.result()), first);
});

t.test('readIppMessage returns the document when it starts in the last attribute chunk', async (t) => {
  const cut = PRINT_JOB.length - 5;
  const rest = Buffer.from('rest of the document');
  const body = iterate([WITH_DOCUMENT.subarray(0, cut), WITH_DOCUMENT.subarray(cut), rest]);
  const { message, document } = await readIppMessage(body);
  t.same(message, PRINT_JOB_MESSAGE);
  t.same(await collect(document), Buffer.concat([PRINT_JOB_DOCUMENT, rest]));
});

t.test('readIppMessage returns the document exactly at every split point and one byte at a time', async (t) => {
  for (let cut = 0; cut <= WITH_DOCUMENT.length; cut++) {
    const { message, document } = await readIppMessage(iterate([WITH_DOCUMENT.subarray(0, cut), WITH_DOCUMENT.subarray(cut)]));
    if (message.requestId !== 42) t.fail(`wrong message at cut ${cut}`);
    if (!(await collect(document)).equals(PRINT_JOB_DOCUMENT)) t.fail(`wrong document at cut ${cut}`);
  }
  const bytewise = await readIppMessage(iterate([...WITH_DOCUMENT].map((b) => Uint8Array.of(b))));
  t.same(await collect(bytewise.document), Buffer.from(PRINT_JOB_DOCUMENT));
});

t.test('readIppMessage pulls nothing past the chunk holding the end tag', async (t) => {
  let pulled = 0;
  async function* body(): AsyncGenerator<Uint8Array> {
    pulled++;
    yield PRINT_JOB;
    pulled++;
    yield PRINT_JOB_DOCUMENT;
  }
  const { document } = await readIppMessage(body());
  t.equal(pulled, 1);
  t.same(await collect(document), Buffer.from(PRINT_JOB_DOCUMENT));
  t.equal(pulled, 2);
});

t.test('readIppMessage rejects a body that ends before the end-of-attributes-tag', async (t) => {
  await t.rejects(readIppMessage(iterate([PRINT_JOB.subarray(0, 40)])), { name: 'IppDecodeError', message: /truncated/ });
  await t.rejects(readIppMessage(iterate([])), { name: 'IppDecodeError', message: /header/ });
});

t.test('readIppMessage rejects malformed input with IppDecodeError', async (t) => {
  const bad = Buffer.from(PRINT_JOB);
  bad[8] = 0x44; // an attribute where the first group tag belongs
  await t.rejects(readIppMessage(iterate([bad])), { name: 'IppDecodeError', code: 'ERR_IPP_DECODE' });
});

t.test('readIppMessage rejects with the abort reason when the signal fires mid-body', async (t) => {
  const controller = new AbortController();
  const reason = new Error('client went away');
  let release: (() => void) | undefined;
  async function* stalled(): AsyncGenerator<Uint8Array> {
    yield PRINT_JOB.subarray(0, 20);
    await new Promise<void>((resolve) => {
      release = resolve;
    });
    yield PRINT_JOB.subarray(20);
  }
  const pending = readIppMessage(stalled(), undefined, controller.signal);
  setImmediate(() => controller.abort(reason));
  await t.rejects(pending, reason);
  release?.();
  const aborted = AbortSignal.abort(reason);
  await t.rejects(readIppMessage(iterate([PRINT_JOB]), undefined, aborted), reason);
});

t.test('stopping the document early closes the body', async (t) => {
  let isClosed = false;
  async function* body(): AsyncGenerator<Uint8Array> {
    try {
      yield WITH_DOCUMENT;
      yield Buffer.from('more');
      yield Buffer.from('never read');
    } finally {
      isClosed = true;
    }
  }
  const { document } = await readIppMessage(body(), undefined, new AbortController().signal);
  for await (const chunk of document) {
    t.same(Buffer.from(chunk), Buffer.from(PRINT_JOB_DOCUMENT));
    break;
  }
  t.ok(isClosed);
});

t.test('an error from the body while streaming the document reaches the consumer', async (t) => {
  async function* body(): AsyncGenerator<Uint8Array> {
    yield PRINT_JOB;
    throw new Error('socket reset');
  }
  const { document } = await readIppMessage(body());
  await t.rejects(collect(document), { message: 'socket reset' });
});

t.test('an error from the body while reading the attributes rejects readIppMessage with it', async (t) => {
  async function* body(): AsyncGenerator<Uint8Array> {
    yield PRINT_JOB.subarray(0, 30);
    throw new Error('socket reset');
  }
  await t.rejects(readIppMessage(body()), { message: 'socket reset' });
  await t.rejects(readIppMessage(body(), undefined, new AbortController().signal), { message: 'socket reset' });
});

t.test('a 60000-byte value fed one byte at a time decodes intact', async (t) => {
  const value = Buffer.alloc(60_000);
  for (let i = 0; i < value.length; i++) value[i] = (i * 7) & 0xff;
  const input = Buffer.concat([PRINT_JOB.subarray(0, 9), Buffer.from([0x30, 0x00, 0x01, 0x6f, 0xea, 0x60]), value, Buffer.from([0x03])]);
  const decoder = new IppDecoder();
  let isDone = false;
  for (let i = 0; i < input.length; i++) isDone = decoder.push(input.subarray(i, i + 1));
  t.ok(isDone);
  const decoded = decoder.result().groups[0]?.attributes[0]?.values[0];
  t.ok(decoded?.syntax === 'octetString' && Buffer.from(decoded.value).equals(value));
});
