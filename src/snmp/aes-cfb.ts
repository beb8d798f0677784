// AES in 128-bit CFB mode (NIST SP 800-38A §6.3) for USM privacy, with long-lived node:crypto cipher objects per key
// instead of a new Cipheriv per message: creating one costs more than encrypting a whole SNMP message, and
// node:crypto cannot change the IV of an existing object. OpenSSL still does every AES block.
// SPDX-License-Identifier: Apache-2.0
import { createCipheriv, type Cipher } from 'node:crypto';

/** The AES block and the CFB-128 segment size, in octets. */
export const AES_BLOCK = 16;

const ECB_BY_KEY_LENGTH: Readonly<Record<number, string>> = { 16: 'aes-128-ecb', 24: 'aes-192-ecb', 32: 'aes-256-ecb' };
const CFB_BY_KEY_LENGTH: Readonly<Record<number, string>> = { 16: 'aes-128-cfb', 24: 'aes-192-cfb', 32: 'aes-256-cfb' };

function roundUp(n: number): number {
  return Math.ceil(n / AES_BLOCK) * AES_BLOCK;
}

/**
 * CFB-128 with one key. Decryption is a single ECB pass: every keystream block is E(previous ciphertext block), all
 * known up front. Encryption needs each new ciphertext block before the next keystream block, so it runs through a
 * CFB cipher object whose shift register is brought to the message's IV first: the register holds the last
 * ciphertext block (`#register`), E(register) comes from the ECB object, and a first block of IV XOR E(register)
 * encrypts to exactly the IV. Inputs are padded to whole blocks so the object never keeps a partial block.
 * A decryption appends the register to its ECB pass, so the next encryption (an agent answers every request it
 * decrypts) finds E(register) ready and needs one node:crypto call instead of two.
 */
export class AesCfb {
  readonly #ecb: Cipher;
  readonly #cfb: Cipher;
  /** the CFB object's shift register: its last ciphertext block */
  readonly #register: Buffer = Buffer.alloc(AES_BLOCK);
  /** E(#register), computed by a decryption; meaningful only while #registerKeystreamValid */
  readonly #registerKeystream: Buffer = Buffer.alloc(AES_BLOCK);
  #registerKeystreamValid = false;
  /** cipher input, grown on demand and reused (each use ends inside the call) */
  #input: Uint8Array = new Uint8Array(512);

  constructor(key: Uint8Array) {
    const ecb = ECB_BY_KEY_LENGTH[key.length];
    const cfb = CFB_BY_KEY_LENGTH[key.length];
    if (ecb === undefined || cfb === undefined) throw new RangeError(`an AES key has 16, 24 or 32 octets, not ${key.length}`);
    this.#ecb = createCipheriv(ecb, key, null).setAutoPadding(false);
    this.#cfb = createCipheriv(cfb, key, this.#register);
  }

  /** The reusable input buffer, `length` octets long and zero from `zeroFrom` (callers overwrite the rest). */
  #inputOf(length: number, zeroFrom: number): Uint8Array {
    if (this.#input.length < length) this.#input = new Uint8Array(Math.max(length, this.#input.length * 2));
    const input = this.#input;
    for (let i = zeroFrom; i < length; i++) input[i] = 0;
    // A plain view: Buffer#subarray goes through Buffer's constructor.
    return new Uint8Array(input.buffer, input.byteOffset, length);
  }

  /** E(block) for whole blocks. */
  #blocks(input: Uint8Array): Buffer {
    const out = this.#ecb.update(input);
    if (out.length !== input.length) throw new Error(`AES-ECB returned ${out.length} octets for ${input.length}`);
    return out;
  }

  /** CFB-128 encryption of `plaintext` under the 16-octet `iv`; the ciphertext is as long as the plaintext. */
  encrypt(iv: Uint8Array, plaintext: Uint8Array): Buffer {
    if (iv.length !== AES_BLOCK) throw new RangeError(`a CFB IV has ${AES_BLOCK} octets, not ${iv.length}`);
    const keystream = this.#registerKeystreamValid ? this.#registerKeystream : this.#blocks(this.#register);
    this.#registerKeystreamValid = false;
    const input = this.#inputOf(AES_BLOCK + roundUp(plaintext.length), AES_BLOCK + plaintext.length);
    for (let i = 0; i < AES_BLOCK; i++) input[i] = (iv[i] as number) ^ (keystream[i] as number);
    input.set(plaintext, AES_BLOCK);
    const out = this.#cfb.update(input);
    // Unreachable with OpenSSL's CFB-128: a register out of step would give a wrong ciphertext, so never go on.
    if (out.length !== input.length || !startsWith(out, iv)) throw new Error('AES-CFB register out of step');
    out.copy(this.#register, 0, out.length - AES_BLOCK);
    return out.subarray(AES_BLOCK, AES_BLOCK + plaintext.length);
  }

  /** CFB-128 decryption of `ciphertext` under the 16-octet `iv`. */
  decrypt(iv: Uint8Array, ciphertext: Uint8Array): Buffer {
    if (iv.length !== AES_BLOCK) throw new RangeError(`a CFB IV has ${AES_BLOCK} octets, not ${iv.length}`);
    const n = ciphertext.length;
    const length = Math.max(AES_BLOCK, roundUp(n));
    // IV || C1 .. C(k-1), then the register: E() of each in one pass.
    const input = this.#inputOf(length + AES_BLOCK, length);
    input.set(iv, 0);
    input.set(ciphertext.subarray(0, length - AES_BLOCK), AES_BLOCK);
    input.set(this.#register, length);
    // The keystream is a fresh buffer: XOR the ciphertext into it and hand it out.
    const out = this.#blocks(input);
    out.copy(this.#registerKeystream, 0, length);
    this.#registerKeystreamValid = true;
    for (let i = 0; i < n; i++) out[i] = (out[i] as number) ^ (ciphertext[i] as number);
    return out.subarray(0, n);
  }
}

/** Whether the first AES_BLOCK octets of `out` are `iv` (a loop: shorter than a native call's set-up). */
function startsWith(out: Uint8Array, iv: Uint8Array): boolean {
  for (let i = 0; i < AES_BLOCK; i++) if (out[i] !== iv[i]) return false;
  return true;
}

/** One codec per key buffer (localized keys live as long as the user). */
const codecs = new WeakMap<Uint8Array, AesCfb>();

/** The CFB codec of a long-lived key buffer. */
export function aesCfbFor(key: Uint8Array): AesCfb {
  let codec = codecs.get(key);
  if (codec === undefined) {
    codec = new AesCfb(key);
    codecs.set(key, codec);
  }
  return codec;
}
