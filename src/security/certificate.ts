// Self-signed X.509 v3 TLS server certificates (RFC 5280 §4.1) built with asn1.ts and signed by node:crypto.
// ECDSA P-256 with SHA-256 by default: small keys and fast handshakes on small boards (security.md §7).
// SPDX-License-Identifier: Apache-2.0
import { createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { contextTag, integer, sequence, time, toPem } from './asn1.js';
import { encodeName, serverExtensions, signatureAlgorithm, signed, type DistinguishedName } from './x509-fields.js';

/** Validity of a generated certificate: Apple clients reject TLS server certificates valid for longer than 825 days. */
export const SELF_SIGNED_DAYS = 825;
/** Backdate notBefore against clients whose clocks run behind. */
const BACKDATE_MS = 24 * 3600 * 1000;

/** What a self-signed certificate says about its holder. */
export interface CertificateSubject {
  readonly commonName: string;
  readonly organization?: string;
  /** subjectAltName dNSName entries */
  readonly dnsNames: readonly string[];
  /** subjectAltName iPAddress entries (IPv4 or IPv6 literals) */
  readonly ipAddresses: readonly string[];
}

/** A new ECDSA P-256 key pair. */
export function generateKey(): KeyObject {
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
}

/** A positive 127-bit random serial number (RFC 5280 §4.1.2.2: at most 20 octets, unique per issuer). */
function serialNumber(): Buffer {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return bytes;
}

/** Build and sign a self-signed certificate for `key`; returns PEM. */
export function selfSignedCertificate(key: KeyObject, subject: CertificateSubject, now = new Date(), days = SELF_SIGNED_DAYS): string {
  const spki = publicSpki(key);
  const name: DistinguishedName =
    subject.organization === undefined ? { commonName: subject.commonName } : { commonName: subject.commonName, organization: subject.organization };
  const issuerAndSubject = encodeName(name);
  const notBefore = new Date(now.getTime() - BACKDATE_MS);
  const notAfter = new Date(now.getTime() + days * 24 * 3600 * 1000);
  const tbs = sequence(
    contextTag(0, integer(2), true),
    integer(serialNumber()),
    signatureAlgorithm(key).algorithmId,
    issuerAndSubject,
    sequence(time(notBefore), time(notAfter)),
    issuerAndSubject,
    spki,
    contextTag(3, sequence(...serverExtensions(key, spki, subject.dnsNames, subject.ipAddresses)), true),
  );
  return toPem('CERTIFICATE', signed(tbs, key));
}

/** DER SubjectPublicKeyInfo of a private key's public half. */
export function publicSpki(key: KeyObject): Buffer {
  return createPublicKey(key).export({ type: 'spki', format: 'der' });
}
