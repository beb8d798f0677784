// TLS end to end with real clients against the built server: curl (426, 301, 101), openssl s_client (protocol
// versions), ipptool over ipps:// and with its HTTP Upgrade option (-E), certificate persistence and live install.
// SPDX-License-Identifier: Apache-2.0
import { once } from 'node:events';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { connect as tlsConnect } from 'node:tls';
import t, { type Test } from 'tap';
import { IPPTOOL, requireIpptool } from '../support/ipptool.js';
import { cleanEnv, serverMain, startServer, type RunningServer } from '../support/server.js';
import { generateKey, selfSignedCertificate } from '../../src/security/certificate.js';
import { CURL, OPENSSL, requireTool, run } from '../security/tools.js';

/** A Get-Printer-Attributes test that prints the security attributes and the URIs that depend on the connection. */
const GPA_TEST = `{
  NAME "Get-Printer-Attributes"
  OPERATION Get-Printer-Attributes
  GROUP operation-attributes-tag
  ATTR charset attributes-charset utf-8
  ATTR naturalLanguage attributes-natural-language en
  ATTR uri printer-uri $uri
  ATTR keyword requested-attributes printer-uri-supported,uri-security-supported,uri-authentication-supported,printer-more-info
  STATUS successful-ok
  EXPECT printer-uri-supported SAME-COUNT-AS uri-security-supported
  EXPECT uri-authentication-supported SAME-COUNT-AS uri-security-supported
  DISPLAY printer-uri-supported
  DISPLAY uri-security-supported
  DISPLAY printer-more-info
}
`;

async function gpa(t: Test, uri: string, extra: string[] = []): Promise<{ code: number | null; out: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'ipptool-gpa-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'gpa.test');
  await writeFile(file, GPA_TEST);
  // No -T: see ipps-everywhere.test.ts (CUPS 2.4 with a timeout and TLS 1.3 session tickets).
  const res = await run(IPPTOOL, [...extra, '-t', uri, file], { timeoutMs: 60_000 });
  return { code: res.code, out: res.stdout + res.stderr };
}

async function server(t: Test, args: string[] = [], stateDir?: string): Promise<RunningServer> {
  const s = await startServer({ args, ...(stateDir === undefined ? {} : { stateDir }) });
  t.teardown(() => s.stop());
  return s;
}

/** SHA-256 fingerprint of the certificate the server presents. */
async function servedFingerprint(port: number): Promise<string> {
  const socket = tlsConnect({ host: '127.0.0.1', port, rejectUnauthorized: false, servername: 'localhost' });
  await once(socket, 'secureConnect');
  const fp = socket.getPeerCertificate().fingerprint256;
  socket.destroy();
  return fp;
}

/** curl's response headers (-D -) for one request. */
async function curlHead(args: string[]): Promise<string> {
  return (await run(CURL, ['-s', '-o', '/dev/null', '-D', '-', '--max-time', '10', ...args])).stdout;
}

t.test('open: ipps and ipp on one port, https pages, RFC 2817 upgrade, TLS 1.2/1.3 only', async (t) => {
  const s = await server(t);
  const ipps = s.uri.replace(/^ipp:/, 'ipps:');
  if (requireTool(t, CURL, 'curl')) {
    t.match(await curlHead(['-k', `https://127.0.0.1:${s.port}/`]), /^HTTP\/1\.1 200 /, 'https page');
    t.match(await curlHead([`http://127.0.0.1:${s.port}/`]), /^HTTP\/1\.1 200 /, 'http page');
    const up = await run(CURL, ['-s', '-i', '--max-time', '2', '-X', 'OPTIONS', '--request-target', '*',
      '-H', 'Connection: Upgrade', '-H', 'Upgrade: TLS/1.2', `http://127.0.0.1:${s.port}`]);
    t.match(up.stdout, /^HTTP\/1\.1 101 Switching Protocols\r\n/, '101 to OPTIONS * with Upgrade');
    t.match(up.stdout, /\r\nUpgrade: TLS\/1\.2, HTTP\/1\.1\r\n/i);
    t.match(up.stdout, /\r\nConnection: Upgrade\r\n/i);
  }
  if (requireTool(t, OPENSSL, 'openssl')) {
    for (const v of ['tls1', 'tls1_1']) {
      const res = await run(OPENSSL, ['s_client', '-connect', `127.0.0.1:${s.port}`, `-${v}`, '-cipher', 'DEFAULT@SECLEVEL=0'], { timeoutMs: 10_000 });
      t.match(res.stderr + res.stdout, /alert protocol version|no protocols available|unsupported protocol/i, `${v} refused`);
      t.match(res.stdout, /Cipher is \(NONE\)/, `${v} not negotiated`);
    }
    for (const [v, name] of [['tls1_2', 'TLSv1.2'], ['tls1_3', 'TLSv1.3']] as const) {
      const res = await run(OPENSSL, ['s_client', '-connect', `127.0.0.1:${s.port}`, `-${v}`], { timeoutMs: 10_000 });
      t.match(res.stdout, new RegExp(`(Protocol\\s*:\\s*|New, )${name.replace('.', '\\.')}`), `${v} accepted`);
    }
  }
  if (requireIpptool(t)) {
    const secure = await gpa(t, ipps, ['-v']);
    t.equal(secure.code, 0, 'ipptool passes', { output: secure.out });
    t.match(secure.out, /printer-uri-supported \(1setOf uri\) = ipps:\/\/[^,]+\/ipp\/print,ipp:\/\/[^,]+\/ipp\/print/);
    t.match(secure.out, /uri-security-supported \(1setOf keyword\) = tls,none/);
    t.match(secure.out, /printer-more-info \(uri\) = https:\/\//, 'ipps reports https pages');
    const upgraded = await gpa(t, s.uri, ['-v', '-E']);
    t.equal(upgraded.code, 0, 'ipptool passes', { output: upgraded.out });
    t.match(upgraded.out, /printer-more-info \(uri\) = https:\/\//, 'ipptool -E ran the request over the upgraded connection');
    const plain = await gpa(t, s.uri, ['-v']);
    t.equal(plain.code, 0, 'ipptool passes', { output: plain.out });
    t.match(plain.out, /printer-more-info \(uri\) = http:\/\//, 'plain ipp stays plain');
  }
});

t.test('tls-required: plaintext IPP gets 426 with Upgrade, pages redirect, ipptool upgrades by itself', async (t) => {
  const s = await server(t, ['--security', 'tls-required']);
  if (requireTool(t, CURL, 'curl')) {
    const refused = await curlHead(['-X', 'POST', '-H', 'Content-Type: application/ipp', '--data-binary', 'x', `http://127.0.0.1:${s.port}/ipp/print`]);
    t.match(refused, /^HTTP\/1\.1 426 /);
    t.match(refused, /\r\nUpgrade: TLS\/1\.3, TLS\/1\.2\r\n/i);
    t.match(refused, /\r\nConnection: Upgrade\r\n/i);
    const page = await curlHead([`http://127.0.0.1:${s.port}/supplies`]);
    t.match(page, /^HTTP\/1\.1 301 /);
    t.match(page, new RegExp(`\\r\\nLocation: https://127\\.0\\.0\\.1:${s.port}/supplies\\r\\n`, 'i'));
    t.match(await curlHead(['-k', `https://127.0.0.1:${s.port}/supplies`]), /^HTTP\/1\.1 200 /);
  }
  if (requireIpptool(t)) {
    const viaUpgrade = await gpa(t, s.uri, ['-v']);
    t.equal(viaUpgrade.code, 0, 'ipptool passes', { output: viaUpgrade.out });
    t.match(viaUpgrade.out, /printer-more-info \(uri\) = https:\/\//, 'CUPS answered 426 with an upgrade');
    t.match(viaUpgrade.out, /uri-security-supported \(1setOf keyword\) = tls,none/);
  }
});

t.test('tls-only: only the ipps URI is advertised and plaintext IPP is refused', async (t) => {
  const s = await server(t, ['--security', 'tls-only']);
  if (requireTool(t, CURL, 'curl')) {
    const refused = await curlHead(['-X', 'POST', '-H', 'Content-Type: application/ipp', '--data-binary', 'x', `http://127.0.0.1:${s.port}/ipp/print`]);
    t.match(refused, /^HTTP\/1\.1 426 /);
  }
  if (requireIpptool(t)) {
    const secure = await gpa(t, s.uri.replace(/^ipp:/, 'ipps:'), ['-v']);
    t.equal(secure.code, 0, 'ipptool passes', { output: secure.out });
    t.match(secure.out, /printer-uri-supported \(uri\) = ipps:\/\/\S+\/ipp\/print\n/);
    t.match(secure.out, /uri-security-supported \(keyword\) = tls\n/);
  }
});

t.test('the key is mode 0600 and the certificate survives a restart', async (t) => {
  const stateDir = await mkdtemp(join(tmpdir(), 'ippbridge-tls-'));
  t.teardown(() => rm(stateDir, { recursive: true, force: true }));
  const first = await startServer({ stateDir });
  const before = await servedFingerprint(first.port);
  await first.stop();
  t.equal((await stat(join(stateDir, 'tls', 'key.pem'))).mode & 0o777, 0o600);
  const second = await server(t, [], stateDir);
  t.equal(await servedFingerprint(second.port), before);
});

t.test('cert install from the CLI refuses a foreign certificate and reaches a running server without a restart', async (t) => {
  const s = await server(t);
  const before = await servedFingerprint(s.port);
  const work = await mkdtemp(join(tmpdir(), 'ippbridge-install-'));
  t.teardown(() => rm(work, { recursive: true, force: true }));
  const key = generateKey();
  await writeFile(join(work, 'cert.pem'), selfSignedCertificate(key, { commonName: 'localhost', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] }));
  await writeFile(join(work, 'key.pem'), key.export({ type: 'pkcs8', format: 'pem' }).toString(), { mode: 0o600 });
  const cli = (args: string[]) => run(process.execPath, [serverMain(), 'cert', ...args, '--state-dir', s.stateDir], { env: cleanEnv() });
  const refused = await cli(['install', join(work, 'cert.pem')]);
  t.equal(refused.code, 2, 'a certificate for another key is refused');
  t.match(refused.stderr, /does not match the key/);
  t.equal(await servedFingerprint(s.port), before, 'nothing changed');
  const installed = await cli(['install', join(work, 'cert.pem'), '--key', join(work, 'key.pem')]);
  t.equal(installed.code, 0, installed.stderr);
  let after = before;
  for (let i = 0; i < 50 && after === before; i++) {
    await delay(100);
    after = await servedFingerprint(s.port);
  }
  t.not(after, before, 'the running server serves the new certificate');
  t.match((await cli(['show'])).stdout, new RegExp(`sha256 fingerprint: ${after}`));
  t.ok(s.proc.exitCode === null, 'no restart');
});

