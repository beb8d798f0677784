// One open serial link to an engine over `serialport` (the only file importing it): writes with backpressure,
// tcdrain/tcflush, status read-back, and device loss turned into TransportError('disconnected').
// SPDX-License-Identifier: Apache-2.0
import serialport from 'serialport';
import type { Logger } from 'pino';
import { TransportError } from '../../src/errors.js';
import { raceTransfer } from './race-transfer.js';
import { ReadBuffer } from './read-buffer.js';
import { writeToStream } from './stream-write.js';
import { serialChunk, type SerialSettings } from './serial-options.js';
import type { TransportMetrics, TransportPort } from './transport.js';

const { SerialPort } = serialport;
/** An opened serialport stream. */
export type SerialStream = InstanceType<typeof SerialPort>;

/** Received bytes held for read() before the port stops reading. */
const READ_LIMIT = 64 * 1024;
/** How long discard() lets a write caught in flight finish before flushing again. */
const DISCARD_WAIT_MS = 250;

/** The fields of a serialport PortInfo the listing uses. */
export interface SerialPortInfo {
  readonly path: string;
  readonly manufacturer?: string | undefined;
  readonly serialNumber?: string | undefined;
}

/** serialport's own list (udev based); rejects where udevadm is missing. */
export async function listSerialportPorts(): Promise<SerialPortInfo[]> {
  return SerialPort.list();
}

/** Open the device with the given line settings; rejects with the binding's error (no code, text only). */
export async function openSerialStream(settings: SerialSettings): Promise<SerialStream> {
  const port = new SerialPort({
    path: settings.path,
    baudRate: settings.baudRate,
    dataBits: settings.dataBits,
    stopBits: settings.stopBits,
    parity: settings.parity,
    rtscts: settings.flow === 'rtscts',
    xon: settings.flow === 'xonxoff',
    xoff: settings.flow === 'xonxoff',
    autoOpen: false,
  });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  return port;
}

/** A TransportPort over an opened serialport stream. */
export class SerialLinkPort implements TransportPort {
  readonly uri: string;
  readonly preferredChunk: number;
  readonly #port: SerialStream;
  readonly #settings: SerialSettings;
  readonly #log: Logger;
  readonly #disconnect = new AbortController();
  readonly #reads: ReadBuffer;
  readonly #metrics = { bytesWritten: 0, bytesRead: 0, writeMs: 0 };
  #inFlight: Promise<void> | undefined;
  #isClosed = false;

  constructor(uri: string, port: SerialStream, settings: SerialSettings, log: Logger) {
    this.uri = uri;
    this.preferredChunk = serialChunk(settings.baudRate);
    this.#port = port;
    this.#settings = settings;
    this.#log = log;
    this.#reads = new ReadBuffer(READ_LIMIT, () => port.resume());
    // Keep a read pending at all times: it is also how a vanished device is noticed between writes.
    port.on('data', (chunk: Buffer) => {
      this.#metrics.bytesRead += chunk.length;
      this.#reads.push(chunk);
      if (this.#reads.isFull) port.pause();
    });
    port.on('close', (err: unknown) => this.#lose(err ?? new Error('port closed')));
    port.on('error', (err: Error) => {
      this.#log.debug({ err }, 'serial port error');
      if (!port.isOpen) this.#lose(err);
    });
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
    const err = new TransportError('disconnected', `serial device ${this.#settings.path} went away`, { cause });
    this.#log.warn({ err: cause }, 'serial device disconnected');
    this.#disconnect.abort(err);
    this.#reads.end(err);
  }

  /** Resolves once the OS accepted every byte (one chunk in the stream at a time, 'drain' honoured). */
  async write(data: Uint8Array, signal?: AbortSignal): Promise<void> {
    if (!this.isOpen) throw new TransportError('disconnected', 'serial port is not open', { bytesAccepted: 0 });
    const started = performance.now();
    const race = { signal, disconnected: this.disconnected, timeoutMs: this.#settings.writeTimeoutMs, what: 'serial write' };
    // A write canceled earlier may still be in the stream: never stack chunks behind it.
    if (this.#inFlight !== undefined) await raceTransfer(this.#inFlight, { ...race, bytesAccepted: () => 0 });
    if (data.length === 0) return;
    const port = this.#port;
    try {
      await writeToStream(port, Buffer.from(data), race, (inFlight) => {
        this.#inFlight = inFlight;
        void inFlight.then(() => {
          if (this.#inFlight === inFlight) this.#inFlight = undefined;
        });
      });
    } catch (err) {
      // A failed write (EIO, EBADF) means the device is gone: say so now, not when the port's 'close' event comes.
      if (err instanceof TransportError && err.kind === 'disconnected') this.#lose(err.cause ?? err);
      throw err;
    }
    this.#metrics.bytesWritten += data.length;
    this.#metrics.writeMs += performance.now() - started;
  }

  /** Up to `maxBytes` bytes from the engine; rejects 'timeout' after the port's read timeout. */
  read(maxBytes: number, signal?: AbortSignal): Promise<Uint8Array> {
    const race = { signal, disconnected: this.disconnected, timeoutMs: this.#settings.readTimeoutMs, what: 'serial read' };
    return this.#reads.read(maxBytes, race);
  }

  /** Wait until the last write is out of the stream and the OS has transmitted it (tcdrain). */
  async drain(signal?: AbortSignal): Promise<void> {
    const race = { signal, disconnected: this.disconnected, what: 'serial drain' };
    if (this.#inFlight !== undefined) await raceTransfer(this.#inFlight, race);
    if (!this.isOpen) throw new TransportError('disconnected', 'serial port is not open');
    const drained = new Promise<void>((resolve, reject) =>
      this.#port.drain((err) => (err ? reject(new TransportError('disconnected', `serial drain failed: ${err.message}`, { cause: err })) : resolve())),
    );
    await raceTransfer(drained, race);
  }

  /** Drop unsent and unread bytes (tcflush), also after a write that was canceled in flight. */
  async discard(): Promise<void> {
    this.#reads.clear();
    if (!this.isOpen) return;
    await this.#flush();
    const inFlight = this.#inFlight;
    if (inFlight === undefined) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([inFlight, new Promise<void>((resolve) => (timer = setTimeout(resolve, DISCARD_WAIT_MS)))]);
    clearTimeout(timer);
    if (this.isOpen) await this.#flush();
  }

  #flush(): Promise<void> {
    return new Promise<void>((resolve) =>
      this.#port.flush((err) => {
        if (err) this.#log.debug({ err }, 'serial flush failed');
        resolve();
      }),
    );
  }

  /** Close the device; pending reads reject, the `disconnected` signal stays as it is. */
  async close(): Promise<void> {
    if (this.#isClosed) return;
    this.#isClosed = true;
    this.#reads.end(new TransportError('disconnected', 'serial port closed'));
    if (!this.#port.isOpen) return;
    await new Promise<void>((resolve) =>
      this.#port.close((err) => {
        if (err) this.#log.debug({ err }, 'serial close failed');
        resolve();
      }),
    );
  }
}
