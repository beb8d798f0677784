// `ippbridge cert csr|install|show`: certificate management from the command line (security.md §7).
// SPDX-License-Identifier: Apache-2.0
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseCommandArgs, usageError } from '../cli-args.js';
import { ConfigError } from '../errors.js';
import { certificateRequest } from './csr.js';
import { ensureKey, hostSubject, installCertificate, loadTlsMaterial, tlsPaths } from './tls-files.js';
import { isDnsName } from './x509-fields.js';
import type { X509Certificate } from 'node:crypto';

export const CERT_USAGE = `Usage: ippbridge cert csr [--cn NAME] [--state-dir DIR]
       ippbridge cert install FILE [--key FILE] [--state-dir DIR]
       ippbridge cert show [--state-dir DIR]

csr      print a PKCS#10 request (PEM) for the printer's key, with its host names and addresses; --cn sets the
         common name (also added as a DNS name)
install  install a CA-signed certificate (PEM, leaf first, then the chain) for the printer's key, or for the
         key in --key FILE, which then replaces it; a running printer picks it up without a restart
show     print the certificate being served: source, subject, names, validity, SHA-256 fingerprint
--state-dir defaults to ./var, as for serve.
`;

/** A parsed `cert` command line. */
export type CertCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'csr'; readonly stateDir: string; readonly commonName: string | undefined }
  | { readonly kind: 'install'; readonly stateDir: string; readonly file: string; readonly keyFile: string | undefined }
  | { readonly kind: 'show'; readonly stateDir: string };

/** Parse the arguments after `cert`; throws ConfigError (ERR_USAGE). */
export function parseCertCommand(argv: readonly string[]): CertCommand {
  const parsed = parseCommandArgs(argv, { 'state-dir': { type: 'string' }, cn: { type: 'string' }, key: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  const stateDir = resolve(values['state-dir'] ?? './var');
  const [action, ...rest] = positionals;
  if (action !== 'install' && values.key !== undefined) throw usageError('--key belongs to cert install');
  if (action !== 'csr' && values.cn !== undefined) throw usageError('--cn belongs to cert csr');
  switch (action) {
    case 'csr':
      if (rest.length > 0) throw usageError('cert csr takes no file');
      if (values.cn !== undefined && (values.cn === '' || values.cn.length > 64)) throw usageError('--cn must have 1-64 characters');
      return { kind: 'csr', stateDir, commonName: values.cn };
    case 'install':
      if (rest.length !== 1 || rest[0] === undefined) throw usageError('cert install needs exactly one certificate FILE');
      return { kind: 'install', stateDir, file: rest[0], keyFile: values.key };
    case 'show':
      if (rest.length > 0) throw usageError('cert show takes no file');
      return { kind: 'show', stateDir };
    default:
      throw usageError(`unknown cert command '${positionals.join(' ')}' (use csr, install or show)`);
  }
}

/** Human-readable lines about a certificate. */
export function describeCertificate(leaf: X509Certificate, source: string): string {
  return [
    `source: ${source}`,
    `subject: ${leaf.subject.replace(/\n/g, ', ')}`,
    `issuer: ${leaf.issuer.replace(/\n/g, ', ')}`,
    `names: ${leaf.subjectAltName ?? '(none)'}`,
    `valid from: ${leaf.validFrom}`,
    `valid to: ${leaf.validTo}`,
    `sha256 fingerprint: ${leaf.fingerprint256}`,
    '',
  ].join('\n');
}

/** Run a `cert` command; returns the exit code (2 for usage and refused input). */
export async function runCertCommand(argv: readonly string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  try {
    const command = parseCertCommand(argv);
    switch (command.kind) {
      case 'help':
        out.write(CERT_USAGE);
        return 0;
      case 'csr': {
        const { key } = await ensureKey(command.stateDir);
        const host = hostSubject();
        const cn = command.commonName ?? host.commonName;
        const dnsNames = [...new Set([...(isDnsName(cn) ? [cn] : []), ...host.dnsNames])];
        out.write(certificateRequest(key, { commonName: cn, dnsNames, ipAddresses: host.ipAddresses }));
        return 0;
      }
      case 'install': {
        const certText = await readFile(command.file, 'utf8');
        const keyPem = command.keyFile === undefined ? undefined : await readFile(command.keyFile, 'utf8');
        const leaf = await installCertificate(command.stateDir, certText, keyPem);
        out.write(`installed ${tlsPaths(command.stateDir).cert}\n${describeCertificate(leaf, 'installed')}`);
        return 0;
      }
      case 'show': {
        if (!existsSync(tlsPaths(command.stateDir).key)) {
          err.write(`ippbridge: no TLS key in ${tlsPaths(command.stateDir).dir} yet (made at first start or by cert csr)\n`);
          return 1;
        }
        const material = await loadTlsMaterial(command.stateDir);
        out.write(describeCertificate(material.leaf, material.source));
        return 0;
      }
      default: {
        const never: never = command;
        return never;
      }
    }
  } catch (e) {
    err.write(`ippbridge: ${(e as Error).message}\n`);
    return e instanceof ConfigError || (e as NodeJS.ErrnoException).code === 'ENOENT' ? 2 : 1;
  }
}
