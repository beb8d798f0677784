// The AppSocket/JetDirect transport: `socket://host[:9100]`, raw bytes over TCP with backpressure, read-back on the
// same connection, and at close a half-close that waits (bounded) for the engine to close, as CUPS' `waiteof` does.
// SPDX-License-Identifier: Apache-2.0
import { once } from 'node:events';
import net from 'node:net';
import type { Logger } from 'pino';
import { ConfigError, TransportError } from '../../src/errors.js';
import { abortKind, raceTransfer } from './race-transfer.js';
import { ReadBuffer } from './read-buffer.js';
import { writeToStream } from './stream-write.js';
import type { DeviceInfo, Transport, TransportMetrics, TransportPort } from './transport.js';
import { UriOptions } from './uri-options.js';

/** The AppSocket port when the URI names none. */
export const APPSOCKET_PORT = 9100;
/** Bytes per write on a network link. */
export const SOCKET_CHUNK = 64 * 1024;
/** Longest wait at close for the engine to close its side after our half-close. */
export const WAIT_EOF_MS = 10_000;
const READ_LIMIT = 64 * 1024;

/** Settings of one AppSocket connection. */
interface SocketSettings {
  readonly host: string;
  readonly port: number;
  readonly connectTimeoutMs: number;
  readonly waitEof: boolean;
  readonly writeTimeoutMs: number;
  readonly readTimeoutMs: number;
}

function socketSettings(uri: URL, options: Readonly<Record<string, unknown>>): SocketSettings {
  const opts = new UriOptions(uri, options, ['contimeout', 'waiteof', 'timeout', 'read-timeout']);
  const host = uri.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') throw new ConfigError(`${uri.href}: a socket URI needs a host (socket://HOST:9100)`, { pointer: '/engine/uri' });
  if (uri.pathname !== '' && uri.pathname !== '/') {
    throw new ConfigError(`${uri.href}: a socket URI has no path`, { pointer: '/engine/uri' });
  }
  return {
    host,
    port: uri.port === '' ? APPSOCKET_PORT : Number(uri.port),
    connectTimeoutMs: opts.seconds('contimeout', 3600, 30_000),
    waitEof: opts.flag('waiteof', true),
    writeTimeoutMs: opts.seconds('timeout', 86_400, 0),
    readTimeoutMs: opts.seconds('read-timeout', 600, 2000),
  };
}

async function connect(settings: SocketSettings, signal: AbortSignal | undefined): Promise<net.Socket> {
  const socket = net.connect({ host: settings.host, port: settings.port, allowHalfOpen: true, noDelay: true, keepAlive: true });
  const where = `${settings.host}:${settings.port}`;
  const never = new AbortController().signal;
  try {
    await raceTransfer(once(socket, 'connect'), { signal, disconnected: never, timeoutMs: settings.connectTimeoutMs, what: `connect to ${where}` });
    return socket;
  } catch (err) {
    socket.destroy();
    if (err instanceof TransportError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new TransportError('disconnected', `cannot connect to ${where}: ${code}`, { cause: err });
  }
}

/** One AppSocket connection. */
class SocketLinkPort implements TransportPort {
  readonly uri: string;
  readonly preferredChunk = SOCKET_CHUNK;
  readonly #socket: net.Socket;
  readonly #settings: SocketSettings;
  readonly #waitEofMs: number;
  readonly #log: Logger;
  readonly #disconnect = new AbortController();
  readonly #reads: ReadBuffer;
  readonly #metrics = { bytesWritten: 0, bytesRead: 0, writeMs: 0 };
  #inFlight: Promise<void> | undefined;
  #isClosed = false;

  constructor(uri: string, socket: net.Socket, settings: SocketSettings, waitEofMs: number, log: Logger) {
    this.uri = uri;
    this.#socket = socket;
    this.#settings = settings;
    this.#waitEofMs = waitEofMs;
    this.#log = log;
    this.#reads = new ReadBuffer(READ_LIMIT, () => socket.resume());
    socket.on('data', (chunk: Buffer) => {
      this.#metrics.bytesRead += chunk.length;
      this.#reads.push(chunk);
      if (this.#reads.isFull) socket.pause();
    });
    socket.on('end', () => this.#reads.end(new TransportError('disconnected', 'engine closed its side of the connection')));
    socket.on('error', (err) => this.#lose(err));
    socket.on('close', () => this.#lose(new Error('connection closed')));
  }

  get isOpen(): boolean {
    return !this.#isClosed && !this.#disconnect.signal.aborted;
  }
  get metrics(): TransportMetrics {
    return { ...this.#metrics };
  }
  get disconnected(): AbortSignal {
    return this.#disconnect.signal;
  }

  #lose(cause: unknown): void {
    if (this.#isClosed || this.#disconnect.signal.aborted) return;
    const err = new TransportError('disconnected', `connection to ${this.uri} lost`, { cause });
    this.#log.warn({ err: cause }, 'engine connection lost');
    this.#disconnect.abort(err);
    this.#reads.end(err);
  }

  /** Resolves once the kernel took every byte; waits for 'drain' above the socket's high-water mark. */
  async write(data: Uint8Array, signal?: AbortSignal): Promise<void> {
    if (!this.isOpen) throw new TransportError('disconnected', 'connection is not open', { bytesAccepted: 0 });
    const started = performance.now();
    const race = { signal, disconnected: this.disconnected, timeoutMs: this.#settings.writeTimeoutMs, what: 'socket write' };
    if (this.#inFlight !== undefined) await raceTransfer(this.#inFlight, { ...race, bytesAccepted: () => 0 });
    if (data.length === 0) return;
    const socket = this.#socket;
    await writeToStream(socket, data, race, (inFlight) => {
      this.#inFlight = inFlight;
      void inFlight.then(() => {
        if (this.#inFlight === inFlight) this.#inFlight = undefined;
      });
    });
    this.#metrics.bytesWritten += data.length;
    this.#metrics.writeMs += performance.now() - started;
  }

  /** Up to `maxBytes` bytes the engine sent back on the same connection. */
  read(maxBytes: number, signal?: AbortSignal): Promise<Uint8Array> {
    return this.#reads.read(maxBytes, { signal, disconnected: this.disconnected, timeoutMs: this.#settings.readTimeoutMs, what: 'socket read' });
  }

  /** Resolves when the socket's write buffer is empty (the kernel has every byte). */
  async drain(signal?: AbortSignal): Promise<void> {
    const race = { signal, disconnected: this.disconnected, what: 'socket drain' };
    if (this.#inFlight !== undefined) await raceTransfer(this.#inFlight, race);
    if (this.#socket.writableLength > 0) await raceTransfer(once(this.#socket, 'drain').then(() => undefined), race);
  }

  /**
   * Drop unread replies. Bytes already in the kernel cannot be taken back; a write still in flight (engine not
   * reading) is dropped by resetting the connection, which closes this port.
   */
  async discard(): Promise<void> {
    this.#reads.clear();
    if (this.#inFlight === undefined || !this.isOpen) return;
    this.#isClosed = true;
    this.#reads.end(new TransportError('disconnected', 'connection reset by discard'));
    this.#socket.resetAndDestroy();
  }

  /** Half-close, wait (bounded) for the engine to close, then release the socket. */
  async close(): Promise<void> {
    if (this.#isClosed) return;
    this.#isClosed = true;
    const socket = this.#socket;
    this.#reads.end(new TransportError('disconnected', 'connection closed'));
    if (!socket.destroyed && this.#settings.waitEof && this.#waitEofMs > 0) {
      socket.resume();
      socket.end();
      const closed = once(socket, 'close').then(() => true);
      const gaveUp = new Promise<boolean>((resolve) => setTimeout(resolve, this.#waitEofMs, false).unref());
      if (!(await Promise.race([closed, gaveUp]))) this.#log.debug('engine did not close its side; closing anyway');
    }
    socket.destroy();
  }
}

/** The AppSocket transport; `waitEofMs` bounds the wait for the engine's close (tests shorten it). */
export function createSocketTransport(opts: { readonly waitEofMs?: number } = {}): Transport {
  const waitEofMs = opts.waitEofMs ?? WAIT_EOF_MS;
  return {
    scheme: 'socket',
    // Network engines are not discovered here (no SNMP or DNS-SD probing): nothing to list.
    async list(): Promise<DeviceInfo[]> {
      return [];
    },
    async open(uri: URL, options: Readonly<Record<string, unknown>>, log: Logger, signal?: AbortSignal): Promise<TransportPort> {
      const settings = socketSettings(uri, options);
      if (signal?.aborted === true) throw new TransportError(abortKind(signal), 'socket open canceled', { cause: signal.reason });
      const socket = await connect(settings, signal);
      const portLog = log.child({ uri: uri.href });
      portLog.info({ host: settings.host, port: settings.port }, 'engine connection open');
      return new SocketLinkPort(uri.href, socket, settings, waitEofMs, portLog);
    },
  };
}
