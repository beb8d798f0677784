// Fuzz target: the HTTP front end of a running server, over raw loopback sockets. Inputs are whole client byte
// streams (request line, headers, Content-Length or chunked framing, gzip/deflate bodies around IPP requests).
// Oracle: the server answers with a non-5xx status or closes, never hangs, never logs "request failed", stays
// alive, and still answers Get-Printer-Attributes afterwards.
// SPDX-License-Identifier: Apache-2.0
import { connect } from 'node:net';
import { gzipSync, deflateSync } from 'node:zlib';
import { encodeMessage } from '../../../src/ipp/encode.js';
import { IppOp } from '../../../src/ipp/ops.js';
import { postIpp, printerRequest, type RunningServer } from '../../support/server.js';
import type { FuzzTarget } from '../engine.js';
import { havoc } from '../mutate.js';
import type { Rng } from '../prng.js';

/** Time a connection may stay open after the client half-closed it. */
const ANSWER_MS = 10_000;
/** Check that the printer still answers every this many inputs. */
const PROBE_EVERY = 100;

const DICTIONARY: Uint8Array[] = [
  'POST /ipp/print HTTP/1.1\r\n', 'GET / HTTP/1.1\r\n', 'Content-Length: ', 'Transfer-Encoding: chunked\r\n', 'Content-Encoding: gzip\r\n',
  'Content-Encoding: deflate\r\n', 'Content-Type: application/ipp\r\n', 'Expect: 100-continue\r\n', 'Connection: close\r\n', 'Host: localhost\r\n',
  '\r\n', '\r\n\r\n', '0\r\n\r\n', 'ffffffff\r\n', '1;ext=1\r\n', ' ', ':', '\n', '\0',
].map((s) => Buffer.from(s, 'latin1'));

/** A raw socket exchange: send, half-close, collect the answer until the server closes. */
function exchange(port: number, pieces: readonly Uint8Array[]): Promise<{ response: Buffer; isHang: boolean }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (isHang: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ response: Buffer.concat(chunks), isHang });
    };
    const timer = setTimeout(() => finish(true), ANSWER_MS);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => finish(false));
    socket.on('close', () => finish(false));
    socket.once('connect', async () => {
      for (const piece of pieces) {
        if (socket.destroyed) return;
        socket.write(piece);
        await new Promise((r) => setImmediate(r));
      }
      socket.end();
    });
  });
}

function chunkedBody(body: Uint8Array, rng: Rng): Buffer {
  const parts: Buffer[] = [];
  for (let pos = 0; pos < body.length; ) {
    const size = Math.min(body.length - pos, 1 + rng.size(600));
    const ext = rng.chance(0.05) ? ';name=value' : '';
    parts.push(Buffer.from(`${size.toString(16)}${ext}\r\n`, 'latin1'), Buffer.from(body.subarray(pos, pos + size)), Buffer.from('\r\n'));
    pos += size;
  }
  if (!rng.chance(0.1)) parts.push(Buffer.from(rng.chance(0.05) ? '0\r\nX-Trailer: 1\r\n\r\n' : '0\r\n\r\n', 'latin1'));
  return Buffer.concat(parts);
}

/** One structured HTTP request around an IPP body taken from `bodies` (mutated sometimes). */
export function randomHttpRequest(rng: Rng, bodies: readonly Uint8Array[]): Buffer {
  let body: Uint8Array = bodies.length > 0 ? rng.pick(bodies) : new Uint8Array(0);
  if (rng.chance(0.3)) body = havoc(body, rng, { dictionary: [], corpus: bodies, maxLength: 16 * 1024 });
  const encoding = rng.pick(['identity', 'identity', 'identity', 'gzip', 'deflate', 'br', '']);
  if (encoding === 'gzip') body = gzipSync(body);
  else if (encoding === 'deflate') body = deflateSync(body);
  if (encoding !== 'identity' && rng.chance(0.2)) body = body.subarray(0, rng.int(body.length));
  const method = rng.pick(['POST', 'POST', 'POST', 'POST', 'GET', 'HEAD', 'PUT', 'OPTIONS', 'P\0ST']);
  const path = rng.pick(['/ipp/print', '/ipp/print', '/', '/ipp/print/1', '/ipp/print?x=1', '*', '/ipp/print/99999999999', `/${'a'.repeat(rng.size(20000))}`]);
  const version = rng.pick(['HTTP/1.1', 'HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/1.1 x']);
  const headers: string[] = [];
  if (rng.chance(0.9)) headers.push(`Host: ${rng.pick(['localhost', '127.0.0.1:631', '[::1]', 'bad host', ''])}`);
  headers.push(`Content-Type: ${rng.pick(['application/ipp', 'application/ipp', 'application/ipp; charset=x', 'text/plain'])}`);
  if (encoding !== 'identity' || rng.chance(0.05)) headers.push(`Content-Encoding: ${encoding}`);
  if (rng.chance(0.1)) headers.push('Expect: 100-continue');
  if (rng.chance(0.1)) headers.push('Connection: close');
  if (rng.chance(0.05)) headers.push(`X-Long: ${'x'.repeat(rng.size(20000))}`);
  const isChunked = rng.chance(0.4);
  if (isChunked) headers.push(rng.chance(0.95) ? 'Transfer-Encoding: chunked' : 'Transfer-Encoding: gzip, chunked');
  if (!isChunked || rng.chance(0.05)) {
    const length = rng.chance(0.85) ? body.length : rng.pick([0, body.length - 1, body.length + 1, -1, 2 ** 53, rng.int(70_000)]);
    headers.push(`Content-Length: ${length}`);
    if (rng.chance(0.03)) headers.push(`Content-Length: ${length + 1}`);
  }
  const head = Buffer.from(`${method} ${path} ${version}\r\n${headers.join('\r\n')}\r\n\r\n`, 'latin1');
  return Buffer.concat([head, isChunked ? chunkedBody(body, rng) : body]);
}

/** Split an input into 1–4 writes. */
function pieces(input: Uint8Array, rng: Rng): Uint8Array[] {
  const cuts = Array.from({ length: rng.int(4) }, () => rng.int(input.length)).sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const cut of [...cuts, input.length]) {
    out.push(input.subarray(from, cut));
    from = cut;
  }
  return out.filter((p) => p.length > 0);
}

/** Whether the server still answers Get-Printer-Attributes with successful-ok. */
export async function printerAnswers(server: RunningServer): Promise<boolean> {
  try {
    const body = encodeMessage(printerRequest(server.uri, IppOp.GetPrinterAttributes));
    const res = await postIpp(server.uri, body, { timeoutMs: ANSWER_MS });
    return res.status === 200 && res.message?.code === 0;
  } catch {
    return false;
  }
}

/** The HTTP target against `server`; `bodies` are the IPP request bodies the generator wraps. */
export function httpTarget(server: RunningServer, bodies: readonly Uint8Array[]): FuzzTarget {
  let inputs = 0;
  let recent = '';
  const onOutput = (chunk: Buffer): void => {
    recent = (recent + chunk.toString('utf8')).slice(-64 * 1024);
  };
  server.proc.stdout?.on('data', onOutput);
  server.proc.stderr?.on('data', onOutput);
  return {
    name: 'http',
    dictionary: DICTIONARY,
    maxLength: 64 * 1024,
    generate: (rng) => {
      const first = randomHttpRequest(rng, bodies);
      // Sometimes a pipelined second request on the same connection.
      return rng.chance(0.15) ? Buffer.concat([first, randomHttpRequest(rng, bodies)]) : first;
    },
    async run(input, rng) {
      const { response, isHang } = await exchange(server.port, pieces(input, rng));
      if (isHang) throw new Error(`connection still open ${ANSWER_MS} ms after the client finished`);
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(response.toString('latin1', 0, 16))?.[1];
      if (status !== undefined && status.startsWith('5')) throw new Error(`answered HTTP ${status}`);
      if (server.proc.exitCode !== null || server.proc.signalCode !== null) throw new Error('the server process exited');
      const fresh = recent;
      recent = '';
      if (/"msg":"request failed"|"level":60/.test(fresh)) throw new Error(`server logged a failure: ${fresh.slice(0, 400)}`);
      if (++inputs % PROBE_EVERY === 0 && !(await printerAnswers(server))) throw new Error('the printer stopped answering Get-Printer-Attributes');
    },
    isExpected: () => false,
  };
}
