// The HTTP/1.1 server: POST /ipp/print (application/ipp), status page, icons. Limits and timeouts live here.
// SPDX-License-Identifier: Apache-2.0
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { encodeMessage } from '../ipp/encode.js';
import { HttpError, IppDecodeError } from '../errors.js';
import { readIppBody } from './request-body.js';
import type { Printer } from '../printer/printer.js';
import { buildResponse, dispatch } from './dispatch.js';
import { handleGet } from './pages.js';

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

async function handleIpp(req: IncomingMessage, res: ServerResponse, printer: Printer, log: Logger): Promise<void> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/ipp') {
    sendPlain(res, 400, 'Content-Type must be application/ipp.\n');
    return;
  }
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
  const response = await dispatch({
    message: parsed.message,
    document: parsed.document,
    printer,
    host: requestHost(req),
    secure: false,
    remote: `${req.socket.remoteAddress ?? ''}:${req.socket.remotePort ?? 0}`,
    signal: parsed.signal,
    log,
    reqId,
  });
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

function sendPlain(res: ServerResponse, status: number, textBody: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(textBody), Connection: 'close' });
  res.end(textBody);
}

/** Create (not start) the HTTP server for one printer. */
export function createHttpServer(printer: Printer, log: Logger): Server {
  const server = createServer(
    {
      maxHeaderSize: HTTP_LIMITS.MAX_HEADER_BYTES,
      headersTimeout: HTTP_LIMITS.HEADERS_TIMEOUT_MS,
      requestTimeout: 0,
      keepAliveTimeout: HTTP_LIMITS.KEEP_ALIVE_TIMEOUT_MS,
      connectionsCheckingInterval: 5_000,
    },
    (req, res) => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const work =
        req.method === 'POST' && (path === '/ipp/print' || /^\/ipp\/print\/\d+$/.test(path) || path === '/')
          ? handleIpp(req, res, printer, log)
          : handleGet(req, res, printer);
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
