// ipp/ipps (http/https) on one port (security.md §3): the first byte of a connection picks TLS (0x16, a handshake
// record, RFC 7472) or plain HTTP (an upper-case method letter); RFC 2817 §3 `OPTIONS *` upgrades a plain connection.
// SPDX-License-Identifier: Apache-2.0
import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import { TLSSocket, type SecureContext } from 'node:tls';
import type { Logger } from 'pino';
import { isEncrypted } from './policy.js';

/** TLS record type of a handshake (RFC 8446 §5.1): the first byte of every ClientHello. */
const TLS_HANDSHAKE_RECORD = 0x16;

/** Options for serveSamePort. */
export interface SamePortOptions {
  /** the context for new TLS connections, or undefined while TLS is off */
  readonly secureContext: () => SecureContext | undefined;
  readonly log: Logger;
  /** time allowed for the first byte and for the TLS handshake */
  readonly handshakeTimeoutMs: number;
}

/** Control over the connections still being classified or shaking hands (not yet seen by HTTP). */
export interface SamePort {
  /** Destroy every connection that has not reached the HTTP server yet (on shutdown). */
  destroyPending(): void;
}

type ConnectionListener = (socket: Socket) => void;

/**
 * Make `server` (an http.Server, before listen) serve TLS and plaintext on its one port: its own connection
 * listener receives plain sockets and, after the handshake, TLS sockets; HTTP connection tracking keeps working.
 */
export function serveSamePort(server: Server, opts: SamePortOptions): SamePort {
  const httpListeners = server.listeners('connection') as ConnectionListener[];
  server.removeAllListeners('connection');
  const pending = new Set<Socket>();
  const toHttp = (socket: Socket): void => {
    for (const listener of httpListeners) listener.call(server, socket);
    socket.resume();
  };
  const startTls = (socket: Socket, onSecure: (tlsSocket: TLSSocket) => void): void => {
    const context = opts.secureContext();
    if (context === undefined) {
      socket.destroy();
      return;
    }
    const tlsSocket = new TLSSocket(socket, { isServer: true, secureContext: context, ALPNProtocols: ['http/1.1'] });
    pending.add(tlsSocket);
    const timer = setTimeout(() => tlsSocket.destroy(), opts.handshakeTimeoutMs);
    const onError = (err: Error): void => {
      opts.log.debug({ err: err.message, remote: socket.remoteAddress }, 'TLS handshake failed');
      tlsSocket.destroy();
    };
    tlsSocket.on('error', onError);
    tlsSocket.once('close', () => {
      clearTimeout(timer);
      pending.delete(tlsSocket);
    });
    tlsSocket.once('secure', () => {
      clearTimeout(timer);
      pending.delete(tlsSocket);
      tlsSocket.off('error', onError);
      onSecure(tlsSocket);
    });
  };

  server.on('connection', (socket: Socket) => {
    pending.add(socket);
    const timer = setTimeout(() => socket.destroy(), opts.handshakeTimeoutMs);
    const done = (): void => {
      clearTimeout(timer);
      pending.delete(socket);
    };
    // Stays for the socket's life: a wrapped socket can still report a reset, which must not crash the process.
    socket.on('error', () => socket.destroy());
    socket.once('close', done);
    // A client that half-closes before its first byte will never send one: close now, not at the timeout.
    socket.once('end', () => {
      if (pending.has(socket)) socket.destroy();
    });
    socket.once('data', (chunk: Buffer) => {
      done();
      socket.pause();
      socket.unshift(chunk);
      const first = chunk[0] ?? 0;
      if (first === TLS_HANDSHAKE_RECORD) startTls(socket, toHttp);
      else if (first >= 0x41 && first <= 0x5a) toHttp(socket);
      else socket.destroy();
    });
  });

  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    if (isTlsUpgrade(req) && !isEncrypted(socket) && opts.secureContext() !== undefined) {
      // RFC 2817 §3.3: 101, the handshake, then the response to the OPTIONS request itself over TLS.
      socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: TLS/1.2, HTTP/1.1\r\nConnection: Upgrade\r\n\r\n');
      if (head.length > 0) socket.unshift(head);
      startTls(socket, (tlsSocket) => {
        tlsSocket.write('HTTP/1.1 200 OK\r\nAllow: GET, HEAD, OPTIONS, POST\r\nContent-Length: 0\r\n\r\n');
        toHttp(tlsSocket);
      });
      return;
    }
    // Any other Upgrade (another protocol, TLS on a normal request, TLS inside TLS) is optional (RFC 9110 §7.8):
    // serve the request as if the header were absent by feeding it back to HTTP without it.
    socket.unshift(Buffer.concat([withoutUpgrade(req), head]));
    toHttp(socket);
  });
  return {
    destroyPending: () => {
      for (const socket of pending) socket.destroy();
      pending.clear();
    },
  };
}

/** `OPTIONS *` asking for TLS (CUPS sends `Upgrade: TLS/1.2,TLS/1.1,TLS/1.0`). */
export function isTlsUpgrade(req: IncomingMessage): boolean {
  const upgrade = req.headers.upgrade ?? '';
  return req.method === 'OPTIONS' && req.url === '*' && /(^|[\s,])TLS\/1\.[0-3]\s*(,|$)/i.test(upgrade);
}

/** The request head again, without `Upgrade` and without the `upgrade` token of `Connection`. */
function withoutUpgrade(req: IncomingMessage): Buffer {
  const lines = [`${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/${req.httpVersion}`];
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const field = raw[i] ?? '';
    let value = raw[i + 1] ?? '';
    if (/^upgrade$/i.test(field)) continue;
    if (/^connection$/i.test(field)) {
      value = value
        .split(',')
        .map((t) => t.trim())
        .filter((t) => t !== '' && t.toLowerCase() !== 'upgrade')
        .join(', ');
      if (value === '') continue;
    }
    lines.push(`${field}: ${value}`);
  }
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
}
