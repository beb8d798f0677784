// Decoder limits (maxAttributeBytes, maxValues, maxDepth) and truncated input at every length.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { IppDecodeError } from '../../src/errors.js';
import { IppDecoder, decodeMessage } from '../../src/ipp/decode.js';
import { DEFAULT_DECODE_LIMITS } from '../../src/ipp/types.js';
import type { DecodeLimits } from '../../src/ipp/types.js';
import { GET_PRINTER_ATTRIBUTES, PRINT_JOB, PRINT_JOB_DOCUMENT, header, item } from '../fixtures/ipp/messages.js';

const LIMIT = { name: 'IppDecodeError', code: 'ERR_IPP_LIMIT' };
const limits = (patch: Partial<DecodeLimits>): DecodeLimits => ({ ...DEFAULT_DECODE_LIMITS, ...patch });

t.test('maxAttributeBytes counts the whole attribute section and nothing after it', async (t) => {
  t.doesNotThrow(() => decodeMessage(PRINT_JOB, limits({ maxAttributeBytes: PRINT_JOB.length })));
  t.throws(() => decodeMessage(PRINT_JOB, limits({ maxAttributeBytes: PRINT_JOB.length - 1 })), LIMIT);
  const withDocument = Buffer.concat([PRINT_JOB, PRINT_JOB_DOCUMENT, Buffer.alloc(10_000)]);
  t.doesNotThrow(() => decodeMessage(withDocument, limits({ maxAttributeBytes: PRINT_JOB.length })));
});

t.test('maxAttributeBytes trips as soon as a value length announces too much', async (t) => {
  const decoder = new IppDecoder(limits({ maxAttributeBytes: 1000 }));
  // An item announcing a 60000-byte value: the limit trips before any of the value arrives.
  const start = Uint8Array.from([...header(), 0x01, 0x41, 0x00, 0x01, 0x61, 0xea, 0x60]);
  t.throws(() => decoder.push(start), LIMIT);
});

t.test('maxAttributeBytes trips by the byte after the limit when fed one byte at a time', async (t) => {
  const max = 100;
  const endless = Uint8Array.from([...header(), 0x01, ...Array.from({ length: 20 }, () => item(0x44, 'k', 'value')).flat()]);
  const decoder = new IppDecoder(limits({ maxAttributeBytes: max }));
  let fed = 0;
  const err = t.throws(() => {
    for (const byte of endless) {
      fed++;
      decoder.push(Uint8Array.of(byte));
    }
  });
  t.ok(err instanceof IppDecodeError && err.code === 'ERR_IPP_LIMIT');
  t.ok(fed <= max + 1, `threw after ${fed} bytes`);
});

t.test('maxValues counts every value, collection members included', async (t) => {
  // PRINT_JOB holds 15 values: 5 operation, copies, sides, media-col, media-size, x, y, media-source, 2 finishings, resolution.
  t.doesNotThrow(() => decodeMessage(PRINT_JOB, limits({ maxValues: 15 })));
  t.throws(() => decodeMessage(PRINT_JOB, limits({ maxValues: 14 })), LIMIT);
  t.throws(() => decodeMessage(GET_PRINTER_ATTRIBUTES, limits({ maxValues: 6 })), LIMIT, '1setOf values count too');
});

t.test('maxDepth bounds collection nesting', async (t) => {
  t.doesNotThrow(() => decodeMessage(PRINT_JOB, limits({ maxDepth: 2 })));
  t.throws(() => decodeMessage(PRINT_JOB, limits({ maxDepth: 1 })), LIMIT);
  const nest = (depth: number): number[] =>
    depth === 0 ? item(0x21, '', [0, 0, 0, 1]) : [...item(0x34, '', []), ...item(0x4a, '', 'm'), ...nest(depth - 1), ...item(0x37, '', [])];
  const deep = (depth: number): Uint8Array => {
    const inner = nest(depth);
    inner.splice(1, 2, 0x00, 0x01, 0x63); // give the outermost value the attribute name "c"
    return Uint8Array.from([...header(), 0x01, ...inner, 0x03]);
  };
  t.doesNotThrow(() => decodeMessage(deep(8)));
  t.throws(() => decodeMessage(deep(9)), LIMIT, 'the default depth is 8');
});

t.test('every truncation of a request raises IppDecodeError', async (t) => {
  let wrong = 0;
  for (const input of [PRINT_JOB, GET_PRINTER_ATTRIBUTES]) {
    for (let len = 0; len < input.length; len++) {
      try {
        decodeMessage(input.subarray(0, len));
        wrong++;
      } catch (err) {
        if (!(err instanceof IppDecodeError) || err.code !== 'ERR_IPP_DECODE' || !/truncated/.test(err.message)) wrong++;
      }
    }
  }
  t.equal(wrong, 0);
});

t.test('an incremental decoder fed a truncated request reports it from result()', async (t) => {
  const decoder = new IppDecoder();
  t.equal(decoder.push(PRINT_JOB.subarray(0, PRINT_JOB.length - 1)), false);
  t.equal(decoder.isDone, false);
  t.throws(() => decoder.result(), { name: 'IppDecodeError', message: /truncated before the end-of-attributes-tag/ });
});
