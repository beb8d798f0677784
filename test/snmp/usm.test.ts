// USM cryptography: key localization against RFC 3414 §A.3.2 (SHA-1) and independently computed SHA-2 keys
// (RFC 7860 §9.3 uses the same algorithm), digests over a message with a zeroed field, AES-CFB round trips.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { createHmac } from 'node:crypto';
import {
  SaltSource,
  decryptScopedPdu,
  encryptScopedPdu,
  localizeKey,
  localizeUser,
  messageDigest,
  passwordToKey,
  privKeyFromLocalized,
  signMessage,
  verifyMessage,
  type AuthProtocol,
} from '../../src/snmp/usm.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

const ENGINE_ID = Buffer.from('000000000000000000000002', 'hex');

t.test('SHA-1 key localization matches the RFC 3414 §A.3.2 test vector', async (t) => {
  const ku = passwordToKey('SHA', 'maplesyrup');
  t.equal(ku.toString('hex'), '9fb5cc0381497b3793528939ff788d5d79145211');
  t.equal(localizeKey('SHA', ku, ENGINE_ID).toString('hex'), '6695febc9288e36282235fc7151f128497b38f3f');
});

// Expected values computed with Python's hashlib from the RFC 3414 §A.2 algorithm (an independent implementation).
const SHA2_LOCALIZED: Readonly<Record<Exclude<AuthProtocol, 'SHA'>, string>> = {
  'SHA-224': '0bd8827c6e29f8065e08e09237f177e410f69b90e1782be682075674',
  'SHA-256': '8982e0e549e866db361a6b625d84cccc11162d453ee8ce3a6445c2d6776f0f8b',
  'SHA-384': '3b298f16164a11184279d5432bf169e2d2a48307de02b3d3f7e2b4f36eb6f0455a53689a3937eea07319a633d2ccba78',
  'SHA-512':
    '22a5a36cedfcc085807a128d7bc6c2382167ad6c0dbc5fdff856740f3d84c099ad1ea87a8db096714d9788bd544047c9021e4229ce27e4c0a69250adfcffbb0b',
};

t.test('SHA-2 key localization follows RFC 7860 §9.3 (the RFC 3414 algorithm with the SHA-2 hash)', async (t) => {
  for (const [auth, expected] of Object.entries(SHA2_LOCALIZED) as [AuthProtocol, string][]) {
    t.equal(localizeKey(auth, passwordToKey(auth, 'maplesyrup'), ENGINE_ID).toString('hex'), expected, auth);
  }
});

t.test('an empty password is refused', async (t) => {
  t.throws(() => passwordToKey('SHA', ''), RangeError);
});

t.test('privacy keys are truncated to the cipher, or extended with H(Kul) when the hash is too short', async (t) => {
  const kul = Buffer.from('6695febc9288e36282235fc7151f128497b38f3f', 'hex');
  t.same(privKeyFromLocalized('SHA', 'AES', kul), kul.subarray(0, 16));
  const extended = privKeyFromLocalized('SHA', 'AES-256', kul);
  t.equal(extended.length, 32);
  t.same(extended.subarray(0, 20), kul);
  t.not(extended.subarray(20).toString('hex'), '00'.repeat(12));
  const user = localizeUser({ name: 'u', authProtocol: 'SHA', authPassword: 'maplesyrup', privProtocol: 'AES', privPassword: 'maplesyrup' }, ENGINE_ID);
  t.same(user.priv?.key, kul.subarray(0, 16), 'same password: the priv key is the auth key truncated');
  t.same(user.authKey, kul);
});

t.test('the digest covers the message with a zeroed auth field and verifies only unchanged messages', async (t) => {
  const key = Buffer.alloc(32, 7);
  const message = Buffer.from('30 20 aa bb 000000000000000000000000000000000000000000000000 cc dd'.replace(/ /g, ''), 'hex');
  const offset = 4;
  signMessage('SHA-256', key, message, offset);
  const mac = message.subarray(offset, offset + 24);
  const zeroed = Buffer.from(message);
  zeroed.fill(0, offset, offset + 24);
  t.same(mac, createHmac('sha256', key).update(zeroed).digest().subarray(0, 24), 'HMAC-SHA-256 truncated to 24 octets');
  t.ok(verifyMessage('SHA-256', key, message, offset, Buffer.from(mac)));
  const tampered = Buffer.from(message);
  tampered[tampered.length - 1] = 0;
  t.notOk(verifyMessage('SHA-256', key, tampered, offset, Buffer.from(mac)), 'changed body');
  t.notOk(verifyMessage('SHA-256', Buffer.alloc(32, 8), message, offset, Buffer.from(mac)), 'other key');
  t.notOk(verifyMessage('SHA-256', key, message, offset, Buffer.from(mac).subarray(0, 12)), 'wrong MAC length');
  for (const at of [0, 11, 23]) {
    const changed = Buffer.from(mac);
    changed[at] = (changed[at] as number) ^ 0x01;
    t.notOk(verifyMessage('SHA-256', key, message, offset, changed), `MAC with octet ${at} changed`);
  }
  t.equal(messageDigest('SHA', key, message).length, 12, 'HMAC-SHA-96');
  t.equal(messageDigest('SHA-512', key, message).length, 48);
});

t.test('the digest is RFC 2104 HMAC for every protocol, key length and message length', async (t) => {
  const protocols = ['SHA', 'SHA-224', 'SHA-256', 'SHA-384', 'SHA-512'] as const;
  const hashes = { SHA: 'sha1', 'SHA-224': 'sha224', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' } as const;
  let checked = 0;
  for (const auth of protocols) {
    for (const keyLength of [1, 20, 32, 64, 65, 128, 129, 200]) {
      const key = Buffer.alloc(keyLength, keyLength * 7 + 1);
      for (const messageLength of [0, 1, 63, 64, 150, 1500]) {
        const message = Buffer.alloc(messageLength, messageLength % 251);
        const want = createHmac(hashes[auth], key).update(message).digest();
        // Twice: the per-key pads are reused on the second call.
        for (let i = 0; i < 2; i++) if (messageDigest(auth, key, message).equals(want.subarray(0, messageDigest(auth, key, message).length))) checked++;
      }
    }
  }
  t.equal(checked, 5 * 8 * 6 * 2, 'every digest equals createHmac truncated to the MAC length');
});

t.test('AES-CFB encryption round-trips, keeps the length and depends on boots, time and salt', async (t) => {
  const key = Buffer.alloc(16, 1);
  const plain = Buffer.from('a scopedPDU of an odd length: 37 oct');
  const salt = Buffer.from('0102030405060708', 'hex');
  const cipher = encryptScopedPdu('AES', key, 5, 1000, salt, plain);
  t.equal(cipher.length, plain.length);
  t.same(decryptScopedPdu('AES', key, 5, 1000, salt, cipher), plain);
  t.notSame(decryptScopedPdu('AES', key, 5, 1001, salt, cipher), plain, 'other engineTime');
  t.notSame(decryptScopedPdu('AES', key, 6, 1000, salt, cipher), plain, 'other engineBoots');
  t.notSame(encryptScopedPdu('AES', key, 5, 1000, Buffer.alloc(8), plain), cipher, 'other salt');
  const key256 = Buffer.alloc(32, 2);
  t.same(decryptScopedPdu('AES-256', key256, 1, 2, salt, encryptScopedPdu('AES-256', key256, 1, 2, salt, plain)), plain);
});

t.test('salts never repeat between consecutive messages', async (t) => {
  const salts = new SaltSource();
  const seen = new Set<string>();
  for (let i = 0; i < 100; i++) seen.add(hex(salts.next()));
  t.equal(seen.size, 100);
});

t.test('the salt counter carries into its high half and wraps at 2^64', async (t) => {
  const carry = new SaltSource(Buffer.from('00000001ffffffff', 'hex'));
  t.equal(hex(carry.next()), '00000001ffffffff');
  t.equal(hex(carry.next()), '0000000200000000');
  t.equal(hex(carry.next()), '0000000200000001');
  const wrap = new SaltSource(Buffer.from('ffffffffffffffff', 'hex'));
  t.equal(hex(wrap.next()), 'ffffffffffffffff');
  t.equal(hex(wrap.next()), '0000000000000000');
  t.throws(() => new SaltSource(Buffer.alloc(4)), RangeError);
});
