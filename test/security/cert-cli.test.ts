// Tests for `ippbridge cert` argument parsing and its in-process runs (csr, install, show).
// SPDX-License-Identifier: Apache-2.0
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import t from 'tap';
import { parseCertCommand, runCertCommand } from '../../src/security/cert-cli.js';
import { generateKey, selfSignedCertificate } from '../../src/security/certificate.js';
import { OPENSSL, requireTool, run } from './tools.js';

async function runCert(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (c: Buffer) => (o += c.toString('utf8')));
  err.on('data', (c: Buffer) => (e += c.toString('utf8')));
  const code = await runCertCommand(argv, out, err);
  return { code, out: o, err: e };
}

t.test('the three actions parse with their options; misplaced options and extra files are usage errors', async (t) => {
  t.same(parseCertCommand(['csr', '--cn', 'printer.example.com', '--state-dir', '/x']), { kind: 'csr', stateDir: '/x', commonName: 'printer.example.com' });
  t.same(parseCertCommand(['install', 'c.pem', '--key', 'k.pem']), { kind: 'install', stateDir: resolve('./var'), file: 'c.pem', keyFile: 'k.pem' });
  t.same(parseCertCommand(['show']), { kind: 'show', stateDir: resolve('./var') });
  t.same(parseCertCommand(['--help']), { kind: 'help' });
  for (const bad of [['install'], ['csr', 'x'], ['show', '--key', 'k'], ['install', 'a', '--cn', 'x'], ['rotate'], [], ['csr', '--bogus']]) {
    t.throws(() => parseCertCommand(bad), { code: 'ERR_USAGE' }, bad.join(' '));
  }
});

t.test('csr prints a request for the state dir key with the --cn name, which openssl verifies', async (t) => {
  if (!requireTool(t, OPENSSL, 'openssl')) return;
  const dir = await mkdtemp(join(tmpdir(), 'cert-cli-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const res = await runCert(['csr', '--state-dir', dir, '--cn', 'printer.example.com']);
  t.equal(res.code, 0, res.err);
  const verify = await run(OPENSSL, ['req', '-verify', '-noout', '-text'], { input: res.out });
  t.equal(verify.code, 0, verify.stderr);
  t.match(verify.stdout, /CN\s*=\s*printer\.example\.com/);
  t.match(verify.stdout, /DNS:printer\.example\.com/);
});

t.test('install refuses a mismatched certificate with exit code 2 and show still reports the self-signed one', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'cert-cli-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  t.equal((await runCert(['show', '--state-dir', dir])).code, 1, 'nothing to show before the first start');
  t.equal((await runCert(['csr', '--state-dir', dir])).code, 0);
  const file = join(dir, 'foreign.pem');
  await writeFile(file, selfSignedCertificate(generateKey(), { commonName: 'x', dnsNames: ['x'], ipAddresses: [] }));
  const res = await runCert(['install', file, '--state-dir', dir]);
  t.equal(res.code, 2);
  t.match(res.err, /does not match the key/);
  const show = await runCert(['show', '--state-dir', dir]);
  t.equal(show.code, 0);
  t.match(show.out, /^source: self-signed$/m);
  t.match(show.out, /^sha256 fingerprint: [0-9A-F:]{95}$/m);
  t.equal((await runCert(['install', join(dir, 'missing.pem'), '--state-dir', dir])).code, 2, 'a missing file is a usage error');
});
