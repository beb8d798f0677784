// Tests for the self-signed certificate and CSR builders: node:crypto parses them, openssl verifies them.
// SPDX-License-Identifier: Apache-2.0
import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { generateKey, selfSignedCertificate } from '../../src/security/certificate.js';
import { certificateRequest } from '../../src/security/csr.js';
import { ipBytes, isDnsName } from '../../src/security/x509-fields.js';
import { ConfigError } from '../../src/errors.js';
import { OPENSSL, requireTool, run } from './tools.js';

const subject = { commonName: 'printer.local', dnsNames: ['printer', 'printer.local', 'localhost'], ipAddresses: ['127.0.0.1', '::1', '192.0.2.7'] };

t.test('a self-signed certificate carries the names, matches its key and verifies with its own key', async (t) => {
  const key = generateKey();
  const now = new Date('2030-06-01T00:00:00Z');
  const cert = new X509Certificate(selfSignedCertificate(key, subject, now, 825));
  t.equal(cert.subjectAltName, 'DNS:printer, DNS:printer.local, DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, IP Address:192.0.2.7');
  t.equal(cert.subject, 'CN=printer.local');
  t.equal(cert.issuer, cert.subject);
  t.ok(cert.checkPrivateKey(key), 'matches the key');
  t.ok(cert.verify(cert.publicKey), 'self-signature verifies');
  t.equal(new Date(cert.validTo).getTime(), now.getTime() + 825 * 86400_000);
  t.ok(new Date(cert.validFrom).getTime() < now.getTime(), 'backdated against slow clocks');
  t.equal(cert.ca, false);
  t.ok(cert.checkIP('192.0.2.7'));
  t.ok(cert.checkHost('printer.local'));
  t.notOk(cert.checkHost('other.local'));
  t.notOk(cert.checkPrivateKey(generateKey()), 'another key does not match');
});

t.test('two certificates get different serial numbers', async (t) => {
  const key = generateKey();
  const a = new X509Certificate(selfSignedCertificate(key, subject));
  const b = new X509Certificate(selfSignedCertificate(key, subject));
  t.not(a.serialNumber, b.serialNumber);
});

t.test('RSA and Ed25519 keys can sign too', async (t) => {
  for (const type of ['rsa', 'ed25519'] as const) {
    const key = type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey : generateKeyPairSync('ed25519').privateKey;
    const cert = new X509Certificate(selfSignedCertificate(key, subject));
    t.ok(cert.verify(cert.publicKey), `${type} self-signature verifies`);
  }
});

t.test('bad names and empty name lists are refused', async (t) => {
  const key = generateKey();
  t.throws(() => selfSignedCertificate(key, { ...subject, dnsNames: ['bad name'] }), ConfigError);
  t.throws(() => selfSignedCertificate(key, { commonName: 'x', dnsNames: [], ipAddresses: [] }), ConfigError);
  t.throws(() => selfSignedCertificate(key, { ...subject, commonName: '' }), ConfigError);
  t.notOk(isDnsName('192.0.2.1'));
  t.ok(isDnsName('*.example.com'));
});

t.test('IPv6 literals become 16 bytes, with :: and an IPv4 tail expanded', async (t) => {
  t.equal(ipBytes('fe80::1:2').toString('hex'), 'fe800000000000000000000000010002');
  t.equal(ipBytes('::ffff:10.0.0.1').toString('hex'), '00000000000000000000ffff0a000001');
  t.equal(ipBytes('2001:db8:1:2:3:4:5:6').toString('hex'), '20010db8000100020003000400050006');
  t.throws(() => ipBytes('printer'), ConfigError);
});

t.test('openssl verifies the CSR signature and reads the requested names', async (t) => {
  if (!requireTool(t, OPENSSL, 'openssl')) return;
  const dir = await mkdtemp(join(tmpdir(), 'csr-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'req.pem');
  await writeFile(file, certificateRequest(generateKey(), subject));
  const res = await run(OPENSSL, ['req', '-in', file, '-verify', '-noout', '-text']);
  t.equal(res.code, 0, res.stderr);
  t.match(res.stderr + res.stdout, /verify OK/);
  t.match(res.stdout, /Subject: CN\s*=\s*printer\.local/);
  t.match(res.stdout, /DNS:printer, DNS:printer\.local, DNS:localhost, IP Address:127\.0\.0\.1/);
  t.match(res.stdout, /TLS Web Server Authentication/);
});

t.test('openssl accepts the self-signed certificate as its own trust anchor for the server purpose', async (t) => {
  if (!requireTool(t, OPENSSL, 'openssl')) return;
  const dir = await mkdtemp(join(tmpdir(), 'crt-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'cert.pem');
  await writeFile(file, selfSignedCertificate(generateKey(), subject));
  const res = await run(OPENSSL, ['verify', '-purpose', 'sslserver', '-CAfile', file, file]);
  t.equal(res.code, 0, res.stderr + res.stdout);
});
