// Tests for TLS and plaintext on one port: first-byte detection, RFC 2817 upgrade, the policy's 426 and 301,
// TLS versions, and certificate reload without a restart. In-process server on 127.0.0.1.
// SPDX-License-Identifier: Apache-2.0
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as netConnect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import pino from 'pino';
import t, { type Test } from 'tap';
import { generateKey, selfSignedCertificate } from '../../src/security/certificate.js';
import { isEncrypted, refusePlaintext, type SecurityMode } from '../../src/security/policy.js';
import { serveSamePort, type SamePort } from '../../src/security/same-port.js';
import { TlsContext } from '../../src/security/tls-context.js';
import { installCertificate } from '../../src/security/tls-files.js';

const subject = { commonName: 'localhost', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] };
const log = pino({ level: 'silent' });

interface Fixture {
  readonly port: number;
  readonly tls: TlsContext;
  readonly samePort: SamePort;
  readonly stateDir: string;
}

/** A server answering `<method> <url> encrypted=<bool> body=<body>` behind the policy for `mode`. */
async function start(t: Test, mode: SecurityMode = 'open'): Promise<Fixture> {
  const stateDir = await mkdtemp(join(tmpdir(), 'same-port-'));
  const tls = await TlsContext.open(stateDir, { log, subject, watch: false });
  const server: Server = createServer((req, res) => {
    if (refusePlaintext(req, res, mode, req.headers.host ?? 'localhost')) return;
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('latin1')));
    req.on('end', () => res.end(`${req.method} ${req.url} encrypted=${isEncrypted(req.socket)} body=${body}`));
  });
  const samePort = serveSamePort(server, { secureContext: () => tls.secureContext, log, handshakeTimeoutMs: 5000 });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.teardown(async () => {
    samePort.destroyPending();
    tls.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await rm(stateDir, { recursive: true, force: true });
  });
  const address = server.address();
  return { port: typeof address === 'object' && address ? address.port : 0, tls, samePort, stateDir };
}

function collect(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    res.on('data', (c: Buffer) => (text += c.toString('utf8')));
    res.once('end', () => resolve(text));
    res.once('error', reject);
  });
}

/** One plain or TLS HTTP request; resolves with status, headers and body. */
function get(port: number, opts: { tls?: boolean; method?: string; path?: string; headers?: Record<string, string>; body?: string; ca?: string } = {}) {
  const request = opts.tls ? httpsRequest : httpRequest;
  return new Promise<{ status: number; headers: IncomingMessage['headers']; body: string; socket: Socket }>((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      method: opts.method ?? 'GET',
      path: opts.path ?? '/',
      headers: opts.headers ?? {},
      agent: false,
      ...(opts.tls ? { ca: opts.ca, servername: 'localhost' } : {}),
    });
    req.once('error', reject);
    req.once('response', (res) => {
      collect(res).then((body) => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, socket: res.socket }), reject);
    });
    req.end(opts.body);
  });
}

/** Read from a socket until `pattern` appears in what was read. */
async function readUntil(socket: Socket, pattern: RegExp): Promise<string> {
  let text = '';
  while (!pattern.test(text)) {
    const [chunk] = (await once(socket, 'data')) as [Buffer];
    text += chunk.toString('latin1');
  }
  return text;
}

t.test('a plaintext request is served in the clear', async (t) => {
  const f = await start(t);
  const res = await get(f.port, { path: '/a' });
  t.equal(res.body, 'GET /a encrypted=false body=');
});

t.test('a TLS ClientHello on the same port gets TLS and the same HTTP handler', async (t) => {
  const f = await start(t);
  const res = await get(f.port, { tls: true, path: '/b', ca: f.tls.material.certPem });
  t.equal(res.body, 'GET /b encrypted=true body=');
  t.equal((res.socket as TLSSocket).getPeerCertificate().fingerprint256, f.tls.material.leaf.fingerprint256);
});

t.test('a connection starting with neither a TLS record nor a method letter is closed unanswered', async (t) => {
  const f = await start(t);
  const socket = netConnect(f.port, '127.0.0.1');
  t.teardown(() => socket.destroy());
  socket.write('\x00\x01garbage\r\n\r\n');
  let received = '';
  socket.on('data', (c: Buffer) => (received += c.toString('latin1')));
  await once(socket, 'close');
  t.equal(received, '');
});

t.test('OPTIONS * with Upgrade: TLS/1.2 gets 101, then TLS, then the OPTIONS response and more requests over TLS', async (t) => {
  const f = await start(t);
  const raw = netConnect(f.port, '127.0.0.1');
  t.teardown(() => raw.destroy());
  await once(raw, 'connect');
  raw.write('OPTIONS * HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: TLS/1.2,TLS/1.1,TLS/1.0\r\n\r\n');
  const head = await readUntil(raw, /\r\n\r\n/);
  t.match(head, /^HTTP\/1\.1 101 Switching Protocols\r\n/);
  t.match(head, /\r\nUpgrade: TLS\/1\.2, HTTP\/1\.1\r\n/);
  t.match(head, /\r\nConnection: Upgrade\r\n/);
  raw.removeAllListeners('data');
  raw.pause();
  const secure = tlsConnect({ socket: raw, ca: f.tls.material.certPem, servername: 'localhost' });
  await once(secure, 'secureConnect');
  t.ok(secure.authorized, 'the server certificate verifies against our CA');
  const options = await readUntil(secure, /\r\n\r\n/);
  t.match(options, /^HTTP\/1\.1 200 OK\r\n/, 'RFC 2817 §3.3: the OPTIONS request is answered after the handshake');
  secure.write('GET /after HTTP/1.1\r\nHost: localhost\r\n\r\n');
  const after = await readUntil(secure, /encrypted=/);
  t.match(after, /GET \/after encrypted=true/);
  secure.destroy();
});

t.test('an Upgrade header on a normal request is ignored and the request is served with its body', async (t) => {
  const f = await start(t);
  const res = await get(f.port, { method: 'POST', path: '/ipp/print', headers: { Connection: 'Upgrade', Upgrade: 'TLS/1.2' }, body: 'payload' });
  t.equal(res.status, 200);
  t.equal(res.body, 'POST /ipp/print encrypted=false body=payload');
  const ws = await get(f.port, { path: '/ws', headers: { Connection: 'keep-alive, Upgrade', Upgrade: 'websocket' } });
  t.equal(ws.body, 'GET /ws encrypted=false body=');
});

t.test('TLS 1.0 and 1.1 are refused and TLS 1.2 and 1.3 accepted', async (t) => {
  const f = await start(t);
  for (const version of ['TLSv1', 'TLSv1.1'] as const) {
    const socket = tlsConnect({ host: '127.0.0.1', port: f.port, minVersion: version, maxVersion: version, rejectUnauthorized: false, ciphers: 'DEFAULT@SECLEVEL=0' });
    const [err] = (await once(socket, 'error')) as [Error];
    t.match(err.message, /protocol version|unsupported protocol|no protocols available/i, `${version} refused`);
    socket.destroy();
  }
  for (const version of ['TLSv1.2', 'TLSv1.3'] as const) {
    const socket = tlsConnect({ host: '127.0.0.1', port: f.port, minVersion: version, maxVersion: version, ca: f.tls.material.certPem, servername: 'localhost' });
    await once(socket, 'secureConnect');
    t.equal(socket.getProtocol(), version, `${version} accepted`);
    if (version === 'TLSv1.2') t.match(socket.getCipher().name, /^ECDHE-ECDSA-(AES\d+-GCM|CHACHA20)/, 'an ECDHE AEAD cipher');
    socket.destroy();
  }
});

t.test('tls-required answers plaintext POST with 426 and Upgrade, redirects GET to https, and serves TLS', async (t) => {
  const f = await start(t, 'tls-required');
  const post = await get(f.port, { method: 'POST', path: '/ipp/print', headers: { Host: 'printer.local:631' }, body: 'x' });
  t.equal(post.status, 426);
  t.equal(post.headers['upgrade'], 'TLS/1.3, TLS/1.2');
  t.equal(post.headers['connection'], 'Upgrade');
  const page = await get(f.port, { path: '/supplies?x=1', headers: { Host: 'printer.local:631' } });
  t.equal(page.status, 301);
  t.equal(page.headers['location'], 'https://printer.local:631/supplies?x=1');
  const secure = await get(f.port, { tls: true, method: 'POST', path: '/ipp/print', body: 'x', ca: f.tls.material.certPem });
  t.equal(secure.body, 'POST /ipp/print encrypted=true body=x');
});

t.test('reload() serves a newly installed certificate to new connections', async (t) => {
  const f = await start(t);
  const before = f.tls.material.leaf.fingerprint256;
  const key = generateKey();
  const pem = selfSignedCertificate(key, subject);
  await installCertificate(f.stateDir, pem, key.export({ type: 'pkcs8', format: 'pem' }).toString());
  await f.tls.reload();
  t.equal(f.tls.material.source, 'installed');
  const res = await get(f.port, { tls: true, ca: pem });
  const served = (res.socket as TLSSocket).getPeerCertificate().fingerprint256;
  t.not(served, before);
  t.equal(served, f.tls.material.leaf.fingerprint256);
});

t.test('destroyPending closes connections that never sent a byte', async (t) => {
  const f = await start(t);
  const socket = netConnect(f.port, '127.0.0.1');
  t.teardown(() => socket.destroy());
  await once(socket, 'connect');
  await new Promise((r) => setImmediate(r));
  const closed = once(socket, 'close');
  f.samePort.destroyPending();
  await closed;
  t.pass('closed');
});
