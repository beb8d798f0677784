// Turns the HTTP server into the ipp/ipps listener: loads (or creates) the certificate, serves TLS and plaintext
// on the one port, and reports what the policy offers for the printer attributes and DNS-SD.
// SPDX-License-Identifier: Apache-2.0
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { serveSamePort, type SamePort } from './same-port.js';
import { TlsContext } from './tls-context.js';
import type { CertificateSubject } from './certificate.js';
import type { SecurityMode } from './policy.js';

/** Time for the first byte of a connection and for its TLS handshake. */
export const HANDSHAKE_TIMEOUT_MS = 20_000;

/** TLS on a running HTTP server. */
export interface SecureServing {
  readonly mode: SecurityMode;
  readonly tls: TlsContext;
  /** Stop watching the certificate files and drop connections still shaking hands (call before server.close). */
  close(): void;
}

/** Options for enableTls. */
export interface EnableTlsOptions {
  readonly stateDir: string;
  readonly mode: SecurityMode;
  readonly log: Logger;
  readonly subject?: CertificateSubject;
}

/** Make `server` (not yet listening) serve ipps/https beside ipp/http on its port. */
export async function enableTls(server: Server, opts: EnableTlsOptions): Promise<SecureServing> {
  const tls = await TlsContext.open(opts.stateDir, { log: opts.log, ...(opts.subject ? { subject: opts.subject } : {}) });
  const samePort: SamePort = serveSamePort(server, {
    secureContext: () => tls.secureContext,
    log: opts.log,
    handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS,
  });
  return {
    mode: opts.mode,
    tls,
    close: () => {
      tls.close();
      samePort.destroyPending();
    },
  };
}
