// UTF-8 length limits of IPP text/name values (RFC 8011 §5.1.2: text(MAX) counts octets), also used for DNS TXT.
// SPDX-License-Identifier: Apache-2.0

/** `s` cut to at most `maxBytes` UTF-8 bytes without splitting a character. */
export function truncateUtf8(s: string, maxBytes: number): string {
  if (s.length * 3 <= maxBytes) return s;
  let bytes = 0;
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    const len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (bytes + len > maxBytes) break;
    bytes += len;
    out += ch;
  }
  return out;
}
