// Pieces shared by the certificate and CSR builders (RFC 5280 §4.1, §4.2): names, extensions, signature algorithms.
// SPDX-License-Identifier: Apache-2.0
import { createHash, sign, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import { ConfigError } from '../errors.js';
import { bitString, boolean, contextTag, nullValue, octetString, oid, sequence, setOf, utf8String } from './asn1.js';

/** Object identifiers used in the certificates and requests. */
export const Oid = {
  commonName: '2.5.4.3',
  organizationName: '2.5.4.10',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  extensionRequest: '1.2.840.113549.1.9.14',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecdsaWithSha384: '1.2.840.10045.4.3.3',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  ed25519: '1.3.101.112',
} as const;

/** The subject or issuer: a common name and an optional organization. */
export interface DistinguishedName {
  readonly commonName: string;
  readonly organization?: string;
}

/** Name ::= RDNSequence, one attribute per RDN, as UTF8String (RFC 5280 §4.1.2.4). */
export function encodeName(dn: DistinguishedName): Buffer {
  const rdn = (type: string, value: string): Buffer => setOf(sequence(oid(type), utf8String(value)));
  const parts = [];
  if (dn.organization !== undefined && dn.organization !== '') parts.push(rdn(Oid.organizationName, dn.organization));
  if (dn.commonName === '' || dn.commonName.length > 64) throw new ConfigError('the common name must have 1-64 characters');
  parts.push(rdn(Oid.commonName, dn.commonName));
  return sequence(...parts);
}

const DNS_NAME = /^(?=.{1,253}$)(?:\*\.)?[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** True when `name` can be a dNSName in subjectAltName (LDH labels, optional leading wildcard). */
export function isDnsName(name: string): boolean {
  return DNS_NAME.test(name) && isIP(name) === 0;
}

/** Binary form of an IPv4 or IPv6 literal for the iPAddress SAN (RFC 5280 §4.2.1.6). */
export function ipBytes(address: string): Buffer {
  if (isIP(address) === 4) return Buffer.from(address.split('.').map(Number));
  if (isIP(address) !== 6) throw new ConfigError(`${address} is not an IP address`);
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hex groups.
  const text = address.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_m, a: string, b: string, c: string, d: string) =>
    `${((Number(a) << 8) | Number(b)).toString(16)}:${((Number(c) << 8) | Number(d)).toString(16)}`);
  const [head = '', tail] = text.split('::');
  const groups = (part: string): number[] => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  const out = Buffer.alloc(16);
  all.forEach((g, i) => out.writeUInt16BE(g, i * 2));
  return out;
}

/** One Extension: SEQUENCE { extnID, critical DEFAULT FALSE, extnValue OCTET STRING }. */
function extension(id: string, critical: boolean, value: Uint8Array): Buffer {
  return critical ? sequence(oid(id), boolean(true), octetString(value)) : sequence(oid(id), octetString(value));
}

/** subjectAltName with dNSName [2] and iPAddress [7] entries. */
export function subjectAltName(dnsNames: readonly string[], ipAddresses: readonly string[]): Buffer {
  for (const n of dnsNames) if (!isDnsName(n)) throw new ConfigError(`"${n}" is not a valid DNS name for a certificate`);
  const names = [
    ...dnsNames.map((n) => contextTag(2, Buffer.from(n, 'ascii'), false)),
    ...ipAddresses.map((a) => contextTag(7, ipBytes(a), false)),
  ];
  if (names.length === 0) throw new ConfigError('a certificate needs at least one host name or address');
  return extension(Oid.subjectAltName, false, sequence(...names));
}

/** The extensions of a TLS server certificate (or the ones a CSR asks for). */
export function serverExtensions(
  key: KeyObject,
  spkiDer: Uint8Array,
  dnsNames: readonly string[],
  ipAddresses: readonly string[],
): Buffer[] {
  // digitalSignature (bit 0); RSA keys add keyEncipherment (bit 2), which RFC 5480 §3 forbids for EC keys.
  const usage = key.asymmetricKeyType === 'rsa' ? bitString(Buffer.from([0xa0]), 5) : bitString(Buffer.from([0x80]), 7);
  return [
    extension(Oid.basicConstraints, true, sequence()),
    extension(Oid.keyUsage, true, usage),
    extension(Oid.extKeyUsage, false, sequence(oid(Oid.serverAuth))),
    subjectAltName(dnsNames, ipAddresses),
    extension(Oid.subjectKeyIdentifier, false, octetString(keyIdentifier(spkiDer))),
  ];
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING contents. */
export function keyIdentifier(spkiDer: Uint8Array): Buffer {
  // SubjectPublicKeyInfo ::= SEQUENCE { algorithm, subjectPublicKey BIT STRING }: the BIT STRING is the last TLV.
  const bits = lastTlvContent(Buffer.from(spkiDer));
  return createHash('sha1').update(bits.subarray(1)).digest();
}

/** Content of the last element of a DER SEQUENCE. */
function lastTlvContent(der: Buffer): Buffer {
  let pos = headerLength(der, 0);
  let last: Buffer = Buffer.alloc(0);
  while (pos < der.length) {
    const head = headerLength(der, pos);
    const len = contentLength(der, pos);
    last = der.subarray(pos + head, pos + head + len);
    pos += head + len;
  }
  return last;
}

function headerLength(der: Buffer, pos: number): number {
  const first = der[pos + 1] ?? 0;
  return first < 0x80 ? 2 : 2 + (first & 0x7f);
}

function contentLength(der: Buffer, pos: number): number {
  const first = der[pos + 1] ?? 0;
  if (first < 0x80) return first;
  let n = 0;
  for (let i = 0; i < (first & 0x7f); i++) n = n * 256 + (der[pos + 2 + i] ?? 0);
  return n;
}

/** AlgorithmIdentifier and the digest for signing with `key` (RFC 5758 §3.2, RFC 4055, RFC 8410). */
export function signatureAlgorithm(key: KeyObject): { readonly algorithmId: Buffer; readonly digest: string | null } {
  switch (key.asymmetricKeyType) {
    case 'ec': {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      if (curve === 'prime256v1') return { algorithmId: sequence(oid(Oid.ecdsaWithSha256)), digest: 'sha256' };
      if (curve === 'secp384r1') return { algorithmId: sequence(oid(Oid.ecdsaWithSha384)), digest: 'sha384' };
      throw new ConfigError(`EC curve ${curve ?? 'unknown'} is not supported (use P-256 or P-384)`);
    }
    case 'rsa':
      return { algorithmId: sequence(oid(Oid.sha256WithRsa), nullValue()), digest: 'sha256' };
    case 'ed25519':
      return { algorithmId: sequence(oid(Oid.ed25519)), digest: null };
    default:
      throw new ConfigError(`key type ${key.asymmetricKeyType ?? 'unknown'} is not supported`);
  }
}

/** SEQUENCE { toBeSigned, signatureAlgorithm, signature BIT STRING }: the shape of certificates and CSRs. */
export function signed(toBeSigned: Buffer, key: KeyObject): Buffer {
  const { algorithmId, digest } = signatureAlgorithm(key);
  const signature = sign(digest, toBeSigned, key);
  return sequence(toBeSigned, algorithmId, bitString(signature));
}
