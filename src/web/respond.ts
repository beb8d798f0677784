// Writing web responses: HTML pages, redirects, static bytes and JSON, each with the security headers.
// SPDX-License-Identifier: Apache-2.0
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Authenticated } from '../security/authenticate.js';
import { SECURITY_HEADERS } from './html.js';

/** One web request as the page handlers see it. */
export interface WebRequest {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly path: string;
  readonly query: URLSearchParams;
  /** host[:port] the client used */
  readonly host: string;
  readonly secure: boolean;
  readonly lang: string;
  /** the verified user, when the request carried valid credentials */
  readonly user: Authenticated | undefined;
}

/** Send bytes with `type`; HEAD gets the headers only. */
export function sendBody(
  w: Pick<WebRequest, 'req' | 'res'>,
  status: number,
  type: string,
  body: string | Buffer,
  extra: Readonly<Record<string, string>> = {},
): void {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  w.res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Content-Length': bytes.length, 'Cache-Control': 'no-store', ...extra });
  w.res.end(w.req.method === 'HEAD' ? undefined : bytes);
}

/** Send an HTML page. */
export function sendHtml(w: Pick<WebRequest, 'req' | 'res'>, status: number, html: string, extra: Readonly<Record<string, string>> = {}): void {
  sendBody(w, status, 'text/html; charset=utf-8', html, extra);
}

/** Redirect (303 See Other after a form post, 302 otherwise). */
export function redirect(w: Pick<WebRequest, 'req' | 'res'>, location: string, status: 302 | 303 = 303): void {
  sendBody(w, status, 'text/plain; charset=utf-8', `See ${location}\n`, { Location: location });
}

/** Only same-site paths are accepted as a `next` target (no scheme, no `//host`). */
export function safeNext(value: string | null): string {
  return value !== null && /^\/(?![/\\])[\x21-\x7e]*$/.test(value) ? value : '/';
}
