// Tests for the key and certificate files in the state dir: creation, mode, stability, install, fallback.
// SPDX-License-Identifier: Apache-2.0
import { X509Certificate } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { generateKey, selfSignedCertificate } from '../../src/security/certificate.js';
import { certificateRequest } from '../../src/security/csr.js';
import { ensureKey, hostSubject, installCertificate, loadTlsMaterial, tlsPaths } from '../../src/security/tls-files.js';
import { ConfigError } from '../../src/errors.js';
import { OPENSSL, requireTool, run } from './tools.js';

const subject = { commonName: 'printer.local', dnsNames: ['printer', 'printer.local'], ipAddresses: ['127.0.0.1'] };

async function stateDir(t: Test): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tls-files-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

t.test('the first load creates a 0600 key and a self-signed certificate; the next load reuses both', async (t) => {
  const dir = await stateDir(t);
  const first = await loadTlsMaterial(dir, { subject });
  t.equal(first.source, 'self-signed');
  t.equal((await stat(tlsPaths(dir).key)).mode & 0o777, 0o600);
  t.equal((await stat(tlsPaths(dir).dir)).mode & 0o777, 0o700);
  const second = await loadTlsMaterial(dir, { subject });
  t.equal(second.keyPem, first.keyPem);
  t.equal(second.leaf.fingerprint256, first.leaf.fingerprint256);
});

t.test('a key file readable by others is tightened to 0600', async (t) => {
  const dir = await stateDir(t);
  await ensureKey(dir);
  await chmod(tlsPaths(dir).key, 0o644);
  await ensureKey(dir);
  t.equal((await stat(tlsPaths(dir).key)).mode & 0o777, 0o600);
});

t.test('a new host name renews the self-signed certificate with the same key', async (t) => {
  const dir = await stateDir(t);
  const first = await loadTlsMaterial(dir, { subject });
  const renamed = await loadTlsMaterial(dir, { subject: { ...subject, dnsNames: ['lobby', 'lobby.local'] } });
  t.not(renamed.leaf.fingerprint256, first.leaf.fingerprint256);
  t.equal(renamed.keyPem, first.keyPem);
  t.match(renamed.leaf.subjectAltName ?? '', /DNS:lobby\.local/);
});

t.test('a self-signed certificate near its end is renewed', async (t) => {
  const dir = await stateDir(t);
  const first = await loadTlsMaterial(dir, { subject, now: new Date('2030-01-01T00:00:00Z') });
  const later = await loadTlsMaterial(dir, { subject, now: new Date(new Date(first.leaf.validTo).getTime() - 86400_000) });
  t.not(later.leaf.fingerprint256, first.leaf.fingerprint256);
});

t.test('an unreadable key is an error, never silently replaced', async (t) => {
  const dir = await stateDir(t);
  await ensureKey(dir);
  await writeFile(tlsPaths(dir).key, 'garbage', { mode: 0o600 });
  await t.rejects(loadTlsMaterial(dir, { subject }), ConfigError);
  t.equal(await readFile(tlsPaths(dir).key, 'utf8'), 'garbage');
});

t.test('a certificate for another key is refused and nothing is installed', async (t) => {
  const dir = await stateDir(t);
  await ensureKey(dir);
  const foreign = selfSignedCertificate(generateKey(), subject);
  await t.rejects(installCertificate(dir, foreign), { message: /does not match the key/ });
  t.equal((await loadTlsMaterial(dir, { subject })).source, 'self-signed');
});

t.test('an expired certificate and a file without certificates are refused', async (t) => {
  const dir = await stateDir(t);
  const { key } = await ensureKey(dir);
  const old = selfSignedCertificate(key, subject, new Date('2020-01-01T00:00:00Z'), 30);
  await t.rejects(installCertificate(dir, old), { message: /expired/ });
  await t.rejects(installCertificate(dir, 'hello'), ConfigError);
});

t.test('a certificate with its own key replaces the key and is served', async (t) => {
  const dir = await stateDir(t);
  await ensureKey(dir);
  const key = generateKey();
  const pem = selfSignedCertificate(key, subject);
  await installCertificate(dir, pem, key.export({ type: 'pkcs8', format: 'pem' }).toString());
  const served = await loadTlsMaterial(dir, { subject });
  t.equal(served.source, 'installed');
  t.equal(served.leaf.fingerprint256, new X509Certificate(pem).fingerprint256);
  t.equal((await stat(tlsPaths(dir).key)).mode & 0o777, 0o600);
});

t.test('a CA-signed certificate for our CSR installs with its chain, and an expired one falls back', async (t) => {
  if (!requireTool(t, OPENSSL, 'openssl')) return;
  const dir = await stateDir(t);
  const { key } = await ensureKey(dir);
  const work = await stateDir(t);
  const csr = join(work, 'req.pem');
  await writeFile(csr, certificateRequest(key, subject));
  const ca = await run(OPENSSL, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '5',
    '-subj', '/CN=Test CA', '-keyout', join(work, 'ca.key'), '-out', join(work, 'ca.pem')]);
  t.equal(ca.code, 0, ca.stderr);
  const signed = await run(OPENSSL, ['x509', '-req', '-in', csr, '-CA', join(work, 'ca.pem'), '-CAkey', join(work, 'ca.key'),
    '-CAcreateserial', '-days', '3', '-copy_extensions', 'copy', '-out', join(work, 'leaf.pem')]);
  t.equal(signed.code, 0, signed.stderr);
  const chain = (await readFile(join(work, 'leaf.pem'), 'utf8')) + (await readFile(join(work, 'ca.pem'), 'utf8'));
  const leaf = await installCertificate(dir, chain);
  t.equal(leaf.issuer, 'CN=Test CA');
  const served = await loadTlsMaterial(dir, { subject });
  t.equal(served.source, 'installed');
  t.equal(served.certPem.match(/BEGIN CERTIFICATE/g)?.length, 2, 'the chain is served too');
  t.match(served.leaf.subjectAltName ?? '', /DNS:printer\.local/, 'the CA copied the requested names');
  const later = await loadTlsMaterial(dir, { subject, now: new Date(Date.now() + 10 * 86400_000) });
  t.equal(later.source, 'self-signed', 'an expired installed certificate falls back to the self-signed one');
});

t.test('the host subject has the bare name, .local, localhost and loopback addresses, never link-local', async (t) => {
  const s = hostSubject('board.example.com', {
    eth0: [
      { address: '192.0.2.9', family: 'IPv4', internal: false, netmask: '255.255.255.0', mac: '00:00:00:00:00:00', cidr: null },
      { address: 'fe80::1', family: 'IPv6', internal: false, netmask: 'ffff::', mac: '00:00:00:00:00:00', cidr: null, scopeid: 2 },
    ],
  });
  t.same(s.dnsNames, ['board', 'board.local', 'board.example.com', 'localhost']);
  t.same(s.ipAddresses, ['127.0.0.1', '::1', '192.0.2.9']);
  t.equal(s.commonName, 'board.local');
});
