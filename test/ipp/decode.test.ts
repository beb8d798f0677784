// Decoder tests against hand-annotated fixtures and one test per RFC 8010 validation rule.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import type { Test } from 'tap';
import { IppDecodeError } from '../../src/errors.js';
import { decodeMessage } from '../../src/ipp/decode.js';
import {
  GET_PRINTER_ATTRIBUTES,
  GET_PRINTER_ATTRIBUTES_MESSAGE,
  PRINT_JOB,
  PRINT_JOB_DOCUMENT,
  PRINT_JOB_MESSAGE,
  bytes,
  header,
  item,
} from '../fixtures/ipp/messages.js';

/** A request: header, operation group, the given items, end tag. */
function request(...items: number[][]): Uint8Array {
  return Uint8Array.from([...header(), 0x01, ...items.flat(), 0x03]);
}

function decodeError(t: Test, input: Uint8Array, pattern: RegExp, code = 'ERR_IPP_DECODE'): void {
  t.throws(() => decodeMessage(input), { name: 'IppDecodeError', code, message: pattern });
}

const int4 = [0x00, 0x00, 0x00, 0x01];

t.test('the Get-Printer-Attributes fixture decodes to its model, 1setOf included', async (t) => {
  const { message, bodyOffset } = decodeMessage(GET_PRINTER_ATTRIBUTES);
  t.same(message, GET_PRINTER_ATTRIBUTES_MESSAGE);
  t.equal(bodyOffset, GET_PRINTER_ATTRIBUTES.length);
});

t.test('the Print-Job fixture decodes to its model with nested collections', async (t) => {
  const { message } = decodeMessage(PRINT_JOB);
  t.same(message, PRINT_JOB_MESSAGE);
});

t.test('bodyOffset points at the document data after the end tag', async (t) => {
  const input = Buffer.concat([PRINT_JOB, PRINT_JOB_DOCUMENT]);
  const { bodyOffset } = decodeMessage(input);
  t.equal(bodyOffset, PRINT_JOB.length);
  t.same(input.subarray(bodyOffset), Buffer.from(PRINT_JOB_DOCUMENT));
});

t.test('repeated group tags stay separate groups in wire order, empty groups included', async (t) => {
  const input = Uint8Array.from([
    ...header(0x0000), 0x01, ...item(0x47, 'attributes-charset', 'utf-8'),
    0x02, ...item(0x21, 'job-id', [0, 0, 0, 1]),
    0x02, ...item(0x21, 'job-id', [0, 0, 0, 2]),
    0x04, 0x02, 0x03,
  ]);
  const { message } = decodeMessage(input);
  t.same(message.groups.map((g) => g.tag), ['operation', 'job', 'job', 'printer', 'job']);
  t.same(message.groups[2]?.attributes, [{ name: 'job-id', values: [{ syntax: 'integer', value: 2 }] }]);
  t.same(message.groups[3]?.attributes, []);
});

t.test('the request-id is read as a signed 32-bit integer', async (t) => {
  const input = Uint8Array.from([0x02, 0x00, 0x00, 0x0b, 0xff, 0xff, 0xff, 0xff, 0x03]);
  t.equal(decodeMessage(input).message.requestId, -1);
});

t.test('invalid UTF-8 in a string is replaced, not rejected', async (t) => {
  const { message } = decodeMessage(request(item(0x41, 'job-name', [0x61, 0xff, 0x62])));
  t.same(message.groups[0]?.attributes[0]?.values, [{ syntax: 'text', value: 'a\ufffdb' }]);
});

t.test('unknown value tags and out-of-band tags with bytes decode as opaque', async (t) => {
  const { message } = decodeMessage(request(item(0x5b, 'x-vendor', [1, 2, 3]), item(0x13, 'y', [9])));
  t.same(message.groups[0]?.attributes.map((a) => a.values[0]), [
    { syntax: 'opaque', tag: 0x5b, bytes: new Uint8Array([1, 2, 3]) },
    { syntax: 'opaque', tag: 0x13, bytes: new Uint8Array([9]) },
  ]);
});

t.test('an attribute before any group tag is rejected', async (t) => {
  decodeError(t, Uint8Array.from([...header(), ...item(0x44, 'a', 'b'), 0x03]), /before any group/);
});

t.test('a reserved delimiter tag is rejected', async (t) => {
  decodeError(t, Uint8Array.from([...header(), 0x0b, 0x03]), /reserved delimiter/);
  decodeError(t, Uint8Array.from([...header(), 0x00, 0x03]), /reserved delimiter/);
});

t.test('an additional value with no preceding attribute is rejected', async (t) => {
  decodeError(t, request(item(0x44, '', 'x')), /without a preceding attribute/);
  const afterGroup = Uint8Array.from([...header(), 0x01, ...item(0x44, 'a', 'b'), 0x02, ...item(0x44, '', 'c'), 0x03]);
  decodeError(t, afterGroup, /without a preceding attribute/);
});

t.test('fixed-size syntaxes with the wrong length are rejected', async (t) => {
  decodeError(t, request(item(0x21, 'copies', [0, 1])), /integer value must be 4 bytes/i);
  decodeError(t, request(item(0x23, 'finishings', [0, 0, 0, 0, 3])), /enum value must be 4 bytes/i);
  decodeError(t, request(item(0x22, 'b', [])), /boolean value must be 1 bytes/i);
  decodeError(t, request(item(0x31, 'd', new Array<number>(10).fill(1))), /datetime value must be 11 bytes/i);
  decodeError(t, request(item(0x32, 'r', new Array<number>(8).fill(0))), /resolution value must be 9 bytes/i);
  decodeError(t, request(item(0x33, 'r', int4)), /rangeofinteger value must be 8 bytes/i);
});

t.test('a boolean other than 0 or 1 is rejected', async (t) => {
  decodeError(t, request(item(0x22, 'b', [2])), /0 or 1/);
});

t.test('resolution units other than 3 and 4 are rejected', async (t) => {
  decodeError(t, request(item(0x32, 'r', [0, 0, 0, 1, 0, 0, 0, 1, 5])), /units/);
});

t.test('a dateTime with a field out of range is rejected', async (t) => {
  const good = [0x07, 0xea, 11, 23, 1, 52, 0, 0, 0x2b, 0, 0];
  t.doesNotThrow(() => decodeMessage(request(item(0x31, 'd', good))));
  for (const [index, bad] of [[2, 13], [3, 0], [4, 24], [5, 60], [6, 61], [7, 10], [8, 0x20], [9, 15], [10, 60]] as const) {
    const fields = [...good];
    fields[index] = bad;
    decodeError(t, request(item(0x31, 'd', fields)), /dateTime value has a field out of range/);
  }
});

t.test('*WithLanguage inner lengths must fill the value exactly', async (t) => {
  const ok = [0, 2, 0x65, 0x6e, 0, 1, 0x78];
  t.same(decodeMessage(request(item(0x35, 'm', ok))).message.groups[0]?.attributes[0]?.values, [
    { syntax: 'textWithLanguage', language: 'en', value: 'x' },
  ]);
  decodeError(t, request(item(0x35, 'm', [0, 2, 0x65])), /too short/);
  decodeError(t, request(item(0x36, 'm', [0, 9, 0x65, 0x6e, 0, 0])), /language length overruns/);
  decodeError(t, request(item(0x35, 'm', [0, 2, 0x65, 0x6e, 0, 2, 0x78])), /does not fill/);
  decodeError(t, request(item(0x35, 'm', [...ok, 0])), /does not fill/);
});

t.test('an extension value needs a 4-byte tag with the high bit clear', async (t) => {
  const { message } = decodeMessage(request(item(0x7f, 'x', [0, 0, 1, 0, 0xaa])));
  t.same(message.groups[0]?.attributes[0]?.values, [{ syntax: 'opaque', tag: 0x7f, bytes: new Uint8Array([0, 0, 1, 0, 0xaa]) }]);
  decodeError(t, request(item(0x7f, 'x', [0, 0, 1])), /extension/);
  decodeError(t, request(item(0x7f, 'x', [0x80, 0, 0, 0])), /extension/);
});

t.test('collection structure errors are rejected', async (t) => {
  const beg = (name: string): number[] => item(0x34, name, []);
  const member = (name: string): number[] => item(0x4a, '', name);
  const end = item(0x37, '', []);
  const int = item(0x21, '', int4);
  decodeError(t, request(member('m')), /memberAttrName outside a collection/);
  decodeError(t, request(end), /endCollection outside a collection/);
  decodeError(t, request(beg('c'), int, end), /value before any memberAttrName/);
  decodeError(t, request(beg('c'), member('m'), end), /member "m" has no value/);
  decodeError(t, request(beg('c'), member('m'), member('n'), int, end), /member "m" has no value/);
  decodeError(t, request(beg('c'), item(0x4a, '', []), int, end), /empty memberAttrName/);
  decodeError(t, request(beg('c'), member('m'), item(0x21, 'named', int4), end), /named attribute inside a collection/);
  decodeError(t, request(beg('c'), member('m'), int, item(0x37, '', [1])), /endCollection with a non-empty value/);
  decodeError(t, request(item(0x34, 'c', [1]), end), /begCollection with a non-empty value/);
  decodeError(t, Uint8Array.from([...header(), 0x01, ...beg('c'), 0x03]), /inside a collection/);
  decodeError(t, Uint8Array.from([...header(), 0x01, ...beg('c'), 0x02, 0x03]), /inside a collection/);
});

t.test('an empty collection and a 1setOf collection decode', async (t) => {
  const input = request(item(0x34, 'c', []), item(0x37, '', []), item(0x34, '', []), item(0x4a, '', 'k'),
    item(0x44, '', 'v'), item(0x44, '', 'w'), item(0x37, '', []));
  t.same(decodeMessage(input).message.groups[0]?.attributes, [
    {
      name: 'c',
      values: [
        { syntax: 'collection', members: [] },
        { syntax: 'collection', members: [{ name: 'k', values: [{ syntax: 'keyword', value: 'v' }, { syntax: 'keyword', value: 'w' }] }] },
      ],
    },
  ]);
});

t.test('errors after the 8 header bytes carry the header, earlier ones do not', async (t) => {
  const late = t.throws(() => decodeMessage(request(item(0x21, 'copies', [1])))) as IppDecodeError;
  t.same(late.header, { version: { major: 2, minor: 0 }, code: 0x000b, requestId: 7 });
  const truncated = t.throws(() => decodeMessage(Uint8Array.from(header()))) as IppDecodeError;
  t.match(truncated.message, /truncated/);
  t.same(truncated.header, { version: { major: 2, minor: 0 }, code: 0x000b, requestId: 7 });
  const short = t.throws(() => decodeMessage(bytes([0x02, 0x00, 0x00]))) as IppDecodeError;
  t.equal(short.header, undefined);
  t.match(short.message, /header/);
});
