// BER primitive tests: length forms, minimal INTEGER and unsigned encodings at their boundaries, OID subidentifiers.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import {
  BerReader,
  MAX_OID_ARCS,
  decodeInt32,
  decodeOid,
  decodeUint32,
  decodeUint64,
  int32Size,
  lengthOfLength,
  oidSize,
  tlvSize,
  uint32Size,
  uint64Size,
  writeHeader,
  writeIntContent,
  writeOidContent,
  writeUint64Content,
} from '../../src/snmp/ber.js';
import type { Oid } from '../../src/snmp/types.js';

const u8 = (...bytes: number[]): Uint8Array => Uint8Array.from(bytes);
const decodeError = { name: 'SnmpDecodeError', code: 'ERR_SNMP_DECODE', kind: 'parse' };
const encodeError = { name: 'FirmwareError', code: 'ERR_SNMP_ENCODE' };

function header(bytes: Uint8Array): { tag: number; start: number; end: number } {
  const r = new BerReader(bytes);
  const end = r.header(bytes.length);
  return { tag: r.tag, start: r.pos, end };
}

t.test('writeHeader uses the short form below 128 and the fewest long-form octets above', async (t) => {
  const cases: [number, number[]][] = [
    [0, [0x04, 0x00]],
    [127, [0x04, 0x7f]],
    [128, [0x04, 0x81, 0x80]],
    [255, [0x04, 0x81, 0xff]],
    [256, [0x04, 0x82, 0x01, 0x00]],
    [65535, [0x04, 0x82, 0xff, 0xff]],
    [65536, [0x04, 0x83, 0x01, 0x00, 0x00]],
    [2 ** 24, [0x04, 0x84, 0x01, 0x00, 0x00, 0x00]],
    [2 ** 32 - 1, [0x04, 0x84, 0xff, 0xff, 0xff, 0xff]],
  ];
  for (const [len, expected] of cases) {
    const buf = Buffer.alloc(8);
    const end = writeHeader(buf, 0, 0x04, len);
    t.same([...buf.subarray(0, end)], expected, `length ${len}`);
    t.equal(lengthOfLength(len), expected.length - 1);
  }
  t.equal(tlvSize(128), 131);
});

t.test('the reader reads every definite length form and checks it against the enclosing end', async (t) => {
  t.same(header(u8(0x04, 0x02, 1, 2)), { tag: 4, start: 2, end: 4 });
  t.same(header(u8(0x04, 0x81, 0x01, 9)), { tag: 4, start: 3, end: 4 });
  t.same(header(u8(0x04, 0x82, 0x00, 0x01, 9)), { tag: 4, start: 4, end: 5 });
  t.same(header(u8(0x04, 0x84, 0, 0, 0, 1, 9)), { tag: 4, start: 6, end: 7 });
  t.throws(() => header(u8(0x04)), { ...decodeError, message: /truncated tag and length/ });
  t.throws(() => header(u8(0x04, 0x80, 0, 0)), { ...decodeError, message: /indefinite length/ });
  t.throws(() => header(u8(0x04, 0x85, 0, 0, 0, 0, 1, 9)), { ...decodeError, message: /length of 5 octets/ });
  t.throws(() => header(u8(0x04, 0xff)), { ...decodeError, message: /length of 127 octets/ });
  t.throws(() => header(u8(0x04, 0x82, 0x01)), { ...decodeError, message: /truncated length/ });
  t.throws(() => header(u8(0x04, 0x03, 1, 2)), { ...decodeError, message: /length 3 beyond/ });
  t.throws(() => header(u8(0x04, 0x84, 0xff, 0xff, 0xff, 0xff)), { ...decodeError, message: /length 4294967295 beyond/ });
});

t.test('the reader enforces the enclosing end, not only the packet end', async (t) => {
  // A SEQUENCE of 2 octets holding an OCTET STRING that claims 2 more: the packet has them, the SEQUENCE does not.
  const r = new BerReader(u8(0x30, 0x02, 0x04, 0x02, 0x61, 0x62));
  const sequenceEnd = r.header(6);
  t.equal(sequenceEnd, 4);
  t.throws(() => r.header(sequenceEnd), { ...decodeError, message: /length 2 beyond the enclosing/ });
  t.throws(() => new BerReader(u8(0x02, 0x01, 0x00)).expect(0x04, 3, 'community'), { ...decodeError, message: /community: tag 0x2/ });
});

t.test('int32 values encode to minimal two\'s complement and decode back', async (t) => {
  const cases: [number, number[]][] = [
    [0, [0x00]],
    [-1, [0xff]],
    [127, [0x7f]],
    [128, [0x00, 0x80]],
    [-128, [0x80]],
    [-129, [0xff, 0x7f]],
    [32767, [0x7f, 0xff]],
    [32768, [0x00, 0x80, 0x00]],
    [-8388608, [0x80, 0x00, 0x00]],
    [2147483647, [0x7f, 0xff, 0xff, 0xff]],
    [-2147483648, [0x80, 0x00, 0x00, 0x00]],
  ];
  for (const [value, bytes] of cases) {
    const size = int32Size(value);
    const buf = Buffer.alloc(size);
    writeIntContent(buf, 0, value, size);
    t.same([...buf], bytes, `encode ${value}`);
    t.equal(decodeInt32(u8(...bytes), 0, bytes.length), value, `decode ${value}`);
  }
});

t.test('INTEGER decoding rejects empty, non-minimal and beyond-int32 contents', async (t) => {
  for (const bytes of [[], [0x00, 0x7f], [0xff, 0x80], [0x00, 0x00], [0x01, 0, 0, 0, 0], [0x00, 0x80, 0, 0, 0]]) {
    t.throws(() => decodeInt32(u8(...bytes), 0, bytes.length), decodeError, bytes.join(' '));
  }
  for (const value of [2 ** 31, -(2 ** 31) - 1, 0.5, Number.NaN, Infinity]) t.throws(() => int32Size(value), encodeError, String(value));
});

t.test('unsigned 32-bit values get a leading 0x00 exactly when the top bit is set', async (t) => {
  const cases: [number, number[]][] = [
    [0, [0x00]],
    [127, [0x7f]],
    [128, [0x00, 0x80]],
    [65535, [0x00, 0xff, 0xff]],
    [2 ** 31 - 1, [0x7f, 0xff, 0xff, 0xff]],
    [2 ** 31, [0x00, 0x80, 0x00, 0x00, 0x00]],
    [2 ** 32 - 1, [0x00, 0xff, 0xff, 0xff, 0xff]],
  ];
  for (const [value, bytes] of cases) {
    const size = uint32Size(value);
    const buf = Buffer.alloc(size);
    writeIntContent(buf, 0, value, size);
    t.same([...buf], bytes, `encode ${value}`);
    t.equal(decodeUint32(u8(...bytes), 0, bytes.length), value, `decode ${value}`);
  }
  for (const bytes of [[], [0xff], [0x80, 0, 0, 0], [0x00, 0x01], [0x01, 0, 0, 0, 0], [0x00, 0xff, 0xff, 0xff, 0xff, 0xff]]) {
    t.throws(() => decodeUint32(u8(...bytes), 0, bytes.length), decodeError, bytes.join(' '));
  }
  for (const value of [-1, 2 ** 32, 1.5]) t.throws(() => uint32Size(value), encodeError, String(value));
});

t.test('Counter64 covers 0 to 2^64-1 with a leading 0x00 when the top bit is set', async (t) => {
  const cases: [bigint, number[]][] = [
    [0n, [0x00]],
    [255n, [0x00, 0xff]],
    [2n ** 63n - 1n, [0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]],
    [2n ** 63n, [0x00, 0x80, 0, 0, 0, 0, 0, 0, 0]],
    [2n ** 64n - 1n, [0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]],
  ];
  for (const [value, bytes] of cases) {
    const size = uint64Size(value);
    const buf = Buffer.alloc(size);
    writeUint64Content(buf, 0, value, size);
    t.same([...buf], bytes, `encode ${value}`);
    t.equal(decodeUint64(u8(...bytes), 0, bytes.length), value, `decode ${value}`);
  }
  for (const bytes of [[], [0x80], [0x00, 0x10], [0x01, 0, 0, 0, 0, 0, 0, 0, 0], [0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]]) {
    t.throws(() => decodeUint64(u8(...bytes), 0, bytes.length), decodeError, bytes.join(' '));
  }
  for (const value of [-1n, 2n ** 64n]) t.throws(() => uint64Size(value), encodeError, String(value));
});

function encodeOid(oid: Oid): number[] {
  const buf = Buffer.alloc(oidSize(oid) + 1, 0xee);
  if (writeOidContent(buf, 0, oid) !== buf.length - 1) throw new Error('writeOidContent disagrees with oidSize');
  return [...buf.subarray(0, -1)];
}

t.test('OIDs encode the first two arcs as 40*X+Y and later arcs in base 128', async (t) => {
  const cases: [number[], number[]][] = [
    [[0, 0], [0x00]],
    [[0, 39], [0x27]],
    [[1, 3, 6, 1], [0x2b, 0x06, 0x01]],
    [[1, 39], [0x4f]],
    [[2, 0], [0x50]],
    [[2, 47], [0x7f]],
    [[2, 48], [0x81, 0x00]],
    [[2, 999, 1], [0x88, 0x37, 0x01]],
    [[2, 2 ** 32 - 1], [0x90, 0x80, 0x80, 0x80, 0x4f]],
    [[1, 3, 0, 127, 128, 16383, 16384], [0x2b, 0x00, 0x7f, 0x81, 0x00, 0xff, 0x7f, 0x81, 0x80, 0x00]],
    [[1, 3, 2 ** 32 - 1], [0x2b, 0x8f, 0xff, 0xff, 0xff, 0x7f]],
  ];
  for (const [oid, bytes] of cases) {
    t.same(encodeOid(oid), bytes, oid.join('.'));
    t.same(decodeOid(u8(...bytes), 0, bytes.length), oid, oid.join('.'));
  }
});

t.test('OIDs of exactly 128 arcs pass both ways and 129 arcs fail both ways', async (t) => {
  const max = [1, 3, ...new Array<number>(MAX_OID_ARCS - 2).fill(5)];
  const bytes = encodeOid(max);
  t.same(decodeOid(u8(...bytes), 0, bytes.length), max);
  const over = [...bytes, 5];
  t.throws(() => decodeOid(u8(...over), 0, over.length), { ...decodeError, message: /longer than 128 arcs/ });
  t.throws(() => oidSize([...max, 5]), encodeError);
  const tooMany = new Uint8Array(10000).fill(1);
  t.throws(() => decodeOid(tooMany, 0, tooMany.length), { ...decodeError, message: /longer than 128 arcs/ });
});

t.test('OID decoding rejects empty contents, 0x80 leading octets, truncation and arcs above 2^32-1', async (t) => {
  const bad: [number[], RegExp][] = [
    [[], /empty/],
    [[0x80, 0x01], /leading 0x80/],
    [[0x2b, 0x80, 0x7f], /leading 0x80/],
    [[0x2b, 0x81], /truncated/],
    [[0x2b, 0x90, 0x80, 0x80, 0x80, 0x00], /beyond 2\^32-1/],
    [[0x90, 0x80, 0x80, 0x80, 0x50], /beyond 2\^32-1/],
    [[0x2b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f], /beyond 2\^32-1/],
  ];
  for (const [bytes, message] of bad) t.throws(() => decodeOid(u8(...bytes), 0, bytes.length), { ...decodeError, message }, bytes.join(' '));
});

t.test('OID encoding refuses arcs the encoding cannot carry', async (t) => {
  for (const oid of [[], [1], [3, 1], [1, 40], [0, 40], [-1, 1], [1, 3, -1], [1, 3, 2 ** 32], [1, 3, 1.5], [2, 2 ** 32]]) {
    t.throws(() => oidSize(oid), encodeError, oid.join('.'));
  }
});
