// Hostile and malformed requests against the built server over raw TCP and node:http: each gets HTTP 400 (or
// another 4xx) or the right IPP status, and the server still answers Get-Printer-Attributes afterwards.
// SPDX-License-Identifier: Apache-2.0
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import t, { type Test } from 'tap';
import { attr, charset, keyword, naturalLanguage, uri } from '../../src/ipp/build.js';
import { encodeMessage } from '../../src/ipp/encode.js';
import { IppOp } from '../../src/ipp/ops.js';
import { statusKeyword } from '../../src/ipp/status.js';
import type { IppAttribute, IppMessage } from '../../src/ipp/types.js';
import { ippCall, postIpp, startServer, type RunningServer } from '../support/server.js';

const server = await startServer();
t.teardown(() => server.stop());

function gpa(attrs?: IppAttribute[], version = { major: 2, minor: 0 }, requestId = 1): IppMessage {
  const ops = attrs ?? [
    attr('attributes-charset', charset('utf-8')),
    attr('attributes-natural-language', naturalLanguage('en')),
    attr('printer-uri', uri(server.uri)),
  ];
  return { version, code: IppOp.GetPrinterAttributes, requestId, groups: [{ tag: 'operation', attributes: ops }] };
}

/** Hand-written bytes: header, then attribute records (value tag, name, value), then end-of-attributes. */
function header(major: number, minor: number, op: number, requestId: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt8(major, 0);
  b.writeUInt8(minor, 1);
  b.writeUInt16BE(op, 2);
  b.writeInt32BE(requestId, 4);
  return b;
}
function record(tag: number, name: string, value: string | Buffer, declaredLength?: number): Buffer {
  const v = typeof value === 'string' ? Buffer.from(value) : value;
  const n = Buffer.from(name);
  const b = Buffer.alloc(1 + 2 + n.length + 2);
  b.writeUInt8(tag, 0);
  b.writeUInt16BE(n.length, 1);
  n.copy(b, 3);
  b.writeUInt16BE(declaredLength ?? v.length, 3 + n.length);
  return Buffer.concat([b, v]);
}
const leading = (): Buffer =>
  Buffer.concat([record(0x47, 'attributes-charset', 'utf-8'), record(0x48, 'attributes-natural-language', 'en')]);

/** The server must answer a normal Get-Printer-Attributes with successful-ok. */
async function assertAlive(t: Test, s: RunningServer = server): Promise<void> {
  const res = await ippCall(s.uri, gpa([...gpa().groups[0]!.attributes, attr('requested-attributes', keyword('printer-state'))]));
  t.equal(statusKeyword(res.code), 'successful-ok', 'the server still answers Get-Printer-Attributes');
}

/** POST bytes; assert HTTP 4xx, or HTTP 200 with one of the IPP statuses in `allowed`. */
async function expectRejected(t: Test, body: Buffer, allowed: readonly string[], headers?: Record<string, string>): Promise<void> {
  const res = await postIpp(server.uri, body, headers ? { headers } : {});
  if (res.status === 200) {
    const status = res.message ? statusKeyword(res.message.code) : '(undecodable response)';
    t.ok(allowed.includes(status), `IPP status ${status} is one of ${allowed.join(', ')}`);
  } else {
    t.ok(res.status >= 400 && res.status < 500, `HTTP ${res.status} is a 4xx refusal`);
  }
  await assertAlive(t);
}

/** Raw TCP exchange: write chunks (with an optional pause between them), collect until the server closes. */
function rawExchange(chunks: readonly Buffer[], opts: { pauseMs?: number; timeoutMs?: number } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host: '127.0.0.1', port: server.port });
    const got: Buffer[] = [];
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`server neither answered nor closed within ${opts.timeoutMs ?? 10000} ms`));
    }, opts.timeoutMs ?? 10000);
    sock.on('data', (c: Buffer) => {
      got.push(c);
      // One complete response is enough (a keep-alive server leaves the socket open).
      const text = Buffer.concat(got).toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      const len = /content-length:\s*(\d+)/i.exec(text)?.[1];
      if (end >= 0 && len !== undefined && text.length >= end + 4 + Number(len)) sock.end();
    });
    sock.on('error', () => undefined);
    sock.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(got).toString('latin1'));
    });
    void (async () => {
      for (const c of chunks) {
        if (sock.destroyed) return;
        sock.write(c);
        if (opts.pauseMs !== undefined) await new Promise((r) => setTimeout(r, opts.pauseMs));
      }
    })();
  });
}

const BAD = ['client-error-bad-request'];

t.test('a truncated IPP body is refused', async (t) => {
  const full = encodeMessage(gpa());
  for (const cut of [3, 8, 9, 12, full.length - 1]) await expectRejected(t, full.subarray(0, cut), BAD);
});

t.test('a reserved group tag is refused', async (t) => {
  const body = Buffer.concat([header(2, 0, 0x0b, 1), Buffer.of(0x01), leading(), Buffer.of(0x0e), Buffer.of(0x03)]);
  await expectRejected(t, body, BAD);
});

t.test('an unknown value tag does not break the server', async (t) => {
  const body = Buffer.concat([
    header(2, 0, 0x0b, 1),
    Buffer.of(0x01),
    leading(),
    record(0x45, 'printer-uri', server.uri),
    record(0x3f, 'x-unknown-syntax', Buffer.of(1, 2, 3)),
    Buffer.of(0x03),
  ]);
  const res = await postIpp(server.uri, body);
  t.ok(res.status === 200 || (res.status >= 400 && res.status < 500), `HTTP ${res.status}`);
  if (res.status === 200) t.ok(res.message, 'the answer decodes as IPP');
  await assertAlive(t);
});

t.test('a value length larger than the body is refused', async (t) => {
  const body = Buffer.concat([header(2, 0, 0x0b, 1), Buffer.of(0x01), leading(), record(0x45, 'printer-uri', 'ipp://x', 0x7fff)]);
  await expectRejected(t, body, BAD);
});

t.test('a huge attribute section is refused without allocating it', async (t) => {
  const filler = Buffer.alloc(30000, 0x61);
  const parts = [header(2, 0, 0x0b, 1), Buffer.of(0x01), leading(), record(0x45, 'printer-uri', server.uri)];
  for (let i = 0; i < 40; i++) parts.push(record(0x44, 'requested-attributes', filler));
  parts.push(Buffer.of(0x03));
  await expectRejected(t, Buffer.concat(parts), [...BAD, 'client-error-request-entity-too-large', 'client-error-request-value-too-long']);
});

t.test('a huge declared Content-Length does not make the server allocate it', async (t) => {
  const before = rss(server);
  // Declare 1 TiB, send a complete Get-Printer-Attributes plus 4 MiB of trailing data, then hang up.
  const head = `POST /ipp/print HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/ipp\r\nContent-Length: 1099511627776\r\n\r\n`;
  const trailing = Array.from({ length: 64 }, () => Buffer.alloc(65536, 0x55));
  const reply = await rawExchange([Buffer.from(head), encodeMessage(gpa()), ...trailing], { timeoutMs: 3000 }).catch(
    (err: unknown) => `no answer: ${String(err)}`,
  );
  t.comment(`reply to a 1 TiB Content-Length: ${reply.split('\r\n')[0] ?? ''}`);
  t.notMatch(reply, /^HTTP\/1\.1 5\d\d/, 'no server error');
  t.ok(rss(server) - before < 64 * 1024 * 1024, 'resident memory did not grow by the declared length');
  await assertAlive(t);
});

t.test('attribute groups out of order are refused', async (t) => {
  const msg: IppMessage = { ...gpa(), groups: [{ tag: 'job', attributes: [attr('copies', { syntax: 'integer', value: 1 })] }, ...gpa().groups] };
  await expectRejected(t, encodeMessage(msg), BAD);
});

t.test('an attribute before any group is refused', async (t) => {
  await expectRejected(t, Buffer.concat([header(2, 0, 0x0b, 1), leading(), Buffer.of(0x03)]), BAD);
});

t.test('version 0.0 gets server-error-version-not-supported', async (t) => {
  await expectRejected(t, encodeMessage(gpa(undefined, { major: 0, minor: 0 })), ['server-error-version-not-supported']);
});

t.test('request-id 0 gets client-error-bad-request', async (t) => {
  await expectRejected(t, encodeMessage(gpa(undefined, undefined, 0)), BAD);
});

t.test('a missing charset, language or printer-uri gets client-error-bad-request', async (t) => {
  const [cs, lang, target] = gpa().groups[0]!.attributes;
  for (const ops of [[lang!, target!], [cs!, target!], [cs!, lang!], [lang!, cs!, target!]]) {
    await expectRejected(t, encodeMessage(gpa(ops)), BAD);
  }
});

t.test('garbage bodies are refused', async (t) => {
  let seed = 7;
  for (const size of [1, 7, 100, 5000]) {
    const junk = Buffer.alloc(size);
    for (let i = 0; i < size; i++) junk[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
    junk[0] = 0x02; // plausible version byte, the rest is noise
    await expectRejected(t, junk, [...BAD, 'server-error-version-not-supported', 'server-error-operation-not-supported']);
  }
});

t.test('a wrong Content-Type is refused with HTTP 400', async (t) => {
  const res = await postIpp(server.uri, encodeMessage(gpa()), { headers: { 'Content-Type': 'text/plain' } });
  t.equal(res.status, 400);
  await assertAlive(t);
});

t.test('a header flood is refused', async (t) => {
  const flood = Array.from({ length: 2000 }, (_, i) => `X-Flood-${i}: ${'y'.repeat(20)}\r\n`).join('');
  const reply = await rawExchange([Buffer.from(`POST /ipp/print HTTP/1.1\r\nHost: 127.0.0.1\r\n${flood}\r\n`)]);
  t.match(reply, /^HTTP\/1\.1 4\d\d|^$/, 'a 4xx answer (431/400) or a closed connection');
  await assertAlive(t);
});

t.test('a chunked request split at every byte is answered', async (t) => {
  const body = encodeMessage(gpa());
  const head = Buffer.from('POST /ipp/print HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/ipp\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n');
  const chunked = Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]);
  const wire = Buffer.concat([head, chunked]);
  const bytes = Array.from({ length: wire.length }, (_, i) => wire.subarray(i, i + 1));
  const reply = await rawExchange(bytes, { timeoutMs: 20000 });
  t.match(reply, /^HTTP\/1\.1 200/, 'HTTP 200');
  // Also one body byte per chunk.
  const tiny = Buffer.concat([...body].map((b) => Buffer.concat([Buffer.from('1\r\n'), Buffer.of(b), Buffer.from('\r\n')])));
  const reply2 = await rawExchange([head, tiny, Buffer.from('0\r\n\r\n')]);
  t.match(reply2, /^HTTP\/1\.1 200/, 'HTTP 200 with one-byte chunks');
  await assertAlive(t);
});

function rss(s: RunningServer): number {
  // Read the server's resident set size from /proc (Linux); 0 elsewhere.
  try {
    const status = readFileSync(`/proc/${s.proc.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}
