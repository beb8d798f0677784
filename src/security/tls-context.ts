// The TLS secure context of the listener: TLS 1.2/1.3 with AEAD ciphers only, rebuilt without a restart when the
// files in tls/ change (fs.watch) or when reload() is called after an install.
// SPDX-License-Identifier: Apache-2.0
import { watch, type FSWatcher } from 'node:fs';
import { createSecureContext, type SecureContext } from 'node:tls';
import type { Logger } from 'pino';
import type { CertificateSubject } from './certificate.js';
import { loadTlsMaterial, tlsPaths, type TlsMaterial } from './tls-files.js';

/** Highest TLS version we speak; DNS-SD `TLS=` carries the lowest one clients can rely on. */
export const TLS_MIN_VERSION = 'TLSv1.2';
export const TLS_MAX_VERSION = 'TLSv1.3';

/** TLS 1.3 suites, then TLS 1.2 ECDHE suites with AEAD ciphers (forward secrecy, no CBC, no RSA key exchange). */
export const TLS_CIPHERS = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

/** Wait this long after the last change in tls/ before reloading (an install writes several files). */
const RELOAD_DEBOUNCE_MS = 200;

/** Build a secure context for the material. */
export function secureContextFor(material: TlsMaterial): SecureContext {
  return createSecureContext({
    key: material.keyPem,
    cert: material.certPem,
    minVersion: TLS_MIN_VERSION,
    maxVersion: TLS_MAX_VERSION,
    ciphers: TLS_CIPHERS,
    honorCipherOrder: true,
    ecdhCurve: 'X25519:P-256:P-384',
  });
}

/** Options for TlsContext.open. */
export interface TlsContextOptions {
  readonly log: Logger;
  /** names for the self-signed certificate; default: this host */
  readonly subject?: CertificateSubject;
  /** watch tls/ and reload on change (default true) */
  readonly watch?: boolean;
}

/** The current secure context and certificate, reloadable. */
export class TlsContext {
  readonly #stateDir: string;
  readonly #opts: TlsContextOptions;
  #material: TlsMaterial;
  #context: SecureContext;
  #watcher: FSWatcher | undefined;
  #timer: NodeJS.Timeout | undefined;
  #reloading: Promise<void> = Promise.resolve();

  private constructor(stateDir: string, opts: TlsContextOptions, material: TlsMaterial) {
    this.#stateDir = stateDir;
    this.#opts = opts;
    this.#material = material;
    this.#context = secureContextFor(material);
  }

  /** Load or create the key and certificate in `stateDir`/tls and start watching them. */
  static async open(stateDir: string, opts: TlsContextOptions): Promise<TlsContext> {
    const material = await loadTlsMaterial(stateDir, { log: opts.log, ...(opts.subject ? { subject: opts.subject } : {}) });
    const ctx = new TlsContext(stateDir, opts, material);
    if (opts.watch !== false) ctx.#startWatching();
    opts.log.info({ source: material.source, fingerprint256: material.leaf.fingerprint256, validTo: material.leaf.validTo }, 'TLS certificate loaded');
    return ctx;
  }

  /** The context new TLS connections use. */
  get secureContext(): SecureContext {
    return this.#context;
  }

  /** The key and certificate being served. */
  get material(): TlsMaterial {
    return this.#material;
  }

  /** Re-read tls/; on failure the previous context stays in use (logged at warn). */
  reload(): Promise<void> {
    this.#reloading = this.#reloading.then(async () => {
      try {
        const material = await loadTlsMaterial(this.#stateDir, { log: this.#opts.log, ...(this.#opts.subject ? { subject: this.#opts.subject } : {}) });
        const changed = material.certPem !== this.#material.certPem || material.keyPem !== this.#material.keyPem;
        this.#context = secureContextFor(material);
        this.#material = material;
        if (changed) this.#opts.log.info({ source: material.source, fingerprint256: material.leaf.fingerprint256 }, 'TLS certificate reloaded');
      } catch (err) {
        this.#opts.log.warn({ err }, 'TLS reload failed: keeping the current certificate');
      }
    });
    return this.#reloading;
  }

  /** Stop watching tls/. */
  close(): void {
    this.#watcher?.close();
    this.#watcher = undefined;
    if (this.#timer) clearTimeout(this.#timer);
  }

  #startWatching(): void {
    try {
      this.#watcher = watch(tlsPaths(this.#stateDir).dir, (_event, file) => {
        // Temporary files of atomic writes start with a dot.
        if (typeof file === 'string' && file.startsWith('.')) return;
        if (this.#timer) clearTimeout(this.#timer);
        this.#timer = setTimeout(() => void this.reload(), RELOAD_DEBOUNCE_MS);
        this.#timer.unref();
      });
      this.#watcher.on('error', (err) => this.#opts.log.warn({ err }, 'cannot watch the TLS folder'));
      this.#watcher.unref();
    } catch (err) {
      this.#opts.log.warn({ err }, 'cannot watch the TLS folder: reload needs a restart or reload()');
    }
  }
}
