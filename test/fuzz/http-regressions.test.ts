// Regression tests for crashes the HTTP fuzzer found in the front end, replayed against the built server.
// SPDX-License-Identifier: Apache-2.0
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import t from 'tap';
import { encodeMessage } from '../../src/ipp/encode.js';
import { IppOp } from '../../src/ipp/ops.js';
import { startServer } from '../support/server.js';
import { Rng } from './prng.js';
import { readSeedFiles } from './seeds.js';
import { httpTarget, printerAnswers } from './targets/http.js';

const server = await startServer();
t.teardown(() => server.stop());
let log = '';
server.proc.stdout?.on('data', (c: Buffer) => (log += c.toString('utf8')));

/** Send `bytes` (then half-close unless told not to) and collect the answer until the server closes. */
function sendAndHalfClose(bytes: Uint8Array, isHalfClose = true): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1', () => (isHalfClose ? socket.end(bytes) : socket.write(bytes)));
    let answer = '';
    socket.on('data', (c: Buffer) => (answer += c.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve(answer));
  });
}

t.test('a chunked request cut off inside its attributes is a client error, not a logged server failure', async (t) => {
  // Found by the HTTP fuzzer: the abort of the streaming body reader escaped as an AbortError ("request failed").
  const ipp = encodeMessage({ version: { major: 2, minor: 0 }, code: IppOp.GetPrinterAttributes, requestId: 1, groups: [] });
  const cut = ipp.subarray(0, 6);
  const head = 'POST /ipp/print HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/ipp\r\nTransfer-Encoding: chunked\r\n\r\n';
  const bytes = Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(`${cut.length.toString(16)}\r\n`), cut, Buffer.from('\r\n')]);
  for (let i = 0; i < 5; i++) await sendAndHalfClose(bytes);
  t.ok(await printerAnswers(server), 'the printer still answers');
  t.notMatch(log, /"msg":"request failed"/, 'no request failed in the server log');
});

t.test('a gzip request body cut off inside its attributes is a client error, not a logged server failure', async (t) => {
  // Found by the HTTP fuzzer: zlib's Z_BUF_ERROR for a truncated body escaped as "request failed".
  const ipp = encodeMessage({ version: { major: 2, minor: 0 }, code: IppOp.GetPrinterAttributes, requestId: 1, groups: [] });
  const gz = gzipSync(ipp).subarray(0, 12);
  const head = 'POST /ipp/print HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/ipp\r\nContent-Encoding: gzip\r\n' +
    `Transfer-Encoding: chunked\r\n\r\n${gz.length.toString(16)}\r\n`;
  const answer = await sendAndHalfClose(Buffer.concat([Buffer.from(head, 'latin1'), gz, Buffer.from('\r\n0\r\n\r\n')]), false);
  t.match(answer, /^HTTP\/1\.1 400 /, `answered 400 Bad Request: ${JSON.stringify(answer.slice(0, 100))}`);
  t.ok(await printerAnswers(server), 'the printer still answers');
  t.notMatch(log, /"msg":"request failed"/, 'no request failed in the server log');
});

t.test('every saved HTTP crash input is now answered', async (t) => {
  const target = httpTarget(server, []);
  const inputs = readSeedFiles('regressions/http');
  const failures: string[] = [];
  for (const [i, input] of inputs.entries()) {
    try {
      await target.run(input, new Rng(i));
    } catch (err) {
      failures.push(`input ${i}: ${String(err)}`);
    }
  }
  t.same(failures, [], `${inputs.length} inputs replayed`);
  t.ok(await printerAnswers(server), 'the printer still answers');
});
