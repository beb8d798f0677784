// Reading an IPP request body: small bodies with a Content-Length are read whole and decoded in one call (the
// common case: every request without a document, and small documents); anything else is decoded incrementally
// and its document handed on as a stream.
// SPDX-License-Identifier: Apache-2.0
import type { IncomingMessage } from 'node:http';
import { createGunzip, createInflate } from 'node:zlib';
import { decodeMessage } from '../ipp/decode.js';
import { readIppMessage } from '../ipp/read-message.js';
import { DEFAULT_DECODE_LIMITS, type IppMessage } from '../ipp/types.js';
import { HttpError } from '../errors.js';

/** Bodies up to this size with a Content-Length are read whole. */
export const SMALL_BODY_BYTES = 64 * 1024;

/** A decoded request and what follows it. */
export interface IppBody {
  readonly message: IppMessage;
  readonly document: AsyncIterable<Uint8Array>;
  /** aborted when the client goes away while its body is still streaming */
  readonly signal: AbortSignal;
  /** stop watching the connection (the request is answered) */
  readonly release: () => void;
}

const NEVER_ABORTED = new AbortController().signal;

function readWhole(req: IncomingMessage, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      if (size !== length) reject(new HttpError(400, 'Body shorter than Content-Length.'));
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onClose = (): void => {
      cleanup();
      reject(new HttpError(400, 'Connection closed before the body was complete.'));
    };
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      req.off('error', onClose);
    };
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('close', onClose);
    req.once('error', onClose);
  });
}

/** The document bytes that arrived with the message, as the stream the operations expect. */
async function* bufferedDocument(rest: Buffer): AsyncGenerator<Uint8Array> {
  if (rest.length > 0) yield rest;
}

/** Destroy the request when the client sends nothing for `ms` while its body is wanted. */
function watchClientStall(req: IncomingMessage, ms: number): NodeJS.Timeout {
  let lastBytes = -1;
  let idleSince = Date.now();
  const timer = setInterval(() => {
    const bytes = req.socket.bytesRead;
    const waitingForClient = req.readableLength === 0 && !req.complete;
    if (bytes !== lastBytes || !waitingForClient) {
      lastBytes = bytes;
      idleSince = Date.now();
    } else if (Date.now() - idleSince >= ms) {
      clearInterval(timer);
      req.destroy();
    }
  }, Math.min(ms, 5_000));
  timer.unref();
  return timer;
}

function isZlibError(err: unknown): boolean {
  const code = err instanceof Error ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('Z_');
}

/**
 * Decode the IPP message of a request. Throws IppDecodeError for malformed messages and HttpError for broken
 * HTTP bodies. `idleMs` bounds how long a streaming body may stall while we wait for it.
 */
export async function readIppBody(req: IncomingMessage, idleMs: number): Promise<IppBody> {
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  const length = Number(req.headers['content-length'] ?? NaN);
  if (encoding === 'identity' && Number.isInteger(length) && length <= SMALL_BODY_BYTES) {
    // The socket's idle timeout guards this read.
    const whole = await readWhole(req, length);
    const { message, bodyOffset } = decodeMessage(whole, DEFAULT_DECODE_LIMITS);
    const rest = whole.subarray(bodyOffset);
    return { message, document: bufferedDocument(rest), signal: NEVER_ABORTED, release: () => undefined };
  }
  let body: AsyncIterable<Uint8Array> = req;
  if (encoding === 'gzip') body = req.pipe(createGunzip());
  else if (encoding === 'deflate') body = req.pipe(createInflate());
  else if (encoding !== 'identity') throw new HttpError(415, 'Unsupported Content-Encoding.');
  const aborter = new AbortController();
  // The socket idle timeout would also fire while the engine holds the stream back (a fault mid-job); watch for a
  // stalled client instead: no bytes for idleMs while we are waiting for them (nothing buffered).
  req.socket.setTimeout(0);
  const watchdog = watchClientStall(req, idleMs);
  const release = (): void => clearInterval(watchdog);
  req.once('close', () => {
    if (!req.complete) aborter.abort();
    release();
  });
  try {
    const parsed = await readIppMessage(body, DEFAULT_DECODE_LIMITS, aborter.signal);
    return { ...parsed, signal: aborter.signal, release };
  } catch (err) {
    release();
    // The client went away before the attribute section was complete: a broken request, not a server failure.
    if (aborter.signal.aborted && err === aborter.signal.reason) {
      throw new HttpError(400, 'Connection closed before the request was complete.');
    }
    // A truncated or corrupt gzip/deflate body fails in zlib (code Z_*): the client's fault.
    if (body !== req && isZlibError(err)) throw new HttpError(400, `Broken ${encoding} request body.`);
    throw err;
  }
}
