// Slow-loris clients against the built server: one stalls inside its headers, one after its headers with the body
// unsent. The server must drop both by itself (headers timeout 20 s, idle body timeout 60 s in src/server/http.ts)
// and keep serving others meanwhile. Slow by nature (about a minute), so it has a file of its own.
// SPDX-License-Identifier: Apache-2.0
import { connect, type Socket } from 'node:net';
import t from 'tap';
import { attr, charset, keyword, naturalLanguage, uri } from '../../src/ipp/build.js';
import { IppOp } from '../../src/ipp/ops.js';
import { statusKeyword } from '../../src/ipp/status.js';
import { ippCall, startServer } from '../support/server.js';

const server = await startServer();
t.teardown(() => server.stop());

/** Open a socket, write `bytes`, and resolve with what the server sent once it closes (or reject after limitMs). */
function stall(bytes: string, limitMs: number): { socket: Socket; closed: Promise<string> } {
  const socket = connect({ host: '127.0.0.1', port: server.port });
  socket.write(bytes);
  const got: Buffer[] = [];
  socket.on('data', (c: Buffer) => got.push(c));
  socket.on('error', () => undefined);
  const closed = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still open after ${limitMs} ms`)), limitMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(got).toString('latin1'));
    });
  });
  return { socket, closed };
}

t.test('the server drops clients that stall in their headers or body, and serves others meanwhile', async (t) => {
  const inHeaders = stall('POST /ipp/print HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: app', 45_000);
  const inBody = stall(
    'POST /ipp/print HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/ipp\r\nContent-Length: 1000\r\n\r\n\x02\x00\x00\x0b',
    90_000,
  );
  t.teardown(() => {
    inHeaders.socket.destroy();
    inBody.socket.destroy();
  });
  const msg = {
    version: { major: 2, minor: 0 },
    code: IppOp.GetPrinterAttributes,
    requestId: 1,
    groups: [
      {
        tag: 'operation' as const,
        attributes: [
          attr('attributes-charset', charset('utf-8')),
          attr('attributes-natural-language', naturalLanguage('en')),
          attr('printer-uri', uri(server.uri)),
          attr('requested-attributes', keyword('printer-state')),
        ],
      },
    ],
  };
  const res = await ippCall(server.uri, msg);
  t.equal(statusKeyword(res.code), 'successful-ok', 'another client is served while two clients stall');
  const [headersReply, bodyReply] = await Promise.all([inHeaders.closed, inBody.closed]);
  t.match(headersReply, /^$|^HTTP\/1\.1 4\d\d/, 'the header staller is closed (with a 4xx at most)');
  t.match(bodyReply, /^$|^HTTP\/1\.1 [24]\d\d/, 'the body staller is closed');
  const after = await ippCall(server.uri, msg);
  t.equal(statusKeyword(after.code), 'successful-ok', 'the server still answers afterwards');
});
