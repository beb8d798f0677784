// The HTTP/1.1 server: POST /ipp/print (application/ipp), status page, icons. Limits and timeouts live here.
// SPDX-License-Identifier: Apache-2.0
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { encodeMessage } from '../ipp/encode.js';
import { HttpError, IppDecodeError } from '../errors.js';
import { readIppBody } from './request-body.js';
import type { Printer } from '../printer/printer.js';
import { buildResponse, dispatch } from './dispatch.js';
import { basicSite, handleWeb, type WebSite } from './pages.js';
import { isEncrypted, refusePlaintext, type SecurityMode } from '../security/policy.js';
import { Authenticator, type RequestAuth } from '../security/authenticate.js';
import { protectedResourceMetadata } from '../security/oauth-metadata.js';

/** Limits against misbehaving clients. */
export const HTTP_LIMITS = {
  MAX_HEADER_BYTES: 16 * 1024,
  HEADERS_TIMEOUT_MS: 20_000,
  IDLE_TIMEOUT_MS: 60_000,
  KEEP_ALIVE_TIMEOUT_MS: 30_000,
} as const;

const HOST_RE = /^[A-Za-z0-9.\-_]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/** The host[:port] to put in URIs: the Host header when sane, else the local address. */
export function requestHost(req: IncomingMessage): string {
  const host = req.headers.host;
  if (host && HOST_RE.test(host)) return host;
  const addr = req.socket.localAddress ?? '127.0.0.1';
  const bare = addr.startsWith('::ffff:') ? addr.slice(7) : addr;
  const shown = bare.includes(':') ? `[${bare}]` : bare;
  return `${shown}:${req.socket.localPort ?? 0}`;
}

let nextRequestId = 1;

/** Check the request's credentials; on a refusal the HTTP answer is sent and undefined returned. */
async function authenticateRequest(req: IncomingMessage, res: ServerResponse, auth: Authenticator): Promise<RequestAuth | undefined> {
  const address = req.socket.remoteAddress ?? '';
  const facts = { authorization: req.headers.authorization, secure: isEncrypted(req.socket), address, authority: requestHost(req) };
  const result = await auth.check(facts);
  if (result.ok) return auth.requestAuth(facts, result.authenticated);
  // Clients (CUPS) send the request again with credentials on the same connection: keep it when we can.
  sendPlain(res, result.status, `${result.reason}\n`, result.headers, await discardBody(req));
  return undefined;
}

/** Read and drop a request body of at most MAX_DRAIN_BYTES; true when it was read to the end. */
async function discardBody(req: IncomingMessage): Promise<boolean> {
  if (req.complete) return true;
  const length = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(length) && length > MAX_DRAIN_BYTES) return false;
  let skipped = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      skipped += chunk.length;
      if (skipped > MAX_DRAIN_BYTES) return false;
    }
  } catch {
    return false;
  }
  return req.complete;
}

async function handleIpp(req: IncomingMessage, res: ServerResponse, printer: Printer, log: Logger, auth: Authenticator): Promise<void> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/ipp') {
    sendPlain(res, 400, 'Content-Type must be application/ipp.\n');
    return;
  }
  const requestAuth = await authenticateRequest(req, res, auth);
  if (requestAuth === undefined) return;
  const reqId = nextRequestId++;
  let parsed;
  try {
    parsed = await readIppBody(req, HTTP_LIMITS.IDLE_TIMEOUT_MS);
  } catch (err) {
    if (err instanceof IppDecodeError && err.header) {
      const status = err.code === 'ERR_IPP_LIMIT' ? 'client-error-request-entity-too-large' : 'client-error-bad-request';
      log.debug({ reqId, reason: err.message }, 'malformed IPP request');
      sendIpp(res, buildResponse({ version: err.header.version, requestId: err.header.requestId || 1 }, { status, message: err.message }), req);
      return;
    }
    if (err instanceof IppDecodeError || err instanceof HttpError) {
      log.debug({ reqId, reason: err.message }, 'malformed IPP request');
      sendPlain(res, err instanceof HttpError ? err.status : 400, `Bad IPP request: ${err.message}\n`);
      return;
    }
    throw err;
  }
  let response;
  try {
    response = await dispatch({
      message: parsed.message,
      document: parsed.document,
      printer,
      host: requestHost(req),
      secure: isEncrypted(req.socket),
      remote: `${req.socket.remoteAddress ?? ''}:${req.socket.remotePort ?? 0}`,
      signal: parsed.signal,
      log,
      reqId,
      auth: requestAuth,
    });
  } catch (err) {
    if (!(err instanceof HttpError)) throw err;
    // 401 for an operation that needs a login: skip a short body; a longer one is left unread and the connection closes.
    await drainRest(parsed.document, req);
    parsed.release();
    sendPlain(res, err.status, `${err.message}\n`, err.headers, req.complete);
    return;
  }
  await drainRest(parsed.document, req);
  parsed.release();
  sendIpp(res, response, req);
}

/** Bytes of unread request body we skip to keep a connection alive; more than that closes it instead. */
const MAX_DRAIN_BYTES = 64 * 1024;

/** Read what is left of the body (normally nothing) so the connection can be reused. */
async function drainRest(rest: AsyncIterable<Uint8Array>, req: IncomingMessage): Promise<void> {
  if (req.complete) return;
  let skipped = 0;
  try {
    for await (const chunk of rest) {
      skipped += chunk.length;
      if (skipped > MAX_DRAIN_BYTES) return;
    }
  } catch {
    // The client went away or sent a broken body: the response goes out with Connection: close.
  }
}

function sendIpp(res: ServerResponse, message: Parameters<typeof encodeMessage>[0], req: IncomingMessage): void {
  const bytes = encodeMessage(message);
  const headers: Record<string, string | number> = { 'Content-Type': 'application/ipp', 'Content-Length': bytes.length };
  // A body we did not read to the end cannot be skipped cheaply: close instead of draining it.
  if (!req.complete) headers['Connection'] = 'close';
  res.writeHead(200, headers);
  res.end(bytes);
}

function sendPlain(res: ServerResponse, status: number, textBody: string, extra: Readonly<Record<string, string>> = {}, keepAlive = false): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const connection = keepAlive ? extra['Connection'] : [extra['Connection'], 'close'].filter((v) => v !== undefined).join(', ');
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(textBody),
    ...extra,
    ...(connection === undefined ? {} : { Connection: connection }),
  });
  res.end(textBody);
}

/** RFC 9728 metadata for GETs of its well-known paths when OAuth is configured; false when `path` is another page. */
function serveOAuthMetadata(req: IncomingMessage, res: ServerResponse, path: string, auth: Authenticator): boolean {
  const oauth = auth.config.oauth;
  const doc = oauth && (req.method === 'GET' || req.method === 'HEAD') ? protectedResourceMetadata(path, requestHost(req), oauth) : undefined;
  if (doc === undefined) return false;
  const body = JSON.stringify(doc);
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'max-age=3600' });
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
}

/** How the server treats plaintext (S-tls's `mode`) and credentials (`auth`; default: names only, no logins). */
export interface HttpSecurity {
  readonly mode: SecurityMode;
  readonly auth?: Authenticator;
  /** the web pages (src/web/site.ts); default: status and jobs pages with `auth`, no admin stores */
  readonly web?: WebSite;
}

/** Create (not start) the HTTP server for one printer; `security` decides what plaintext requests get. */
export function createHttpServer(printer: Printer, log: Logger, security: HttpSecurity = { mode: 'open' }): Server {
  const auth = security.auth ?? Authenticator.namesOnly();
  const web = security.web ?? basicSite(printer, log, auth, security.mode);
  printer.updateConfig({ authentication: auth.advertisement() });
  const server = createServer(
    {
      maxHeaderSize: HTTP_LIMITS.MAX_HEADER_BYTES,
      headersTimeout: HTTP_LIMITS.HEADERS_TIMEOUT_MS,
      requestTimeout: 0,
      keepAliveTimeout: HTTP_LIMITS.KEEP_ALIVE_TIMEOUT_MS,
      connectionsCheckingInterval: 5_000,
    },
    (req, res) => {
      if (refusePlaintext(req, res, security.mode, requestHost(req))) return;
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      if (serveOAuthMetadata(req, res, path, auth)) return;
      const work =
        req.method === 'POST' && (path === '/ipp/print' || /^\/ipp\/print\/\d+$/.test(path) || path === '/')
          ? handleIpp(req, res, printer, log, auth)
          : handleWeb(req, res, web, requestHost(req));
      work.catch((err: unknown) => {
        log.error({ err }, 'request failed');
        sendPlain(res, 500, 'Internal error.\n');
      });
    },
  );
  server.timeout = HTTP_LIMITS.IDLE_TIMEOUT_MS;
  server.on('clientError', (err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
    log.debug({ err: (err as Error).message }, 'HTTP client error');
  });
  return server;
}
