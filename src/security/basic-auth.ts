// HTTP Basic credentials (RFC 7617): parsing the Authorization header and building the challenge.
// SPDX-License-Identifier: Apache-2.0

/** A user name and password from a Basic Authorization header. */
export interface BasicCredentials {
  readonly user: string;
  readonly password: string;
}

/** Longest Authorization value we decode (the HTTP layer caps all headers at 16 KiB anyway). */
const MAX_CREDENTIALS = 1024;

/** The scheme token of an Authorization header, lower-cased ('basic', 'bearer', …), or undefined. */
export function authScheme(header: string | undefined): string | undefined {
  const m = header === undefined ? null : /^\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)(?:\s|$)/.exec(header);
  return m?.[1]?.toLowerCase();
}

/** Decode `Basic <base64(user:password)>` (UTF-8, RFC 7617 §2.1); undefined when malformed. */
export function parseBasic(header: string | undefined): BasicCredentials | undefined {
  if (header === undefined || authScheme(header) !== 'basic') return undefined;
  const token = header.trim().slice(5).trim();
  if (token.length === 0 || token.length > MAX_CREDENTIALS || !/^[A-Za-z0-9+/]+={0,2}$/.test(token)) return undefined;
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { user: decoded.slice(0, colon).normalize('NFC'), password: decoded.slice(colon + 1) };
}

/** The WWW-Authenticate challenge for Basic (RFC 7617 §2, with charset="UTF-8"). */
export function basicChallenge(realm: string): string {
  return `Basic realm="${realm.replace(/["\\]/g, '')}"`;
}
