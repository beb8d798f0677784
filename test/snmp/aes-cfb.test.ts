// The long-lived AES-CFB codec against a fresh node:crypto Cipheriv per message (the reference), over interleaved
// messages of every length class, all key sizes, and the NIST SP 800-38A F.3.13 CFB128-AES128 vector.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { createCipheriv, createDecipheriv, randomBytes, randomInt } from 'node:crypto';
import { AesCfb, aesCfbFor } from '../../src/snmp/aes-cfb.js';

const CFB: Readonly<Record<number, string>> = { 16: 'aes-128-cfb', 24: 'aes-192-cfb', 32: 'aes-256-cfb' };

function referenceEncrypt(key: Buffer, iv: Buffer, data: Buffer): Buffer {
  const c = createCipheriv(CFB[key.length] ?? '', key, iv);
  return Buffer.concat([c.update(data), c.final()]);
}

function referenceDecrypt(key: Buffer, iv: Buffer, data: Buffer): Buffer {
  const d = createDecipheriv(CFB[key.length] ?? '', key, iv);
  return Buffer.concat([d.update(data), d.final()]);
}

t.test('NIST SP 800-38A F.3.13: CFB128-AES128.Encrypt and Decrypt', async (t) => {
  const key = Buffer.from('2b7e151628aed2a6abf7158809cf4f3c', 'hex');
  const iv = Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex');
  const plain = Buffer.from(
    '6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710',
    'hex',
  );
  const cipher = '3b3fd92eb72dad20333449f8e83cfb4ac8a64537a0b3a93fcde3cdad9f1ce58b26751f67a3cbb140b1808cf187a4f4dfc04b05357c5d1c0eeac4c66f9ff7f2e6';
  const codec = new AesCfb(key);
  t.equal(codec.encrypt(iv, plain).toString('hex'), cipher);
  t.equal(codec.decrypt(iv, Buffer.from(cipher, 'hex')).toString('hex'), plain.toString('hex'));
  // A second message under the same IV after the first: the register was brought back, not left where it ended.
  t.equal(codec.encrypt(iv, plain.subarray(0, 23)).toString('hex'), cipher.slice(0, 46));
});

t.test('every message equals a fresh Cipheriv, in any order and any length, for 128, 192 and 256-bit keys', async (t) => {
  const lengths = [0, 1, 7, 15, 16, 17, 31, 32, 33, 100, 255, 256, 1471, 4000];
  for (const keyLength of [16, 24, 32]) {
    const key = randomBytes(keyLength);
    const codec = new AesCfb(key);
    let mismatches = 0;
    for (let i = 0; i < 400; i++) {
      const n = i < lengths.length ? (lengths[i] as number) : randomInt(0, 600);
      const iv = randomBytes(16);
      const data = randomBytes(n);
      if (randomInt(2) === 0) {
        if (!codec.encrypt(iv, data).equals(referenceEncrypt(key, iv, data))) mismatches++;
      } else if (!codec.decrypt(iv, data).equals(referenceDecrypt(key, iv, data))) mismatches++;
    }
    t.equal(mismatches, 0, `${keyLength * 8}-bit key`);
  }
});

t.test('the E(register) a decryption computes serves the next encryption only while the register is unchanged', async (t) => {
  const key = randomBytes(16);
  const codec = new AesCfb(key);
  // An agent's order (decrypt a request, encrypt its answer), then two decryptions before one encryption, then two
  // encryptions in a row (the second finds no E(register) and computes it), each checked against a fresh Cipheriv.
  const steps = ['d', 'e', 'd', 'e', 'd', 'd', 'e', 'e', 'e', 'd', 'e'] as const;
  const bad: number[] = [];
  for (const [i, step] of steps.entries()) {
    const iv = randomBytes(16);
    const data = randomBytes(randomInt(1, 200));
    const ok = step === 'd' ? codec.decrypt(iv, data).equals(referenceDecrypt(key, iv, data)) : codec.encrypt(iv, data).equals(referenceEncrypt(key, iv, data));
    if (!ok) bad.push(i);
  }
  t.same(bad, []);
});

t.test('ciphertext is as long as the plaintext and round-trips', async (t) => {
  const codec = new AesCfb(randomBytes(16));
  for (const n of [0, 5, 16, 40]) {
    const iv = randomBytes(16);
    const data = randomBytes(n);
    const sealed = codec.encrypt(iv, data);
    t.equal(sealed.length, n);
    t.same(codec.decrypt(iv, sealed), data);
  }
});

t.test('wrong key and IV sizes are refused', async (t) => {
  t.throws(() => new AesCfb(Buffer.alloc(20)), RangeError);
  const codec = new AesCfb(Buffer.alloc(16));
  t.throws(() => codec.encrypt(Buffer.alloc(8), Buffer.alloc(4)), RangeError);
  t.throws(() => codec.decrypt(Buffer.alloc(17), Buffer.alloc(4)), RangeError);
});

t.test('one codec per key buffer', async (t) => {
  const key = randomBytes(16);
  t.equal(aesCfbFor(key), aesCfbFor(key));
  t.not(aesCfbFor(key), aesCfbFor(Buffer.from(key)));
});
