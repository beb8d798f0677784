// Message codec tests: captured and hand-annotated fixtures, round trips of every value type, length forms, exact
// size functions, and one test per malformation the decoder must reject.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import type { Test } from 'tap';
import { decodeMessage, encodeMessage, encodedLength, messageLength, varbindLength } from '../../src/snmp/message.js';
import type { CommunityMessage, SnmpValue, VarBind } from '../../src/snmp/types.js';
import { FIXTURES, V1_GET, V1_GET_MESSAGE, V2C_RESPONSE_MESSAGE, ascii } from '../fixtures/snmp/packets.js';

/** BER length octets, minimal. */
function len(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v % 256);
  return [0x80 | out.length, ...out];
}

function tlv(tag: number, ...content: number[][]): number[] {
  const body = content.flat();
  return [tag, ...len(body.length), ...body];
}

const SYS_DESCR = tlv(0x06, [0x2b, 6, 1, 2, 1, 1, 1, 0]);
const NULL = [0x05, 0x00];
const int = (...bytes: number[]): number[] => tlv(0x02, bytes);
const vb = (value: number[], name = SYS_DESCR): number[] => tlv(0x30, name, value);
const pdu = (tag: number, varbinds: number[][], head = [int(1), int(0), int(0)]): number[] => tlv(tag, ...head, tlv(0x30, ...varbinds));
const packet = (body: number[], version = int(1), community = tlv(0x04, [...ascii('public')])): Uint8Array =>
  Uint8Array.from(tlv(0x30, version, community, body));

function v2c(varbinds: readonly VarBind[], type: CommunityMessage['pdu']['type'] = 'response'): CommunityMessage {
  return { version: 1, community: ascii('public'), pdu: { type, requestId: 7, errorStatus: 0, errorIndex: 0, varbinds } };
}

function rejects(t: Test, bytes: Uint8Array | number[], message: RegExp, kind = 'parse'): void {
  t.throws(() => decodeMessage(Uint8Array.from(bytes)), { name: 'SnmpDecodeError', code: 'ERR_SNMP_DECODE', kind, message });
}

t.test('each fixture decodes to its model and encodes back to the same bytes', async (t) => {
  for (const f of FIXTURES) {
    t.same(decodeMessage(f.bytes), f.message, f.name);
    t.same([...encodeMessage(f.message)], [...f.bytes], f.name);
    t.equal(encodedLength(f.message), f.bytes.length, f.name);
  }
});

t.test('decoded byte values are copies that do not alias the packet', async (t) => {
  const bytes = Uint8Array.from(V1_GET);
  const msg = decodeMessage(bytes);
  bytes.fill(0);
  t.same([...msg.community], [...ascii('public')]);
  t.equal(msg.community.buffer === bytes.buffer, false);
});

t.test('every value type round-trips at its boundary values', async (t) => {
  const values: SnmpValue[] = [
    ...[0, -1, 1, 127, 128, -128, -129, 255, 256, 32767, -32768, 8388607, -8388608, 2147483647, -2147483648].map(
      (value): SnmpValue => ({ type: 'integer', value }),
    ),
    ...(['counter32', 'gauge32', 'timeticks'] as const).flatMap((type) =>
      [0, 127, 128, 255, 65535, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1].map((value): SnmpValue => ({ type, value })),
    ),
    ...[0n, 127n, 128n, 2n ** 32n, 2n ** 63n - 1n, 2n ** 63n, 2n ** 64n - 1n].map((value): SnmpValue => ({ type: 'counter64', value })),
    ...[[0, 0], [0, 39], [1, 39], [2, 40], [2, 999, 1], [2, 2 ** 32 - 1], [1, 3, 2 ** 32 - 1, 0, 127, 128, 16383, 16384]].map(
      (value): SnmpValue => ({ type: 'oid', value }),
    ),
    { type: 'octets', value: new Uint8Array(0) },
    { type: 'octets', value: Uint8Array.from([0, 0x80, 0xff]) },
    { type: 'opaque', value: Uint8Array.from([0x9f, 0x78, 4, 0x3f, 0x80, 0, 0]) },
    { type: 'ipAddress', value: Uint8Array.from([255, 0, 0, 1]) },
    { type: 'null' },
    { type: 'noSuchObject' },
    { type: 'noSuchInstance' },
    { type: 'endOfMibView' },
  ];
  for (const value of values) {
    const msg = v2c([{ oid: [1, 3, 6, 1, 4, 1, 2699, 2 ** 32 - 1], value }]);
    const bytes = encodeMessage(msg);
    t.same(decodeMessage(bytes), msg, `${value.type} ${'value' in value ? String(value.value) : ''}`);
    t.equal(bytes.length, encodedLength(msg));
  }
});

t.test('octet strings of 127, 128, 255, 256, 65535 and 65536 octets use the minimal length form', async (t) => {
  const cases: [number, number[]][] = [
    [127, [0x04, 0x7f]],
    [128, [0x04, 0x81, 0x80]],
    [255, [0x04, 0x81, 0xff]],
    [256, [0x04, 0x82, 0x01, 0x00]],
    [65535, [0x04, 0x82, 0xff, 0xff]],
    [65536, [0x04, 0x83, 0x01, 0x00, 0x00]],
  ];
  for (const [size, header] of cases) {
    const value = new Uint8Array(size).map((_, i) => i & 0xff);
    const msg = v2c([{ oid: [1, 3], value: { type: 'octets', value } }]);
    const bytes = encodeMessage(msg);
    const at = bytes.length - size - header.length;
    t.same([...bytes.subarray(at, at + header.length)], header, `${size} octets`);
    t.same(decodeMessage(bytes), msg, `${size} octets round trip`);
  }
});

t.test('the decoder accepts non-minimal long-form lengths, which BER allows', async (t) => {
  // Message length 0x84 0 0 0 0x29 instead of 0x29.
  const bytes = Uint8Array.from([0x30, 0x84, 0, 0, 0, 0x29, ...V1_GET.subarray(2)]);
  t.same(decodeMessage(bytes), V1_GET_MESSAGE);
});

t.test('messageLength and varbindLength predict the encoded size across length-form boundaries', async (t) => {
  for (let size = 90; size < 300; size++) {
    const varbinds: VarBind[] = [
      { oid: [1, 3, 6, 1, 2, 1, 43, 11, 1, 1, 6, 1, 1], value: { type: 'octets', value: new Uint8Array(size) } },
      { oid: [1, 3, 6, 1, 2, 1, 1, 3, 0], value: { type: 'timeticks', value: 2 ** 32 - 1 } },
    ];
    const msg = v2c(varbinds);
    const sum = varbinds.reduce((n, v) => n + varbindLength(v), 0);
    const bytes = encodeMessage(msg);
    if (messageLength(msg, sum) !== bytes.length) t.fail(`messageLength wrong for ${size}`);
  }
  const big = v2c(V2C_RESPONSE_MESSAGE.pdu.varbinds, 'response');
  const header = { ...big, pdu: { ...big.pdu, requestId: -2147483648, errorStatus: 1, errorIndex: 300 } };
  t.equal(messageLength(header, 0), encodeMessage({ ...header, pdu: { ...header.pdu, varbinds: [] } }).length);
});

t.test('the encoder refuses what cannot go on the wire with ERR_SNMP_ENCODE', async (t) => {
  const oid = [1, 3, 6, 1];
  const bad: [string, CommunityMessage][] = [
    ['v1 Trap-PDU', { ...V1_GET_MESSAGE, pdu: { ...V1_GET_MESSAGE.pdu, type: 'trap' } }],
    ['GetBulk in v1', { ...V1_GET_MESSAGE, pdu: { ...V1_GET_MESSAGE.pdu, type: 'getBulk' } }],
    ['Counter64 in v1', { ...V1_GET_MESSAGE, pdu: { ...V1_GET_MESSAGE.pdu, varbinds: [{ oid, value: { type: 'counter64', value: 1n } }] } }],
    ['endOfMibView in v1', { ...V1_GET_MESSAGE, pdu: { ...V1_GET_MESSAGE.pdu, varbinds: [{ oid, value: { type: 'endOfMibView' } }] } }],
    ['version 3', { ...V1_GET_MESSAGE, version: 3 as 0 }],
    ['INTEGER 2^31', v2c([{ oid, value: { type: 'integer', value: 2 ** 31 } }])],
    ['INTEGER 1.5', v2c([{ oid, value: { type: 'integer', value: 1.5 } }])],
    ['Gauge32 -1', v2c([{ oid, value: { type: 'gauge32', value: -1 } }])],
    ['Counter32 2^32', v2c([{ oid, value: { type: 'counter32', value: 2 ** 32 } }])],
    ['Counter64 2^64', v2c([{ oid, value: { type: 'counter64', value: 2n ** 64n } }])],
    ['IpAddress of 3 octets', v2c([{ oid, value: { type: 'ipAddress', value: new Uint8Array(3) } }])],
    ['OID name with one arc', v2c([{ oid: [1], value: { type: 'null' } }])],
    ['OID value 1.40', v2c([{ oid, value: { type: 'oid', value: [1, 40] } }])],
    ['request-id beyond int32', { ...V1_GET_MESSAGE, pdu: { ...V1_GET_MESSAGE.pdu, requestId: 2 ** 31 } }],
  ];
  for (const [name, msg] of bad) t.throws(() => encodeMessage(msg), { name: 'FirmwareError', code: 'ERR_SNMP_ENCODE' }, name);
});

t.test('the outer message must be one definite-length SEQUENCE filling the packet', async (t) => {
  const good = [...V1_GET];
  rejects(t, [], /truncated/);
  rejects(t, [0x31, ...good.slice(1)], /message: tag 0x31/);
  rejects(t, [0x30, 0x80, ...good.slice(2), 0, 0], /indefinite length/);
  rejects(t, [0x30, 0x85, 0, 0, 0, 0, 0x29, ...good.slice(2)], /length of 5 octets/);
  rejects(t, [0x30, 0x82, 0x01], /truncated length/);
  rejects(t, [0x30, 0x2a, ...good.slice(2)], /beyond the enclosing/);
  rejects(t, [0x30, 0x84, 0xff, 0xff, 0xff, 0xff, ...good.slice(2)], /beyond the enclosing/);
  rejects(t, [...good, 0x00], /1 trailing octets/);
  rejects(t, good.slice(0, -1), /beyond the enclosing/);
});

t.test('a well-formed version other than 0 or 1 is badVersion, a malformed one a parse error', async (t) => {
  const body = pdu(0xa0, [vb(NULL)]);
  rejects(t, packet(body, int(2)), /version 2 not supported/, 'badVersion');
  rejects(t, packet(body, int(3)), /version 3 not supported/, 'badVersion');
  rejects(t, packet(body, int(0xff)), /version -1 not supported/, 'badVersion');
  rejects(t, packet(body, int(0, 1)), /minimal/);
  rejects(t, packet(body, int()), /empty INTEGER/);
  rejects(t, packet(body, tlv(0x04, [1])), /version: tag 0x4/);
  rejects(t, packet(body, int(1, 0, 0, 0, 0)), /beyond int32/);
});

t.test('the community must be a primitive OCTET STRING', async (t) => {
  const body = pdu(0xa0, [vb(NULL)]);
  rejects(t, packet(body, int(1), tlv(0x24, tlv(0x04, [0x61]))), /community: tag 0x24/);
  rejects(t, packet(body, int(1), int(1)), /community: tag 0x2/);
});

t.test('only the RFC 3416 PDU tags are accepted, and v1 messages carry only v1 PDUs', async (t) => {
  for (const tag of [0xa0, 0xa1, 0xa2, 0xa3, 0xa5, 0xa6, 0xa7, 0xa8]) t.doesNotThrow(() => decodeMessage(packet(pdu(tag, [vb(NULL)]))));
  rejects(t, packet(pdu(0xa4, [vb(NULL)])), /PDU tag 0xa4/);
  for (const tag of [0xa9, 0xbf, 0x30, 0x80, 0xe0]) rejects(t, packet(pdu(tag, [vb(NULL)])), /PDU tag/);
  for (const tag of [0xa5, 0xa6, 0xa7, 0xa8]) rejects(t, packet(pdu(tag, [vb(NULL)]), int(0)), /in an SNMPv1 message/);
});

t.test('PDU fields must be int32 INTEGERs and nothing may follow the variable-bindings', async (t) => {
  rejects(t, packet(pdu(0xa0, [vb(NULL)], [int(1, 0, 0, 0, 0), int(0), int(0)])), /beyond int32/);
  rejects(t, packet(pdu(0xa0, [vb(NULL)], [int(0, 0x7f), int(0), int(0)])), /minimal/);
  rejects(t, packet(pdu(0xa0, [vb(NULL)], [int(1), int(0)])), /error-index: tag 0x30/);
  rejects(t, packet(pdu(0xa0, [vb(NULL)], [int(1), int(0), tlv(0x41, [0])])), /error-index: tag 0x41/);
  rejects(t, packet([...pdu(0xa0, [vb(NULL)]), 0x05, 0x00]), /after the PDU/);
  rejects(t, packet(tlv(0xa0, int(1), int(0), int(0), tlv(0x30, vb(NULL)), NULL)), /after variable-bindings/);
  rejects(t, packet(tlv(0xa0, int(1), int(0), int(0), tlv(0x31, vb(NULL)))), /variable-bindings: tag 0x31/);
});

t.test('a VarBind is exactly an OID and one value, each inside its enclosing length', async (t) => {
  rejects(t, packet(pdu(0xa0, [tlv(0x30, SYS_DESCR)])), /truncated tag and length/);
  rejects(t, packet(pdu(0xa0, [tlv(0x30, SYS_DESCR, NULL, NULL)])), /after a VarBind value/);
  rejects(t, packet(pdu(0xa0, [tlv(0x30, tlv(0x04, [1]), NULL)])), /VarBind name: tag 0x4/);
  rejects(t, packet(pdu(0xa0, [[0x31, 0x0c, ...SYS_DESCR, ...NULL]])), /VarBind: tag 0x31/);
  // The VarBind claims one octet more than the list holds, although the packet has it.
  const list = tlv(0x30, [0x30, 0x0d, ...SYS_DESCR, ...NULL]);
  rejects(t, packet([...tlv(0xa0, int(1), int(0), int(0), list), 0x00]), /beyond the enclosing/);
  // An OID whose length runs past the VarBind.
  rejects(t, packet(pdu(0xa0, [[0x30, 0x04, 0x06, 0x08, 0x2b, 0x06], NULL])), /beyond the enclosing/);
});

t.test('value tags outside RFC 3416 are rejected, constructed forms included', async (t) => {
  for (const tag of [0x01, 0x03, 0x09, 0x0a, 0x24, 0x26, 0x30, 0x45, 0x47, 0x5f, 0x83, 0xa0, 0x1f]) {
    rejects(t, packet(pdu(0xa2, [vb([tag, 0x00])])), /value tag/);
  }
});

t.test('values must have the contents their type allows', async (t) => {
  const bad: [number[], RegExp][] = [
    [[0x05, 0x01, 0x00], /NULL with contents/],
    [[0x80, 0x01, 0x00], /exception value with contents/],
    [[0x82, 0x01, 0x00], /exception value with contents/],
    [tlv(0x40, [127, 0, 1]), /IpAddress of 3 octets/],
    [tlv(0x40, [127, 0, 0, 1, 0]), /IpAddress of 5 octets/],
    [int(0xff, 0xff), /minimal/],
    [int(0, 0, 0, 0, 1), /minimal/],
    [int(0x7f, 0xff, 0xff, 0xff, 0xff), /beyond int32/],
    [int(), /empty INTEGER/],
    [tlv(0x41, [0xff]), /negative unsigned/],
    [tlv(0x42, [0, 0x7f]), /minimal/],
    [tlv(0x43, [1, 0, 0, 0, 0]), /beyond 32 bits/],
    [tlv(0x46, [0x80]), /negative Counter64/],
    [tlv(0x46, [1, 0, 0, 0, 0, 0, 0, 0, 0]), /beyond 64 bits/],
    [tlv(0x06, []), /empty OBJECT IDENTIFIER/],
    [tlv(0x06, [0x2b, 0x80, 0x01]), /leading 0x80/],
    [tlv(0x06, [0x2b, 0x86]), /truncated OBJECT IDENTIFIER/],
    [tlv(0x06, [0x2b, 0x90, 0x80, 0x80, 0x80, 0x00]), /beyond 2\^32-1/],
  ];
  for (const [value, message] of bad) rejects(t, packet(pdu(0xa2, [vb(value)])), message);
});

t.test('SNMPv1 messages may not carry Counter64 or the SNMPv2 exceptions', async (t) => {
  for (const value of [tlv(0x46, [1]), [0x80, 0], [0x81, 0], [0x82, 0]]) {
    rejects(t, packet(pdu(0xa2, [vb(value)]), int(0)), /in an SNMPv1 message/);
    t.doesNotThrow(() => decodeMessage(packet(pdu(0xa2, [vb(value)]), int(1))));
  }
});
