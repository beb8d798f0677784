// USM digests on a Node without crypto.hash (before 20.12): usm.ts then signs with createHmac. The one-shot hash is
// removed from node:crypto before usm.ts loads, and the digests must still be RFC 2104 HMAC with the auth field zeroed.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import crypto, { createHmac } from 'node:crypto';
import { syncBuiltinESMExports } from 'node:module';

const cryptoExports = crypto as unknown as Record<string, unknown>;
const original = cryptoExports['hash'];
cryptoExports['hash'] = undefined;
syncBuiltinESMExports();
const usm = await import('../../src/snmp/usm.js');
cryptoExports['hash'] = original;
syncBuiltinESMExports();

const HASHES = { SHA: 'sha1', 'SHA-224': 'sha224', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' } as const;

t.test('node:crypto gets its one-shot hash back once usm.ts has loaded', async (t) => {
  const ns = await import('node:crypto');
  t.type(ns.hash, 'function');
});

t.test('without crypto.hash the digest is still HMAC over the message with the auth field zeroed', async (t) => {
  let checked = 0;
  for (const auth of Object.keys(HASHES) as (keyof typeof HASHES)[]) {
    const macLength = usm.AUTH_PROTOCOLS[auth].macLength;
    for (const keyLength of [16, 64, 129]) {
      const key = Buffer.alloc(keyLength, keyLength + 3);
      for (const bodyLength of [0, 70, 1400]) {
        const offset = 6;
        const message = Buffer.concat([Buffer.from('300000000000', 'hex'), Buffer.alloc(macLength), Buffer.alloc(bodyLength, bodyLength % 253)]);
        const want = createHmac(HASHES[auth], key).update(message).digest().subarray(0, macLength);
        t.same(usm.messageDigest(auth, key, message), want, `${auth}, ${keyLength}-octet key, ${bodyLength}-octet body`);
        usm.signMessage(auth, key, message, offset);
        const mac = Buffer.from(message.subarray(offset, offset + macLength));
        t.same(mac, want, 'signMessage writes the same digest');
        if (usm.verifyMessage(auth, key, message, offset, mac)) checked++;
        const changed = Buffer.from(mac);
        changed[macLength - 1] = (changed[macLength - 1] as number) ^ 0x80;
        t.notOk(usm.verifyMessage(auth, key, message, offset, changed), 'a changed MAC is refused');
      }
    }
  }
  t.equal(checked, 5 * 3 * 3, 'every signed message verifies');
});
