// User-based Security Model cryptography: password to key and key localization (RFC 3414 §A.2, RFC 7860 §9.3),
// HMAC digests over the whole message (RFC 3414 §6-7, RFC 7860 §4), AES-CFB privacy (RFC 3826 §3). node:crypto only.
// SPDX-License-Identifier: Apache-2.0
import * as nodeCrypto from 'node:crypto';
import { createHash, createHmac, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { aesCfbFor, type AesCfb } from './aes-cfb.js';
import type { SnmpUser } from '../config.js';

/** Authentication protocols by their Net-SNMP `-a` names. */
export type AuthProtocol = SnmpUser['authProtocol'];
/** Privacy protocols by their Net-SNMP `-x` names. */
export type PrivProtocol = NonNullable<SnmpUser['privProtocol']>;

/** Hash and truncated MAC length per protocol: usmHMACSHAAuthProtocol (HMAC-96), RFC 7860 §4.2 for SHA-2. */
export const AUTH_PROTOCOLS: Readonly<Record<AuthProtocol, { readonly hash: string; readonly macLength: number; readonly blockSize: number }>> = {
  SHA: { hash: 'sha1', macLength: 12, blockSize: 64 },
  'SHA-224': { hash: 'sha224', macLength: 16, blockSize: 64 },
  'SHA-256': { hash: 'sha256', macLength: 24, blockSize: 64 },
  'SHA-384': { hash: 'sha384', macLength: 32, blockSize: 128 },
  'SHA-512': { hash: 'sha512', macLength: 48, blockSize: 128 },
};

/**
 * Ciphers: usmAesCfb128Protocol (RFC 3826) and Net-SNMP's AES-192/256 with the Blumenthal key extension
 * (draft-blumenthal-aes-usm-04 §3.1.2.1), all in 128-bit CFB with IV = engineBoots || engineTime || salt.
 */
export const PRIV_PROTOCOLS: Readonly<Record<PrivProtocol, { readonly keyLength: number }>> = {
  AES: { keyLength: 16 },
  'AES-192': { keyLength: 24 },
  'AES-256': { keyLength: 32 },
};

/** msgPrivacyParameters length: the 64-bit salt (RFC 3826 §3.1.2.1). */
export const SALT_LENGTH = 8;
/** Octets hashed by the password-to-key algorithm (RFC 3414 §A.2.1). */
const PASSWORD_EXPANSION = 1_048_576;

/** Ku: the hash of the password repeated over 1 MiB (RFC 3414 §A.2.1, SHA-2 per RFC 7860 §9.3). */
export function passwordToKey(auth: AuthProtocol, password: string): Buffer {
  const pw = Buffer.from(password, 'utf8');
  if (pw.length === 0) throw new RangeError('an SNMPv3 password must not be empty');
  const expanded = Buffer.allocUnsafe(PASSWORD_EXPANSION);
  for (let pos = 0; pos < PASSWORD_EXPANSION; pos += pw.length) pw.copy(expanded, pos, 0, Math.min(pw.length, PASSWORD_EXPANSION - pos));
  return createHash(AUTH_PROTOCOLS[auth].hash).update(expanded).digest();
}

/** Kul = H(Ku || engineID || Ku) (RFC 3414 §A.2.2). */
export function localizeKey(auth: AuthProtocol, key: Uint8Array, engineId: Uint8Array): Buffer {
  return createHash(AUTH_PROTOCOLS[auth].hash).update(key).update(engineId).update(key).digest();
}

/** The AES key from a localized privacy key: truncated, or extended first with Kul || H(Kul) when too short. */
export function privKeyFromLocalized(auth: AuthProtocol, priv: PrivProtocol, localized: Uint8Array): Buffer {
  const need = PRIV_PROTOCOLS[priv].keyLength;
  let key = Buffer.from(localized);
  while (key.length < need) key = Buffer.concat([key, createHash(AUTH_PROTOCOLS[auth].hash).update(key).digest()]);
  return key.subarray(0, need);
}

/** A configured user with its keys localized to one engineID. */
export interface LocalizedUser {
  readonly name: Buffer;
  readonly auth: AuthProtocol;
  readonly authKey: Buffer;
  readonly priv: { readonly protocol: PrivProtocol; readonly key: Buffer } | undefined;
}

/** Localize a configured user's passwords to `engineId` (1 MiB of hashing per password: do it once at start). */
export function localizeUser(user: SnmpUser, engineId: Uint8Array): LocalizedUser {
  const authKey = localizeKey(user.authProtocol, passwordToKey(user.authProtocol, user.authPassword), engineId);
  let priv: LocalizedUser['priv'];
  if (user.privProtocol !== undefined && user.privPassword !== undefined) {
    const localized = localizeKey(user.authProtocol, passwordToKey(user.authProtocol, user.privPassword), engineId);
    priv = { protocol: user.privProtocol, key: privKeyFromLocalized(user.authProtocol, user.privProtocol, localized) };
  }
  return { name: Buffer.from(user.name, 'utf8'), auth: user.authProtocol, authKey, priv };
}

/** Localized keys are long-lived buffers: import each into a KeyObject once instead of on every message. */
const keyObjects = new WeakMap<Uint8Array, KeyObject>();

function keyObject(key: Uint8Array): KeyObject {
  let k = keyObjects.get(key);
  if (!k) {
    k = createSecretKey(key);
    keyObjects.set(key, k);
  }
  return k;
}

/**
 * node:crypto's one-shot hash (Node >= 20.12), about twice as fast as an Hmac object for a short message. Digests
 * come back as 'binary' (latin1) strings, one character per octet: such a string costs half what a Buffer does.
 */
const oneShotHash: ((algorithm: string, data: Uint8Array, outputEncoding: 'binary') => string) | undefined =
  typeof Reflect.get(nodeCrypto, 'hash') === 'function' ? (Reflect.get(nodeCrypto, 'hash') as (a: string, d: Uint8Array, e: 'binary') => string) : undefined;

/** The key padded to the hash's block and XORed with ipad and opad (RFC 2104 §2), per key and protocol. */
const hmacPads = new WeakMap<Uint8Array, Map<AuthProtocol, { readonly inner: Buffer; readonly outer: Buffer }>>();

function padsOf(auth: AuthProtocol, key: Uint8Array): { readonly inner: Buffer; readonly outer: Buffer } {
  let byProtocol = hmacPads.get(key);
  if (byProtocol === undefined) {
    byProtocol = new Map();
    hmacPads.set(key, byProtocol);
  }
  let pads = byProtocol.get(auth);
  if (pads === undefined) {
    const { hash, blockSize } = AUTH_PROTOCOLS[auth];
    const k = Buffer.alloc(blockSize);
    (key.length > blockSize ? createHash(hash).update(key).digest() : Buffer.from(key)).copy(k);
    const inner = Buffer.alloc(blockSize);
    const outer = Buffer.alloc(blockSize + createHash(hash).digest().length);
    for (let i = 0; i < blockSize; i++) {
      inner[i] = (k[i] as number) ^ 0x36;
      outer[i] = (k[i] as number) ^ 0x5c;
    }
    pads = { inner, outer };
    byProtocol.set(auth, pads);
  }
  return pads;
}

/**
 * (K ^ ipad) || message for the inner hash: one buffer grown on demand and reused by every HMAC (single-threaded, and
 * each use ends before the function returns), instead of a copy of the message plus a concatenation per digest.
 */
let innerInput = new Uint8Array(2048);

/**
 * HMAC (RFC 2104): H((K ^ opad) || H((K ^ ipad) || message)), over `message` with `zeroLength` octets at `zeroAt`
 * taken as zero (the msgAuthenticationParameters being checked), with one-shot hashes where Node has them. The
 * digest is a 'binary' (latin1) string, one character per octet.
 */
function hmac(auth: AuthProtocol, key: Uint8Array, message: Uint8Array, zeroAt = 0, zeroLength = 0): string {
  const { hash, blockSize } = AUTH_PROTOCOLS[auth];
  if (oneShotHash === undefined) {
    const h = createHmac(hash, keyObject(key));
    if (zeroLength === 0) return h.update(message).digest('binary');
    return h.update(message.subarray(0, zeroAt)).update(Buffer.alloc(zeroLength)).update(message.subarray(zeroAt + zeroLength)).digest('binary');
  }
  const { inner, outer } = padsOf(auth, key);
  const total = blockSize + message.length;
  if (innerInput.length < total) innerInput = new Uint8Array(Math.max(total, innerInput.length * 2));
  innerInput.set(inner, 0);
  innerInput.set(message, blockSize);
  for (let i = blockSize + zeroAt; i < blockSize + zeroAt + zeroLength; i++) innerInput[i] = 0;
  const innerHash = oneShotHash(hash, new Uint8Array(innerInput.buffer, innerInput.byteOffset, total), 'binary');
  // The outer buffer is per key: fill its hash part and hash it right away (single-threaded, no await between).
  for (let i = 0; i < innerHash.length; i++) outer[blockSize + i] = innerHash.charCodeAt(i);
  return oneShotHash(hash, outer, 'binary');
}

/** The truncated HMAC of a whole message whose msgAuthenticationParameters are zeroed (RFC 3414 §6.3.1, RFC 7860 §4.2.1). */
export function messageDigest(auth: AuthProtocol, key: Uint8Array, message: Uint8Array): Buffer {
  return Buffer.from(hmac(auth, key, message).slice(0, AUTH_PROTOCOLS[auth].macLength), 'binary');
}

/** Write the digest into a message encoded with zeroed msgAuthenticationParameters at `offset` (RFC 3414 §6.3.1). */
export function signMessage(auth: AuthProtocol, key: Uint8Array, message: Uint8Array, offset: number): void {
  const mac = hmac(auth, key, message);
  for (let i = 0; i < AUTH_PROTOCOLS[auth].macLength; i++) message[offset + i] = mac.charCodeAt(i);
}

/**
 * Check the digest of a received message (RFC 3414 §6.3.2): the msgAuthenticationParameters must have the MAC
 * length and equal the HMAC of the message with them zeroed. The comparison reads every octet whatever differs (no
 * early exit, like timingSafeEqual); the packet is not changed.
 */
export function verifyMessage(auth: AuthProtocol, key: Uint8Array, packet: Uint8Array, offset: number, received: Uint8Array): boolean {
  const macLength = AUTH_PROTOCOLS[auth].macLength;
  if (received.length !== macLength) return false;
  const mac = hmac(auth, key, packet, offset, macLength);
  let difference = 0;
  for (let i = 0; i < macLength; i++) difference |= mac.charCodeAt(i) ^ (received[i] as number);
  return difference === 0;
}

/** The IV of the message being encrypted or decrypted: reused, each use ends inside the call. */
const ivScratch = Buffer.alloc(16);

/** IV = engineBoots || engineTime || salt, each integer as 4 big-endian octets (RFC 3826 §3.1.2.1). */
function aesIv(boots: number, time: number, salt: Uint8Array): Buffer {
  // Byte stores: Buffer's writeUInt32BE and fill cost more than the whole IV here.
  const iv = ivScratch;
  iv[0] = boots >>> 24;
  iv[1] = boots >>> 16;
  iv[2] = boots >>> 8;
  iv[3] = boots;
  iv[4] = time >>> 24;
  iv[5] = time >>> 16;
  iv[6] = time >>> 8;
  iv[7] = time;
  for (let i = 0; i < SALT_LENGTH; i++) iv[8 + i] = salt[i] ?? 0;
  return iv;
}

/** Encrypt a ScopedPDU (RFC 3826 §3.1.3): CFB-128, no padding, ciphertext as long as the plaintext. */
export function encryptScopedPdu(priv: PrivProtocol, key: Uint8Array, boots: number, time: number, salt: Uint8Array, plaintext: Uint8Array): Buffer {
  return cfbOf(priv, key).encrypt(aesIv(boots, time, salt), plaintext);
}

/** Decrypt an encryptedPDU (RFC 3826 §3.1.4); the caller checks that the salt has SALT_LENGTH octets. */
export function decryptScopedPdu(priv: PrivProtocol, key: Uint8Array, boots: number, time: number, salt: Uint8Array, ciphertext: Uint8Array): Buffer {
  return cfbOf(priv, key).decrypt(aesIv(boots, time, salt), ciphertext);
}

/** The long-lived CFB codec of a localized privacy key, checked against the protocol's key length. */
function cfbOf(priv: PrivProtocol, key: Uint8Array): AesCfb {
  if (key.length !== PRIV_PROTOCOLS[priv].keyLength) throw new RangeError(`${priv} needs a ${PRIV_PROTOCOLS[priv].keyLength}-octet key, not ${key.length}`);
  return aesCfbFor(key);
}

/** 64-bit salts: a random start, then incremented per message so no two messages share an IV (RFC 3826 §3.1.2.1). */
export class SaltSource {
  /** the 64-bit counter as two 32-bit halves (no BigInt per message) */
  #high: number;
  #low: number;

  /** `start`: the first salt (random by default; tests pass one). */
  constructor(start: Uint8Array = randomBytes(SALT_LENGTH)) {
    if (start.length !== SALT_LENGTH) throw new RangeError(`a salt has ${SALT_LENGTH} octets, not ${start.length}`);
    const view = Buffer.from(start);
    this.#high = view.readUInt32BE(0);
    this.#low = view.readUInt32BE(4);
  }

  /** The next 8-octet salt, big-endian. */
  next(): Uint8Array {
    const salt = new Uint8Array(SALT_LENGTH);
    const high = this.#high;
    const low = this.#low;
    salt[0] = high >>> 24;
    salt[1] = (high >>> 16) & 0xff;
    salt[2] = (high >>> 8) & 0xff;
    salt[3] = high & 0xff;
    salt[4] = low >>> 24;
    salt[5] = (low >>> 16) & 0xff;
    salt[6] = (low >>> 8) & 0xff;
    salt[7] = low & 0xff;
    this.#low = (this.#low + 1) >>> 0;
    if (this.#low === 0) this.#high = (this.#high + 1) >>> 0;
    return salt;
  }
}
