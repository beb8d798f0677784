// The printer's key and certificates in the state dir (tls/): created at first start, kept across restarts,
// an installed CA-signed certificate preferred while it is valid, the self-signed one as fallback (security.md §7).
// SPDX-License-Identifier: Apache-2.0
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { chmod, mkdir, readFile, stat } from 'node:fs/promises';
import { hostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { ConfigError } from '../errors.js';
import { writeFileAtomic } from '../state-dir.js';
import { generateKey, selfSignedCertificate, type CertificateSubject } from './certificate.js';
import { isDnsName } from './x509-fields.js';

/** Folder under the state dir, and the files in it. */
export const TLS_DIR = 'tls';
export const KEY_FILE = 'key.pem';
export const SELF_SIGNED_FILE = 'self-signed.pem';
export const CERT_FILE = 'cert.pem';
/** A self-signed certificate closer than this to its end is renewed (same key). */
const RENEW_BEFORE_MS = 30 * 24 * 3600 * 1000;

/** The key and certificate chain the TLS listener uses. */
export interface TlsMaterial {
  readonly key: KeyObject;
  readonly keyPem: string;
  /** leaf first, then any intermediates */
  readonly certPem: string;
  readonly leaf: X509Certificate;
  readonly source: 'installed' | 'self-signed';
}

/** Paths of the tls/ files in `stateDir`. */
export function tlsPaths(stateDir: string): { dir: string; key: string; selfSigned: string; cert: string } {
  const dir = join(stateDir, TLS_DIR);
  return { dir, key: join(dir, KEY_FILE), selfSigned: join(dir, SELF_SIGNED_FILE), cert: join(dir, CERT_FILE) };
}

/** Names and addresses of this host: bare name, name.local, the FQDN, localhost, and non-link-local addresses. */
export function hostSubject(host = hostname(), interfaces = networkInterfaces()): CertificateSubject {
  const bare = host.split('.')[0] ?? '';
  const dnsNames = [...new Set([bare, `${bare}.local`, host, 'localhost'])].filter((n) => n !== '' && isDnsName(n));
  const ips = new Set(['127.0.0.1', '::1']);
  for (const list of Object.values(interfaces)) {
    for (const info of list ?? []) {
      if (!info.internal && !/^fe80:/i.test(info.address)) ips.add(info.address);
    }
  }
  return { commonName: isDnsName(`${bare}.local`) ? `${bare}.local` : 'localhost', dnsNames, ipAddresses: [...ips] };
}

/** Every PEM CERTIFICATE block in `text`. */
export function pemCertificates(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** The private key, created (mode 0600) when missing; a key file readable by others is tightened to 0600. */
export async function ensureKey(stateDir: string, log?: Logger): Promise<{ key: KeyObject; keyPem: string }> {
  const paths = tlsPaths(stateDir);
  await mkdir(paths.dir, { recursive: true, mode: 0o700 });
  const existing = await readOptional(paths.key);
  if (existing !== undefined) {
    const mode = (await stat(paths.key)).mode & 0o777;
    if (mode !== 0o600) {
      log?.warn({ file: paths.key, mode: mode.toString(8) }, 'TLS key file was not mode 0600: fixed');
      await chmod(paths.key, 0o600);
    }
    try {
      return { key: createPrivateKey(existing), keyPem: existing };
    } catch (err) {
      // Never replace a key silently: clients may have pinned it.
      throw new ConfigError(`${paths.key} is not a readable unencrypted private key`, { file: paths.key, cause: err });
    }
  }
  const key = generateKey();
  const keyPem = key.export({ type: 'pkcs8', format: 'pem' }).toString();
  await writeFileAtomic(paths.key, keyPem);
  log?.info({ file: paths.key }, 'TLS key created');
  return { key, keyPem };
}

/** Why a certificate cannot serve `key` at `now`, or undefined when it can. */
export function certificateProblem(leaf: X509Certificate, key: KeyObject, now: Date): string | undefined {
  if (!leaf.checkPrivateKey(key)) return 'it does not match the key';
  if (new Date(leaf.validTo).getTime() <= now.getTime()) return `it expired on ${leaf.validTo}`;
  if (new Date(leaf.validFrom).getTime() > now.getTime() + 24 * 3600 * 1000) return `it is valid only from ${leaf.validFrom}`;
  return undefined;
}

function dnsNamesOf(leaf: X509Certificate): string[] {
  return (leaf.subjectAltName ?? '')
    .split(', ')
    .filter((e) => e.startsWith('DNS:'))
    .map((e) => e.slice(4).toLowerCase());
}

/** The self-signed certificate, (re)made with the same key when missing, foreign, near its end or for another host. */
async function ensureSelfSigned(stateDir: string, key: KeyObject, subject: CertificateSubject, now: Date, log?: Logger): Promise<string> {
  const file = tlsPaths(stateDir).selfSigned;
  const text = await readOptional(file);
  let reason = 'missing';
  if (text !== undefined) {
    try {
      const leaf = new X509Certificate(text);
      const names = dnsNamesOf(leaf);
      const problem = certificateProblem(leaf, key, new Date(now.getTime() + RENEW_BEFORE_MS));
      if (problem === undefined && subject.dnsNames.every((n) => names.includes(n.toLowerCase()))) return text;
      reason = problem ?? 'host name changed';
    } catch {
      reason = 'unreadable';
    }
  }
  const pem = selfSignedCertificate(key, subject, now);
  await writeFileAtomic(file, pem);
  log?.info({ file, reason }, 'self-signed TLS certificate created');
  return pem;
}

/** Load (creating what is missing) the key and the certificate to serve. */
export async function loadTlsMaterial(
  stateDir: string,
  opts: { subject?: CertificateSubject; now?: Date; log?: Logger } = {},
): Promise<TlsMaterial> {
  const now = opts.now ?? new Date();
  const { key, keyPem } = await ensureKey(stateDir, opts.log);
  const installed = await readOptional(tlsPaths(stateDir).cert);
  if (installed !== undefined) {
    const chain = pemCertificates(installed);
    try {
      const leaf = new X509Certificate(chain[0] ?? '');
      const problem = certificateProblem(leaf, key, now);
      if (problem === undefined) return { key, keyPem, certPem: chain.join('\n'), leaf, source: 'installed' };
      opts.log?.warn({ problem }, 'installed TLS certificate unusable: using the self-signed one');
    } catch (err) {
      opts.log?.warn({ err }, 'installed TLS certificate unreadable: using the self-signed one');
    }
  }
  const certPem = await ensureSelfSigned(stateDir, key, opts.subject ?? hostSubject(), now, opts.log);
  return { key, keyPem, certPem, leaf: new X509Certificate(certPem), source: 'self-signed' };
}

/**
 * Install a CA-signed certificate (leaf first, chain after it) for the current key or for `keyPem`, which then
 * replaces the key. Refuses a certificate that does not match the key or is not valid now.
 */
export async function installCertificate(stateDir: string, certText: string, keyPem?: string, now = new Date()): Promise<X509Certificate> {
  const chain = pemCertificates(certText);
  if (chain.length === 0) throw new ConfigError('no PEM CERTIFICATE block found');
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(chain[0] ?? '');
  } catch (err) {
    throw new ConfigError('the certificate cannot be parsed', { cause: err });
  }
  let key: KeyObject;
  if (keyPem !== undefined) {
    try {
      key = createPrivateKey(keyPem);
    } catch (err) {
      throw new ConfigError('the key cannot be read (it must be an unencrypted PEM private key)', { cause: err });
    }
  } else {
    const current = await readOptional(tlsPaths(stateDir).key);
    if (current === undefined) throw new ConfigError('there is no key yet: run `ippbridge cert csr` first or pass --key');
    key = createPrivateKey(current);
  }
  const problem = certificateProblem(leaf, key, now);
  if (problem !== undefined) throw new ConfigError(`certificate refused: ${problem}`);
  const paths = tlsPaths(stateDir);
  await mkdir(paths.dir, { recursive: true, mode: 0o700 });
  if (keyPem !== undefined) await writeFileAtomic(paths.key, key.export({ type: 'pkcs8', format: 'pem' }).toString());
  await writeFileAtomic(paths.cert, `${chain.join('\n')}\n`);
  return leaf;
}
