// PKCS#10 certificate signing requests (RFC 2986 §4) for the printer's key, asking for the same
// subjectAltName and server extensions as the self-signed certificate (extensionRequest, RFC 2985 §5.4.2).
// SPDX-License-Identifier: Apache-2.0
import type { KeyObject } from 'node:crypto';
import { contextTag, integer, oid, sequence, setOf, toPem } from './asn1.js';
import type { CertificateSubject } from './certificate.js';
import { publicSpki } from './certificate.js';
import { Oid, encodeName, serverExtensions, signed } from './x509-fields.js';

/** Build and sign a CSR for `key`; returns PEM (`CERTIFICATE REQUEST`). */
export function certificateRequest(key: KeyObject, subject: CertificateSubject): string {
  const spki = publicSpki(key);
  const name = encodeName(
    subject.organization === undefined ? { commonName: subject.commonName } : { commonName: subject.commonName, organization: subject.organization },
  );
  const extensionRequest = sequence(oid(Oid.extensionRequest), setOf(sequence(...serverExtensions(key, spki, subject.dnsNames, subject.ipAddresses))));
  // attributes [0] IMPLICIT SET OF Attribute
  const info = sequence(integer(0), name, spki, contextTag(0, Buffer.concat([extensionRequest]), true));
  return toPem('CERTIFICATE REQUEST', signed(info, key));
}
