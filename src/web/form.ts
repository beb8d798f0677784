// Form posts of the web pages: reading an application/x-www-form-urlencoded body with a size cap, and the CSRF
// synchronizer tokens (an HMAC of the logged-in user under a per-process key) with an Origin check.
// SPDX-License-Identifier: Apache-2.0
import { createHmac, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpError } from '../errors.js';
import { constantTimeEqual } from '../security/constant-time.js';

/** Largest form body (a certificate chain in PEM fits). */
export const MAX_FORM_BYTES = 64 * 1024;

/** Read a urlencoded form body; HttpError 415 for another type, 413 when too large. */
export async function readForm(req: IncomingMessage, maxBytes = MAX_FORM_BYTES): Promise<URLSearchParams> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') throw new HttpError(415, 'Forms must be application/x-www-form-urlencoded.');
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw new HttpError(413, 'Form too large.', { Connection: 'close' });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new HttpError(413, 'Form too large.', { Connection: 'close' });
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** CSRF tokens bound to the logged-in user; a restart invalidates them (the key is random per process). */
export class CsrfTokens {
  readonly #key = randomBytes(32);

  /** The token for `user`'s forms. */
  token(user: string): string {
    return createHmac('sha256', this.#key).update(`csrf\n${user}`).digest('base64url');
  }

  /** Whether `token` is `user`'s token (constant time). */
  verify(user: string, token: string | null): boolean {
    if (token === null || token.length === 0) return false;
    return constantTimeEqual(Buffer.from(this.token(user)), Buffer.from(token));
  }
}

/** True when the request's Origin (or, without one, Referer) names the host it was sent to, or names nothing. */
export function isSameOrigin(req: IncomingMessage, host: string): boolean {
  const from = req.headers.origin ?? req.headers.referer;
  if (from === undefined) return true;
  if (from === 'null') return false;
  try {
    return new URL(from).host === host;
  } catch {
    return false;
  }
}
