// Encoder tests: exact bytes for the annotated fixtures, a round trip per syntax, and unencodable values.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { decodeMessage } from '../../src/ipp/decode.js';
import { encodeMessage } from '../../src/ipp/encode.js';
import type { IppAttribute, IppMessage, IppValue } from '../../src/ipp/types.js';
import {
  GET_PRINTER_ATTRIBUTES,
  GET_PRINTER_ATTRIBUTES_MESSAGE,
  PRINT_JOB,
  PRINT_JOB_MESSAGE,
} from '../fixtures/ipp/messages.js';

function message(attributes: readonly IppAttribute[]): IppMessage {
  return { version: { major: 2, minor: 0 }, code: 0x0000, requestId: 9, groups: [{ tag: 'printer', attributes }] };
}

function roundTrip(msg: IppMessage): IppMessage {
  return decodeMessage(encodeMessage(msg)).message;
}

const ENCODE_ERROR = { name: 'FirmwareError', code: 'ERR_IPP_ENCODE' };

t.test('the Get-Printer-Attributes model encodes to the annotated fixture bytes', async (t) => {
  t.same(encodeMessage(GET_PRINTER_ATTRIBUTES_MESSAGE), Buffer.from(GET_PRINTER_ATTRIBUTES));
});

t.test('the Print-Job model encodes to the annotated fixture bytes', async (t) => {
  t.same(encodeMessage(PRINT_JOB_MESSAGE), Buffer.from(PRINT_JOB));
});

t.test('every syntax survives encode then decode', async (t) => {
  const values: Record<string, IppValue[]> = {
    integer: [{ syntax: 'integer', value: 0 }, { syntax: 'integer', value: -2147483648 }, { syntax: 'integer', value: 2147483647 }],
    enum: [{ syntax: 'enum', value: 3 }],
    boolean: [{ syntax: 'boolean', value: true }, { syntax: 'boolean', value: false }],
    keyword: [{ syntax: 'keyword', value: 'iso_a4_210x297mm' }],
    uri: [{ syntax: 'uri', value: 'ipps://printer.local/ipp/print' }],
    uriScheme: [{ syntax: 'uriScheme', value: 'ipps' }],
    charset: [{ syntax: 'charset', value: 'utf-8' }],
    naturalLanguage: [{ syntax: 'naturalLanguage', value: 'de-ch' }],
    mimeMediaType: [{ syntax: 'mimeMediaType', value: 'image/urf' }],
    name: [{ syntax: 'name', value: 'Zoë’s job ✓ 🖨' }, { syntax: 'name', value: '' }],
    text: [{ syntax: 'text', value: 'x'.repeat(100) + 'é'.repeat(100) }],
    textWithLanguage: [{ syntax: 'textWithLanguage', value: 'Bonjour ✓', language: 'fr' }],
    nameWithLanguage: [{ syntax: 'nameWithLanguage', value: 'Drucker', language: 'de' }],
    rangeOfInteger: [{ syntax: 'rangeOfInteger', lower: 1, upper: 9999 }, { syntax: 'rangeOfInteger', lower: -5, upper: -1 }],
    resolution: [{ syntax: 'resolution', x: 600, y: 300, units: 'dpi' }, { syntax: 'resolution', x: 118, y: 118, units: 'dpcm' }],
    dateTime: [
      { syntax: 'dateTime', value: new Date('2026-11-23T01:52:29.300Z'), utcOffsetMinutes: 0 },
      { syntax: 'dateTime', value: new Date('2026-01-01T00:30:00.000Z'), utcOffsetMinutes: -300 },
      { syntax: 'dateTime', value: new Date('2025-12-31T23:59:59.900Z'), utcOffsetMinutes: 345 },
      { syntax: 'dateTime', value: new Date('0042-06-15T12:00:00.000Z'), utcOffsetMinutes: 840 },
    ],
    octetString: [{ syntax: 'octetString', value: new Uint8Array([0, 1, 2, 0xff]) }, { syntax: 'octetString', value: new Uint8Array(0) }],
    'out-of-band': (['unsupported', 'unknown', 'no-value', 'not-settable', 'delete-attribute', 'admin-define'] as const).map(
      (value): IppValue => ({ syntax: 'out-of-band', value }),
    ),
    opaque: [
      { syntax: 'opaque', tag: 0x5b, bytes: new Uint8Array([7, 8]) },
      { syntax: 'opaque', tag: 0x7f, bytes: new Uint8Array([0, 0, 0x40, 0x01, 0xaa, 0xbb]) },
    ],
    collection: [
      { syntax: 'collection', members: [] },
      {
        syntax: 'collection',
        members: [
          { name: 'media-key', values: [{ syntax: 'keyword', value: 'a4' }] },
          { name: 'media-col', values: [{ syntax: 'collection', members: [{ name: 'deep', values: [{ syntax: 'boolean', value: true }] }] }] },
          { name: 'media-source-properties', values: [{ syntax: 'integer', value: 1 }, { syntax: 'out-of-band', value: 'no-value' }] },
        ],
      },
    ],
  };
  for (const [syntax, list] of Object.entries(values)) {
    const msg = message([{ name: `x-${syntax}`, values: list }]);
    t.same(roundTrip(msg), msg, syntax);
  }
});

t.test('a dateTime is written as local time fields with the UTC offset (RFC 2579)', async (t) => {
  const value: IppValue = { syntax: 'dateTime', value: new Date('2026-01-01T00:30:00.700Z'), utcOffsetMinutes: -330 };
  const bytes = encodeMessage(message([{ name: 'd', values: [value] }]));
  // header 8 + group tag 1 + value-tag 1 + name-length 2 + name 1 + value-length 2 = 15
  t.same([...bytes.subarray(15, 26)], [0x07, 0xe9, 12, 31, 19, 0, 0, 7, 0x2d, 5, 30]);
});

t.test('response groups of every kind, repeated and empty, keep their order', async (t) => {
  const msg: IppMessage = {
    version: { major: 1, minor: 1 },
    code: 0x0400,
    requestId: 2147483647,
    groups: (['operation', 'unsupported', 'job', 'job', 'printer', 'subscription', 'event-notification', 'resource', 'document', 'system'] as const).map(
      (tag) => ({ tag, attributes: tag === 'job' ? [{ name: 'job-id', values: [{ syntax: 'integer', value: 1 }] }] : [] }),
    ),
  };
  t.same(roundTrip(msg), msg);
});

t.test('a ~20 KB response with many 1setOf values round-trips', async (t) => {
  const attributes: IppAttribute[] = [];
  for (let i = 0; i < 400; i++) {
    attributes.push({ name: `x-attr-${i}`, values: Array.from({ length: 5 }, (_, j): IppValue => ({ syntax: 'keyword', value: `v-${i}-${j}` })) });
  }
  const msg = message(attributes);
  const bytes = encodeMessage(msg);
  t.ok(bytes.length > 20_000);
  t.same(decodeMessage(bytes).message, msg);
});

t.test('a message larger than the scratch buffer encodes completely', async (t) => {
  const big = { syntax: 'octetString', value: new Uint8Array(60_000).fill(0x5a) } as const;
  const msg = message(Array.from({ length: 40 }, (_, i): IppAttribute => ({ name: `blob-${i}`, values: [big] })));
  const bytes = encodeMessage(msg);
  t.ok(bytes.length > 2_400_000);
  const decoded = decodeMessage(bytes, { maxAttributeBytes: 4_000_000, maxValues: 100, maxDepth: 1 }).message;
  const blobs = decoded.groups[0]?.attributes.map((a) => a.values[0]) ?? [];
  t.equal(blobs.length, 40);
  t.ok(blobs.every((v) => v?.syntax === 'octetString' && Buffer.from(v.value).equals(big.value)));
  t.same(roundTrip(GET_PRINTER_ATTRIBUTES_MESSAGE), GET_PRINTER_ATTRIBUTES_MESSAGE, 'later small messages still encode');
});

t.test('strings longer than 65535 bytes cannot be encoded', async (t) => {
  t.throws(() => encodeMessage(message([{ name: 'x', values: [{ syntax: 'text', value: 'a'.repeat(65536) }] }])), ENCODE_ERROR);
  t.throws(() => encodeMessage(message([{ name: 'x', values: [{ syntax: 'text', value: 'é'.repeat(40000) }] }])), ENCODE_ERROR);
  t.throws(() => encodeMessage(message([{ name: 'x', values: [{ syntax: 'octetString', value: new Uint8Array(65536) }] }])), ENCODE_ERROR);
  t.throws(
    () => encodeMessage(message([{ name: 'x', values: [{ syntax: 'textWithLanguage', language: 'en', value: 'a'.repeat(65534) }] }])),
    ENCODE_ERROR,
  );
  const max = message([{ name: 'x', values: [{ syntax: 'text', value: 'a'.repeat(65535) }] }]);
  t.same(roundTrip(max), max, 'exactly 65535 bytes is fine');
});

t.test('numbers outside their wire range cannot be encoded', async (t) => {
  const bad: IppValue[] = [
    { syntax: 'integer', value: 2147483648 },
    { syntax: 'enum', value: 1.5 },
    { syntax: 'integer', value: Number.NaN },
    { syntax: 'rangeOfInteger', lower: 0, upper: 2 ** 40 },
    { syntax: 'resolution', x: -0.5, y: 1, units: 'dpi' },
    { syntax: 'dateTime', value: new Date(Number.NaN), utcOffsetMinutes: 0 },
    { syntax: 'dateTime', value: new Date(), utcOffsetMinutes: 900 },
    { syntax: 'dateTime', value: new Date(), utcOffsetMinutes: 0.5 },
    { syntax: 'dateTime', value: new Date('+070000-01-01T00:00:00Z'), utcOffsetMinutes: 0 },
  ];
  for (const value of bad) t.throws(() => encodeMessage(message([{ name: 'x', values: [value] }])), ENCODE_ERROR, JSON.stringify(value));
  const header = (patch: Partial<IppMessage>): IppMessage => ({ ...message([]), ...patch });
  t.throws(() => encodeMessage(header({ version: { major: 256, minor: 0 } })), ENCODE_ERROR);
  t.throws(() => encodeMessage(header({ code: 0x10000 })), ENCODE_ERROR);
  t.throws(() => encodeMessage(header({ requestId: 2 ** 31 })), ENCODE_ERROR);
});

t.test('attributes and members without a name or without values cannot be encoded', async (t) => {
  const one: IppValue = { syntax: 'integer', value: 1 };
  t.throws(() => encodeMessage(message([{ name: '', values: [one] }])), ENCODE_ERROR);
  t.throws(() => encodeMessage(message([{ name: 'x', values: [] }])), ENCODE_ERROR);
  t.throws(() => encodeMessage(message([{ name: 'c', values: [{ syntax: 'collection', members: [{ name: '', values: [one] }] }] }])), ENCODE_ERROR);
  t.throws(() => encodeMessage(message([{ name: 'c', values: [{ syntax: 'collection', members: [{ name: 'm', values: [] }] }] }])), ENCODE_ERROR);
  t.throws(() => encodeMessage(message([{ name: 'n'.repeat(70000), values: [one] }])), ENCODE_ERROR);
});

t.test('opaque values must use a non-structural value tag', async (t) => {
  for (const tag of [0x03, 0x0f, 0x34, 0x37, 0x4a, 0x100, 2.5]) {
    t.throws(() => encodeMessage(message([{ name: 'x', values: [{ syntax: 'opaque', tag, bytes: new Uint8Array(0) }] }])), ENCODE_ERROR);
  }
  for (const bytes of [new Uint8Array([0, 0, 1]), new Uint8Array([0x80, 0, 0, 0])]) {
    t.throws(() => encodeMessage(message([{ name: 'x', values: [{ syntax: 'opaque', tag: 0x7f, bytes }] }])), ENCODE_ERROR);
  }
});

t.test('an attribute object encoded again comes from the cache with identical bytes', async (t) => {
  const media = {
    name: 'media-col-default',
    values: [
      {
        syntax: 'collection' as const,
        members: [
          { name: 'media-size-name', values: [{ syntax: 'keyword' as const, value: 'iso_a4_210x297mm' }] },
          { name: 'media-top-margin', values: [{ syntax: 'integer' as const, value: 423 }] },
        ],
      },
    ],
  };
  const fresh = (): IppMessage => ({
    version: { major: 2, minor: 0 },
    code: 0,
    requestId: 7,
    groups: [{ tag: 'printer', attributes: [structuredClone(media)] }],
  });
  const shared: IppMessage = { ...fresh(), groups: [{ tag: 'printer', attributes: [media, media] }] };
  const expectedOne = encodeMessage(fresh());
  const first = encodeMessage(shared);
  const second = encodeMessage(shared);
  const third = encodeMessage(shared);
  t.same(second, first);
  t.same(third, first);
  const oneAttr = expectedOne.subarray(9, expectedOne.length - 1);
  t.same(first.subarray(9, first.length - 1), Buffer.concat([oneAttr, oneAttr]), 'both copies encode like a fresh object');
});
