// Tests for the DER encoder (X.690) against hand-checked byte strings.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { bitString, boolean, contextTag, integer, nullValue, oid, sequence, setOf, time, toPem, tlv, utf8String } from '../../src/security/asn1.js';
import { ConfigError } from '../../src/errors.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

t.test('integers are minimal two-s complement with a zero byte before a set high bit', async (t) => {
  t.equal(hex(integer(0)), '020100');
  t.equal(hex(integer(127)), '02017f');
  t.equal(hex(integer(128)), '02020080');
  t.equal(hex(integer(256)), '02020100');
  t.equal(hex(integer(Buffer.from([0x00, 0x00, 0x05]))), '020105', 'leading zero bytes are dropped');
  t.equal(hex(integer(Buffer.from([0xff, 0x01]))), '020300ff01', 'unsigned bytes stay positive');
  t.throws(() => integer(-1), ConfigError);
});

t.test('object identifiers pack the first two arcs and use base-128 for large arcs', async (t) => {
  // 1.2.840.10045.4.3.2 = ecdsa-with-SHA256
  t.equal(hex(oid('1.2.840.10045.4.3.2')), '06082a8648ce3d040302');
  t.equal(hex(oid('2.5.29.17')), '0603551d11');
  t.throws(() => oid('3.1'), ConfigError);
  t.throws(() => oid('1.x'), ConfigError);
});

t.test('lengths of 128 bytes and more use the long form', async (t) => {
  t.equal(hex(tlv(0x04, Buffer.alloc(127))).slice(0, 4), '047f');
  t.equal(hex(tlv(0x04, Buffer.alloc(128))).slice(0, 6), '048180');
  t.equal(hex(tlv(0x04, Buffer.alloc(300))).slice(0, 8), '0482012c');
});

t.test('SET OF sorts its elements by their encoding', async (t) => {
  t.equal(hex(setOf(integer(2), integer(1))), '3106020101020102');
  t.equal(hex(sequence(integer(2), integer(1))), '3006020102020101', 'SEQUENCE keeps the order');
});

t.test('times are UTCTime before 2050 and GeneralizedTime from 2050', async (t) => {
  t.equal(Buffer.from(time(new Date('2026-01-02T03:04:05.678Z'))).toString('latin1').slice(2), '260102030405Z');
  t.equal(time(new Date('2026-01-02T03:04:05Z'))[0], 0x17);
  const late = time(new Date('2051-12-31T23:59:59Z'));
  t.equal(late[0], 0x18);
  t.equal(Buffer.from(late).toString('latin1').slice(2), '20511231235959Z');
});

t.test('the small types have their X.690 encodings', async (t) => {
  t.equal(hex(nullValue()), '0500');
  t.equal(hex(boolean(true)), '0101ff');
  t.equal(hex(boolean(false)), '010100');
  t.equal(hex(bitString(Buffer.from([0x80]), 7)), '03020780');
  t.equal(hex(utf8String('é')), '0c02c3a9');
  t.equal(hex(contextTag(0, integer(2), true)), 'a003020102');
  t.equal(hex(contextTag(2, Buffer.from('a'), false)), '820161');
  t.throws(() => contextTag(31, Buffer.alloc(0), false), ConfigError);
});

t.test('PEM wraps base64 at 64 characters between the labels', async (t) => {
  const pem = toPem('TEST', Buffer.alloc(60, 0xff));
  const lines = pem.trimEnd().split('\n');
  t.equal(lines[0], '-----BEGIN TEST-----');
  t.equal(lines[1]?.length, 64);
  t.equal(lines[2]?.length, 16);
  t.equal(lines[3], '-----END TEST-----');
});
