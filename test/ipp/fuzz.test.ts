// Seeded fuzzing of the decoder (after libcups fuzzipp): mutated, truncated and spliced requests built from the
// fixtures must only ever raise IppDecodeError, split feeding must agree with whole-buffer decoding, and anything
// that decodes must survive a re-encode.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { FirmwareError, IppDecodeError } from '../../src/errors.js';
import { IppDecoder, decodeMessage } from '../../src/ipp/decode.js';
import { encodeMessage } from '../../src/ipp/encode.js';
import type { DecodeLimits, IppMessage } from '../../src/ipp/types.js';
import { GET_PRINTER_ATTRIBUTES, GET_PRINTER_ATTRIBUTES_MESSAGE, PRINT_JOB, PRINT_JOB_MESSAGE } from '../fixtures/ipp/messages.js';

const ITERATIONS = 4000;
const LIMITS: DecodeLimits = { maxAttributeBytes: 4096, maxValues: 64, maxDepth: 4 };

/** mulberry32: a tiny seeded PRNG so every run sees the same inputs. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** A message using every syntax, to give the mutator more tags to work with. */
const EVERY_SYNTAX: IppMessage = {
  version: { major: 2, minor: 0 },
  code: 0x0000,
  requestId: 3,
  groups: [
    {
      tag: 'printer',
      attributes: [
        { name: 'b', values: [{ syntax: 'boolean', value: true }] },
        { name: 'd', values: [{ syntax: 'dateTime', value: new Date('2026-11-23T01:00:00Z'), utcOffsetMinutes: 60 }] },
        { name: 'r', values: [{ syntax: 'rangeOfInteger', lower: 1, upper: 2 }, { syntax: 'resolution', x: 1, y: 2, units: 'dpcm' }] },
        { name: 't', values: [{ syntax: 'textWithLanguage', value: 'x', language: 'en' }] },
        { name: 'o', values: [{ syntax: 'octetString', value: new Uint8Array([1, 2]) }, { syntax: 'out-of-band', value: 'unknown' }] },
        { name: 'x', values: [{ syntax: 'opaque', tag: 0x7f, bytes: new Uint8Array([0, 0, 0, 9, 1]) }] },
      ],
    },
  ],
};

const SEEDS = [GET_PRINTER_ATTRIBUTES, PRINT_JOB, encodeMessage(EVERY_SYNTAX)].map((b) => Buffer.from(b));
const INTERESTING = [0x00, 0x01, 0x02, 0x03, 0x10, 0x13, 0x21, 0x22, 0x31, 0x34, 0x35, 0x37, 0x4a, 0x7f, 0x80, 0xff];

function mutate(rand: () => number): Buffer {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const at = (buf: Buffer): number => Math.floor(rand() * Math.max(1, buf.length));
  let buf = Buffer.from(pick(SEEDS));
  const rounds = 1 + Math.floor(rand() * 4);
  for (let r = 0; r < rounds; r++) {
    switch (Math.floor(rand() * 6)) {
      case 0: // flip a byte
        buf[at(buf)] = Math.floor(rand() * 256);
        break;
      case 1: // an interesting byte
        buf[at(buf)] = pick(INTERESTING);
        break;
      case 2: // truncate
        buf = buf.subarray(0, at(buf));
        break;
      case 3: {
        // splice the head of one input onto the tail of another
        const other = pick(SEEDS);
        buf = Buffer.concat([buf.subarray(0, at(buf)), other.subarray(at(other))]);
        break;
      }
      case 4: {
        // duplicate a run
        const from = at(buf);
        const to = Math.min(buf.length, from + Math.floor(rand() * 40));
        buf = Buffer.concat([buf.subarray(0, to), buf.subarray(from, to), buf.subarray(to)]);
        break;
      }
      default: {
        // overwrite a 16-bit length with a random one
        const pos = at(buf);
        if (pos + 1 < buf.length) buf.writeUInt16BE(rand() < 0.5 ? Math.floor(rand() * 0x10000) : Math.floor(rand() * 16), pos);
      }
    }
  }
  return buf;
}

type Outcome = { ok: true; json: string; offset: number } | { ok: false; code: string };

function canonical(message: IppMessage): string {
  return JSON.stringify(message, (_key, value: unknown) => (value instanceof Uint8Array ? [...value] : value));
}

function outcome(run: () => { message: IppMessage; offset: number }): Outcome {
  try {
    const { message, offset } = run();
    return { ok: true, json: canonical(message), offset };
  } catch (err) {
    if (err instanceof IppDecodeError) return { ok: false, code: err.code };
    throw err;
  }
}

function whole(input: Buffer): Outcome {
  return outcome(() => {
    const { message, bodyOffset } = decodeMessage(input, LIMITS);
    return { message, offset: bodyOffset };
  });
}

function split(input: Buffer, rand: () => number): Outcome {
  return outcome(() => {
    const decoder = new IppDecoder(LIMITS);
    let off = 0;
    while (off < input.length && !decoder.isDone) {
      const size = rand() < 0.3 ? 1 : 1 + Math.floor(rand() * 64);
      decoder.push(input.subarray(off, off + size));
      off += size;
    }
    return { message: decoder.result(), offset: decoder.bytesConsumed };
  });
}

t.test('the fixtures themselves decode (sanity check for the mutation seeds)', async (t) => {
  t.same(decodeMessage(GET_PRINTER_ATTRIBUTES, LIMITS).message, GET_PRINTER_ATTRIBUTES_MESSAGE);
  t.same(decodeMessage(PRINT_JOB, LIMITS).message, PRINT_JOB_MESSAGE);
  t.same(decodeMessage(SEEDS[2]!, LIMITS).message, EVERY_SYNTAX);
});

t.test('mutated requests only ever raise IppDecodeError, and split feeding agrees with whole decoding', async (t) => {
  const rand = prng(0x1990_0602);
  const counts = { ok: 0, decode: 0, limit: 0, disagreements: 0, badRoundTrips: 0 };
  for (let i = 0; i < ITERATIONS; i++) {
    const input = mutate(rand);
    const a = whole(input);
    const b = split(input, rand);
    if (JSON.stringify(a) !== JSON.stringify(b)) {
      counts.disagreements++;
      t.comment(`disagreement on ${input.toString('hex')}`);
    }
    if (!a.ok) {
      if (a.code === 'ERR_IPP_LIMIT') counts.limit++;
      else counts.decode++;
      continue;
    }
    counts.ok++;
    // Whatever decodes must re-encode to something that decodes to the same message.
    try {
      const again = whole(encodeMessage(decodeMessage(input, LIMITS).message));
      if (!again.ok || again.json !== a.json) counts.badRoundTrips++;
    } catch (err) {
      if (!(err instanceof FirmwareError && err.code === 'ERR_IPP_ENCODE')) throw err;
    }
  }
  t.equal(counts.disagreements, 0);
  t.equal(counts.badRoundTrips, 0);
  t.ok(counts.ok > 100 && counts.decode > 1000 && counts.limit > 10, `a mix of outcomes: ${JSON.stringify(counts)}`);
});

t.test('random bytes after a valid header only ever raise IppDecodeError', async (t) => {
  const rand = prng(42);
  let other = 0;
  for (let i = 0; i < 2000; i++) {
    const noise = Buffer.from(Array.from({ length: Math.floor(rand() * 200) }, () => Math.floor(rand() * 256)));
    const input = Buffer.concat([PRINT_JOB.subarray(0, 9), noise]);
    try {
      decodeMessage(input, LIMITS);
    } catch (err) {
      if (!(err instanceof IppDecodeError)) other++;
    }
  }
  t.equal(other, 0);
});
