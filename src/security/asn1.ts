// A small DER encoder (ITU-T X.690 §8, §10) for the X.509 certificates and PKCS#10 requests we build.
// Encoding only: parsing is left to node:crypto's X509Certificate and to openssl in the tests.
// SPDX-License-Identifier: Apache-2.0
import { ConfigError } from '../errors.js';

/** Universal tag numbers used here (X.680 §8.4). */
export const Asn1Tag = {
  Boolean: 0x01,
  Integer: 0x02,
  BitString: 0x03,
  OctetString: 0x04,
  Null: 0x05,
  ObjectIdentifier: 0x06,
  Utf8String: 0x0c,
  PrintableString: 0x13,
  UtcTime: 0x17,
  GeneralizedTime: 0x18,
  Sequence: 0x30,
  Set: 0x31,
} as const;

/** DER length octets (X.690 §8.1.3: short form below 128, else long form). */
function lengthOctets(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** One TLV with an identifier octet `tag` (class, constructed bit and number already combined). */
export function tlv(tag: number, content: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([tag]), lengthOctets(content.length), content]);
}

/** SEQUENCE of already encoded elements. */
export function sequence(...items: readonly Uint8Array[]): Buffer {
  return tlv(Asn1Tag.Sequence, Buffer.concat(items));
}

/** SET OF: DER sorts the encodings (X.690 §11.6). */
export function setOf(...items: readonly Uint8Array[]): Buffer {
  const sorted = [...items].map((i) => Buffer.from(i)).sort(Buffer.compare);
  return tlv(Asn1Tag.Set, Buffer.concat(sorted));
}

/** A context-specific tag [n]; `constructed` for EXPLICIT tags and IMPLICIT constructed types. */
export function contextTag(n: number, content: Uint8Array, constructed: boolean): Buffer {
  if (n < 0 || n > 30) throw new ConfigError(`ASN.1 context tag [${n}] is out of range`);
  return tlv(0x80 | (constructed ? 0x20 : 0) | n, content);
}

/** INTEGER from a non-negative number or from unsigned big-endian bytes (minimal two's complement, §8.3). */
export function integer(value: number | Uint8Array): Buffer {
  let bytes: Buffer;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) throw new ConfigError(`ASN.1 INTEGER ${value} is not supported`);
    const hex = value.toString(16);
    bytes = Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, 'hex');
  } else {
    bytes = Buffer.from(value);
  }
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  bytes = bytes.subarray(start);
  if (bytes.length === 0) bytes = Buffer.from([0]);
  if ((bytes[0] ?? 0) & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return tlv(Asn1Tag.Integer, bytes);
}

/** OBJECT IDENTIFIER from dotted text (§8.19). */
export function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map((a) => (/^\d+$/.test(a) ? Number(a) : NaN));
  const [first, second, ...rest] = arcs;
  if (first === undefined || second === undefined || arcs.some((a) => !Number.isSafeInteger(a)) || first > 2) {
    throw new ConfigError(`bad object identifier ${dotted}`);
  }
  const out: number[] = [];
  for (const arc of [first * 40 + second, ...rest]) {
    const groups: number[] = [];
    for (let n = arc; ; n = Math.floor(n / 128)) {
      groups.unshift(n % 128);
      if (n < 128) break;
    }
    groups.forEach((g, i) => out.push(i < groups.length - 1 ? g | 0x80 : g));
  }
  return tlv(Asn1Tag.ObjectIdentifier, Buffer.from(out));
}

/** NULL. */
export function nullValue(): Buffer {
  return tlv(Asn1Tag.Null, Buffer.alloc(0));
}

/** BOOLEAN (DER: TRUE is 0xff). */
export function boolean(value: boolean): Buffer {
  return tlv(Asn1Tag.Boolean, Buffer.from([value ? 0xff : 0x00]));
}

/** BIT STRING with `unusedBits` padding bits in the last octet. */
export function bitString(bytes: Uint8Array, unusedBits = 0): Buffer {
  return tlv(Asn1Tag.BitString, Buffer.concat([Buffer.from([unusedBits]), bytes]));
}

/** OCTET STRING. */
export function octetString(bytes: Uint8Array): Buffer {
  return tlv(Asn1Tag.OctetString, bytes);
}

/** UTF8String. */
export function utf8String(text: string): Buffer {
  return tlv(Asn1Tag.Utf8String, Buffer.from(text, 'utf8'));
}

/** RFC 5280 §4.1.2.5 Time: UTCTime through 2049, GeneralizedTime from 2050, always in seconds and Z. */
export function time(date: Date): Buffer {
  const iso = date.toISOString();
  const digits = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  const year = date.getUTCFullYear();
  if (year < 1950 || year > 9999) throw new ConfigError(`date ${iso} cannot be encoded in a certificate`);
  return year < 2050 ? tlv(Asn1Tag.UtcTime, Buffer.from(digits.slice(2), 'ascii')) : tlv(Asn1Tag.GeneralizedTime, Buffer.from(digits, 'ascii'));
}

/** PEM armour (RFC 7468) with 64-character lines. */
export function toPem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
