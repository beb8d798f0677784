// Security policy modes (security.md §6): which URI schemes are offered, and what a plaintext request gets
// when TLS is required (RFC 2817 §4: 426 Upgrade Required; browsers: a redirect to https on the same port).
// SPDX-License-Identifier: Apache-2.0
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** The policy modes, `open` first (the default). */
export const SECURITY_MODES = ['open', 'tls-required', 'tls-only'] as const;
export type SecurityMode = (typeof SECURITY_MODES)[number];

/** The Upgrade header of a 426 response: the TLS versions we accept, highest first. */
export const UPGRADE_REQUIRED_HEADER = 'TLS/1.3, TLS/1.2';
/** DNS-SD `TLS=`: the lowest TLS version a client must support to talk to us. */
export const DNSSD_TLS_VERSION = '1.2';
/** A refused plaintext body up to this size is read and dropped so the connection can stay open for an upgrade. */
const MAX_DISCARD_BYTES = 64 * 1024;

/** True for a known mode name. */
export function isSecurityMode(value: unknown): value is SecurityMode {
  return typeof value === 'string' && (SECURITY_MODES as readonly string[]).includes(value);
}

/** Whether ipp:// (plaintext) is offered: advertised in printer-uri-supported and DNS-SD. */
export function offersPlaintext(mode: SecurityMode): boolean {
  switch (mode) {
    case 'open':
    case 'tls-required':
      return true;
    case 'tls-only':
      return false;
    default: {
      const never: never = mode;
      return never;
    }
  }
}

/** Whether a request that came in the clear must be refused. */
export function requiresTls(mode: SecurityMode): boolean {
  return mode !== 'open';
}

/** True when the request's connection is TLS (ipps, https, or an RFC 2817 upgrade). */
export function isEncrypted(socket: Socket): boolean {
  return (socket as Socket & { encrypted?: boolean }).encrypted === true;
}

/**
 * Answer a plaintext request the policy does not serve: GET/HEAD are redirected (301) to https on the same host and
 * port, anything else (IPP POSTs) gets 426 with `Upgrade`. Returns false, writing nothing, when it may be served.
 */
export function refusePlaintext(req: IncomingMessage, res: ServerResponse, mode: SecurityMode, host: string): boolean {
  if (!requiresTls(mode) || isEncrypted(req.socket)) return false;
  if (req.method === 'GET' || req.method === 'HEAD') {
    const path = (req.url ?? '/').startsWith('/') ? (req.url ?? '/') : '/';
    const body = 'This printer is served over HTTPS.\n';
    res.writeHead(301, {
      Location: `https://${host}${path}`,
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  }
  // Keep the connection for the client's OPTIONS * upgrade when the body is small enough to drop.
  const length = Number(req.headers['content-length'] ?? (req.headers['transfer-encoding'] ? NaN : 0));
  const keep = req.complete || (Number.isFinite(length) && length <= MAX_DISCARD_BYTES);
  if (keep) req.resume();
  const body = 'TLS is required: use ipps:// (or upgrade with OPTIONS * and Upgrade: TLS/1.2).\n';
  res.writeHead(426, {
    Upgrade: UPGRADE_REQUIRED_HEADER,
    Connection: keep ? 'Upgrade' : 'Upgrade, close',
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
  return true;
}
