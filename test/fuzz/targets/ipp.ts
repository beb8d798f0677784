// Fuzz target: the IPP decoder (src/ipp/decode.ts) whole-buffer, fed in random splits (IppDecoder) and from a body
// stream (readIppMessage); split and whole decoding must agree, and what decodes must re-encode.
// SPDX-License-Identifier: Apache-2.0
import { FirmwareError, IppDecodeError } from '../../../src/errors.js';
import { decodeMessage, IppDecoder, readIppMessage } from '../../../src/ipp/decode.js';
import { encodeMessage } from '../../../src/ipp/encode.js';
import { DEFAULT_DECODE_LIMITS, type DecodeLimits, type IppAttribute, type IppMessage, type IppValue } from '../../../src/ipp/types.js';
import type { FuzzTarget } from '../engine.js';
import type { Rng } from '../prng.js';

const SMALL_LIMITS: DecodeLimits = { maxAttributeBytes: 4096, maxValues: 64, maxDepth: 3 };

const NAMES = ['attributes-charset', 'attributes-natural-language', 'printer-uri', 'requesting-user-name', 'job-id',
  'document-format', 'requested-attributes', 'media-col', 'media-size', 'x-dimension', 'copies', 'job-name', 'which-jobs'];
const TAGS = [0x01, 0x02, 0x03, 0x04, 0x05, 0x0f, 0x10, 0x12, 0x13, 0x21, 0x22, 0x23, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35,
  0x36, 0x37, 0x41, 0x42, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x7f];

/** Encoded attribute-name items and tags, for the mutator. */
const DICTIONARY: Uint8Array[] = [
  ...TAGS.map((tag) => Uint8Array.of(tag)),
  ...NAMES.map((name) => Uint8Array.from([0x00, name.length, ...Buffer.from(name, 'latin1')])),
  Uint8Array.of(0x02, 0x00), Uint8Array.of(0x01, 0x01), Uint8Array.of(0x00, 0x00), Uint8Array.of(0x00, 0x04, 0x00, 0x00, 0x00, 0x01),
  Uint8Array.of(0x34, 0x00, 0x00, 0x00, 0x00), Uint8Array.of(0x37, 0x00, 0x00, 0x00, 0x00), Uint8Array.of(0x4a, 0x00, 0x00),
  Buffer.from('RaS2', 'latin1'), Uint8Array.of(0x03),
];

function randomValue(rng: Rng, depth: number): IppValue {
  const text = (): string => 'abcxyz-é😀'.slice(0, rng.int(10));
  switch (rng.int(12)) {
    case 0: return { syntax: 'integer', value: rng.int(2) === 0 ? rng.int(100) : -rng.int(0x7fffffff) };
    case 1: return { syntax: 'enum', value: rng.int(20) };
    case 2: return { syntax: 'boolean', value: rng.chance(0.5) };
    case 3: return { syntax: rng.pick(['keyword', 'uri', 'charset', 'naturalLanguage', 'mimeMediaType', 'name', 'text'] as const), value: text() };
    case 4: return { syntax: rng.pick(['nameWithLanguage', 'textWithLanguage'] as const), value: text(), language: 'en' };
    case 5: return { syntax: 'rangeOfInteger', lower: rng.int(10), upper: 10 + rng.int(10) };
    case 6: return { syntax: 'resolution', x: 1 + rng.int(1200), y: 1 + rng.int(1200), units: rng.chance(0.5) ? 'dpi' : 'dpcm' };
    case 7: return { syntax: 'dateTime', value: new Date(rng.int(2 ** 31) * 1000), utcOffsetMinutes: (rng.int(27) - 13) * 60 };
    case 8: return { syntax: 'octetString', value: Uint8Array.from({ length: rng.int(6) }, () => rng.int(256)) };
    case 9: return { syntax: 'out-of-band', value: rng.pick(['unsupported', 'unknown', 'no-value', 'not-settable', 'delete-attribute', 'admin-define'] as const) };
    case 10: return { syntax: 'opaque', tag: rng.pick([0x38, 0x3f, 0x4b, 0x5f, 0x7e]), bytes: Uint8Array.from({ length: rng.int(5) }, () => rng.int(256)) };
    default:
      return depth >= 3 ? { syntax: 'integer', value: 0 } : { syntax: 'collection', members: randomAttributes(rng, depth + 1) };
  }
}

function randomAttributes(rng: Rng, depth: number): IppAttribute[] {
  return Array.from({ length: rng.int(4) }, () => ({
    name: rng.pick(NAMES),
    values: Array.from({ length: 1 + rng.int(3) }, () => randomValue(rng, depth)),
  }));
}

/** A random well-formed message (every syntax, nested collections), for structure-aware inputs. */
export function randomIppMessage(rng: Rng): Uint8Array {
  const message: IppMessage = {
    version: { major: rng.pick([1, 2, 2, 3]), minor: rng.int(3) },
    code: rng.pick([0x0002, 0x0004, 0x0005, 0x0006, 0x0008, 0x0009, 0x000a, 0x000b, 0x003c, rng.int(0x10000)]),
    requestId: rng.int(0x7fffffff),
    groups: Array.from({ length: 1 + rng.int(3) }, () => ({
      tag: rng.pick(['operation', 'job', 'printer', 'unsupported', 'document'] as const),
      attributes: randomAttributes(rng, 0),
    })),
  };
  try {
    return encodeMessage(message);
  } catch (err) {
    if (err instanceof FirmwareError && err.code === 'ERR_IPP_ENCODE') return new Uint8Array(0);
    throw err;
  }
}

type Outcome = string;

function settle(run: () => { message: IppMessage; offset: number }): Outcome {
  try {
    const { message, offset } = run();
    return `ok ${offset} ${JSON.stringify(message, (_k, v: unknown) => (v instanceof Uint8Array ? [...v] : v))}`;
  } catch (err) {
    if (err instanceof IppDecodeError) return `error ${err.code}`;
    throw err;
  }
}

function splitDecode(input: Uint8Array, rng: Rng, limits: DecodeLimits): Outcome {
  return settle(() => {
    const decoder = new IppDecoder(limits);
    let off = 0;
    while (off < input.length && !decoder.isDone) {
      const size = rng.chance(0.3) ? 1 : 1 + rng.int(64);
      decoder.push(input.subarray(off, off + size));
      off += size;
    }
    return { message: decoder.result(), offset: decoder.bytesConsumed };
  });
}

async function* chunks(input: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < input.length; i += size) yield input.subarray(i, i + size);
}

async function streamDecode(input: Uint8Array, size: number, limits: DecodeLimits): Promise<void> {
  const { document } = await readIppMessage(chunks(input, size), limits);
  for await (const chunk of document) if (!(chunk instanceof Uint8Array)) throw new TypeError('document chunk is not bytes');
}

function decodeAndCheck(input: Uint8Array, rng: Rng, limits: DecodeLimits): void {
  const whole = settle(() => {
    const { message, bodyOffset } = decodeMessage(input, limits);
    return { message, offset: bodyOffset };
  });
  if (rng.chance(0.5)) {
    const split = splitDecode(input, rng, limits);
    if (split !== whole) throw new Error(`split decoding disagrees: ${split.slice(0, 80)} vs ${whole.slice(0, 80)}`);
  }
  if (!whole.startsWith('ok')) throw new IppDecodeError('rejected (already checked)');
  // Whatever decodes re-encodes (the encoder may refuse only with ERR_IPP_ENCODE).
  try {
    encodeMessage(decodeMessage(input, limits).message);
  } catch (err) {
    if (!(err instanceof FirmwareError && err.code === 'ERR_IPP_ENCODE')) throw err;
  }
}

/** The IPP decoder target. */
export const ippTarget: FuzzTarget = {
  name: 'ipp',
  dictionary: DICTIONARY,
  maxLength: 16 * 1024,
  generate: (rng) => randomIppMessage(rng),
  run(input, rng) {
    const limits = rng.chance(0.25) ? SMALL_LIMITS : DEFAULT_DECODE_LIMITS;
    if (rng.chance(0.15)) return streamDecode(input, 1 + rng.int(100), limits);
    decodeAndCheck(input, rng, limits);
    return undefined;
  },
  isExpected: (err) => err instanceof IppDecodeError,
};
