// One open USB printer interface: bulk OUT writes in chunks with one transfer in flight and explicit long timeouts,
// bulk IN read-back, printer-class requests, stall recovery and unplug detection (raster-and-engines.md §4, §5.1).
// SPDX-License-Identifier: Apache-2.0
import type { Logger } from 'pino';
import { TransportError } from '../../src/errors.js';
import type { PortStatus, TransportMetrics, TransportPort } from './transport.js';
import { getDeviceId, getPortStatus, softReset } from './usb-control.js';
import { abortable, classifyError, isStallError, settled } from './usb-errors.js';
import { deviceKey, type PrinterInterface, type UsbBackend, type UsbConnectionListener, type USBDeviceLike } from './usb-types.js';

/** Everything a UsbPort needs; built by the transport once the interface is claimed. */
export interface UsbPortOptions {
  readonly uri: string;
  readonly device: USBDeviceLike;
  readonly iface: PrinterInterface;
  readonly backend: UsbBackend;
  readonly log: Logger;
  readonly preferredChunk: number;
  readonly writeTimeoutMs: number;
  readonly readTimeoutMs: number;
  /** the usblp kernel driver was detached on open and is re-attached on close */
  readonly detachedKernelDriver: boolean;
  /** called once when the port closes or the device goes away */
  readonly onRelease: () => void;
}

/** A `0` byte result this many times in a row counts as a stalled engine. */
const MAX_ZERO_PROGRESS = 3;
/** How long discard() lets an abandoned transfer finish after SOFT_RESET before cancelling it. */
const DISCARD_SETTLE_MS = 1000;

/** A claimed USB printer interface. One write in flight at a time; `read` exists on bidirectional interfaces only. */
export class UsbPort implements TransportPort {
  readonly uri: string;
  readonly preferredChunk: number;
  readonly read?: (maxBytes: number, signal?: AbortSignal) => Promise<Uint8Array>;
  readonly #o: UsbPortOptions;
  readonly #key: string;
  readonly #disconnect = new AbortController();
  readonly #onDisconnect: UsbConnectionListener;
  readonly #metrics = { bytesWritten: 0, bytesRead: 0, writeMs: 0 };
  #isOpen = true;
  #isClosing = false;
  #writes: Promise<void> = Promise.resolve();
  #reads: Promise<void> = Promise.resolve();
  #controls: Promise<void> = Promise.resolve();
  /** the native OUT transfer still running (a canceled write leaves it behind); settles, never rejects */
  #outFlight: Promise<void> | undefined;
  #inFlight: Promise<USBInTransferResult> | undefined;
  #readRest: Uint8Array = new Uint8Array(0);
  #deviceId: string | undefined;

  constructor(opts: UsbPortOptions) {
    this.#o = opts;
    this.uri = opts.uri;
    this.preferredChunk = opts.preferredChunk;
    this.#key = deviceKey(opts.device);
    this.#onDisconnect = (event) => {
      if (deviceKey(event.device) === this.#key) this.#markDisconnected('device unplugged');
    };
    opts.backend.addEventListener('disconnect', this.#onDisconnect);
    const inEndpoint = opts.iface.inEndpoint;
    if (inEndpoint !== undefined) this.read = (maxBytes, signal) => this.#read(inEndpoint, maxBytes, signal);
  }

  get isOpen(): boolean {
    return this.#isOpen;
  }
  get metrics(): TransportMetrics {
    return { ...this.#metrics };
  }
  get disconnected(): AbortSignal {
    return this.#disconnect.signal;
  }

  /** Send bytes in `preferredChunk` transfers; resolves when the engine accepted all of them. */
  write(data: Uint8Array, signal?: AbortSignal): Promise<void> {
    const run = this.#writes.then(() => this.#write(data, signal));
    this.#writes = settled(run);
    return run;
  }

  async #write(data: Uint8Array, signal: AbortSignal | undefined): Promise<void> {
    const started = performance.now();
    let offset = 0;
    let isStallRetried = false;
    let zeroRuns = 0;
    try {
      while (offset < data.length) {
        this.#check(signal, offset);
        const chunk = data.subarray(offset, offset + this.preferredChunk);
        const result = await this.#transferOut(chunk, signal, offset);
        if (result.status === 'stall') {
          if (isStallRetried) {
            throw new TransportError('stalled', 'bulk OUT endpoint stalled again after clear-halt', { bytesAccepted: offset });
          }
          isStallRetried = true;
          this.#o.log.warn({ bytesAccepted: offset }, 'bulk OUT stalled, clearing halt');
          await this.#clearHalt(offset);
          continue;
        }
        if (result.status !== 'ok') {
          throw new TransportError('stalled', `bulk OUT answered ${result.status}`, { bytesAccepted: offset });
        }
        const accepted = Math.min(result.bytesWritten, chunk.length);
        offset += accepted;
        this.#metrics.bytesWritten += accepted;
        zeroRuns = accepted === 0 ? zeroRuns + 1 : 0;
        if (accepted > 0) isStallRetried = false;
        if (zeroRuns >= MAX_ZERO_PROGRESS) throw new TransportError('stalled', 'engine accepts no data', { bytesAccepted: offset });
      }
    } finally {
      this.#metrics.writeMs += performance.now() - started;
    }
  }

  #check(signal: AbortSignal | undefined, bytesAccepted: number): void {
    if (this.#disconnect.signal.aborted) throw new TransportError('disconnected', 'USB printer is gone', { bytesAccepted });
    if (!this.#isOpen) throw new TransportError('canceled', 'USB port is closed', { bytesAccepted });
    if (signal?.aborted === true) throw new TransportError('canceled', 'write canceled', { bytesAccepted });
  }

  #signals(signal: AbortSignal | undefined): AbortSignal[] {
    return signal === undefined ? [this.#disconnect.signal] : [signal, this.#disconnect.signal];
  }

  /** One bulk OUT transfer, abandoned (never resent) when the caller cancels or the device goes away. */
  async #transferOut(chunk: Uint8Array, signal: AbortSignal | undefined, offset: number): Promise<USBOutTransferResult> {
    const signals = this.#signals(signal);
    // usb v3 allows one transfer per endpoint: wait for one a canceled write left behind.
    if (this.#outFlight !== undefined) await abortable(this.#outFlight, signals).catch(() => this.#check(signal, offset));
    this.#check(signal, offset);
    const native = this.#o.device.transferOut(this.#o.iface.outEndpoint, chunk, this.#o.writeTimeoutMs);
    const flight: Promise<void> = settled(native).finally(() => {
      if (this.#outFlight === flight) this.#outFlight = undefined;
    });
    this.#outFlight = flight;
    try {
      return await abortable(native, signals);
    } catch (err) {
      this.#check(signal, offset);
      // Some usb v3 builds reject a stalled transfer instead of reporting status 'stall'.
      if (isStallError(err) && (await this.#isPresent())) return { status: 'stall', bytesWritten: 0 };
      throw await this.#failure(err, 'bulk OUT', offset);
    }
  }

  /** Map a rejected transfer to a TransportError; an unplugged device turns the port disconnected. */
  async #failure(err: unknown, what: string, bytesAccepted: number): Promise<TransportError> {
    if (err instanceof TransportError) return err;
    if (this.#isClosing) return new TransportError('canceled', `${what} ended by close`, { cause: err, bytesAccepted });
    const kind = classifyError(err);
    if (kind === 'disconnected' || !(await this.#isPresent())) {
      this.#markDisconnected(`${what} failed: device gone`);
      return new TransportError('disconnected', `${what} failed: USB printer is gone`, { cause: err, bytesAccepted });
    }
    if (kind === 'timeout') {
      const level = what === 'bulk OUT' ? 'warn' : 'debug';
      this.#o.log[level]({ bytesAccepted, what }, 'USB transfer timed out');
      const message = `${what} timed out; the engine's share of the last transfer is unknown`;
      return new TransportError('timeout', message, { cause: err, bytesAccepted });
    }
    return new TransportError('stalled', `${what} failed`, { cause: err, bytesAccepted });
  }

  async #isPresent(): Promise<boolean> {
    if (this.#disconnect.signal.aborted) return false;
    try {
      const devices = await this.#o.backend.getDevices();
      return devices.some((d) => deviceKey(d) === this.#key);
    } catch {
      return true;
    }
  }

  #markDisconnected(why: string): void {
    if (this.#disconnect.signal.aborted || this.#isClosing) return;
    this.#o.log.warn({ why }, 'USB printer disconnected');
    this.#isOpen = false;
    this.#o.backend.removeEventListener('disconnect', this.#onDisconnect);
    this.#disconnect.abort(new TransportError('disconnected', why));
    this.#o.device.close().catch(() => undefined);
    this.#o.onRelease();
  }

  async #clearHalt(bytesAccepted: number): Promise<void> {
    try {
      await this.#o.device.clearHalt('out', this.#o.iface.outEndpoint);
    } catch (err) {
      throw await this.#failure(err, 'clear-halt', bytesAccepted);
    }
  }

  #read(endpoint: number, maxBytes: number, signal: AbortSignal | undefined): Promise<Uint8Array> {
    const run = this.#reads.then(() => this.#readOnce(endpoint, maxBytes, signal));
    this.#reads = settled(run);
    return run;
  }

  /** One bulk IN transfer (whole packets asked for; the surplus is kept for the next read). */
  async #readOnce(endpoint: number, maxBytes: number, signal: AbortSignal | undefined): Promise<Uint8Array> {
    if (this.#readRest.length > 0) return this.#takeRead(this.#readRest, maxBytes);
    this.#check(signal, 0);
    const ask = Math.max(512, Math.ceil(maxBytes / 512) * 512);
    const native = this.#inFlight ?? this.#o.device.transferIn(endpoint, ask, this.#o.readTimeoutMs);
    this.#inFlight = native;
    let result: USBInTransferResult;
    try {
      result = await abortable(native, this.#signals(signal));
    } catch (err) {
      // An abandoned transfer stays in flight and its data goes to the next read; a failed one is forgotten.
      if (!(err instanceof TransportError)) this.#inFlight = undefined;
      this.#check(signal, 0);
      throw await this.#failure(err, 'bulk IN', 0);
    }
    this.#inFlight = undefined;
    if (result.status === 'stall') {
      await this.#o.device.clearHalt('in', endpoint).catch(() => undefined);
      throw new TransportError('stalled', 'bulk IN endpoint stalled');
    }
    const view = result.data;
    const bytes = view === undefined ? new Uint8Array(0) : new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    return this.#takeRead(bytes.slice(), maxBytes);
  }

  #takeRead(bytes: Uint8Array, maxBytes: number): Uint8Array {
    const out = bytes.subarray(0, maxBytes);
    this.#readRest = bytes.subarray(out.length);
    this.#metrics.bytesRead += out.length;
    return out;
  }

  /** Every accepted write has finished. */
  async drain(signal?: AbortSignal): Promise<void> {
    await abortable(this.#writes, signal === undefined ? [] : [signal]);
  }

  /** Drop what is queued: SOFT_RESET flushes the engine, then a transfer still running is cancelled. */
  async discard(): Promise<void> {
    if (!this.#isOpen) return;
    await this.softReset().catch((err: unknown) => this.#o.log.warn({ err }, 'SOFT_RESET failed during discard'));
    const flight = this.#outFlight;
    if (flight === undefined || !this.#isOpen) return;
    const ended = abortable(flight, [AbortSignal.timeout(DISCARD_SETTLE_MS)]);
    if (await ended.then(() => true, () => false)) return;
    // Releasing and claiming the interface again cancels its pending transfers (WebUSB semantics).
    this.#o.log.warn('bulk OUT transfer still pending after SOFT_RESET; cancelling it');
    const n = this.#o.iface.interfaceNumber;
    await this.#o.device.releaseInterface(n).catch(() => undefined);
    await this.#o.device.claimInterface(n).catch((err: unknown) => this.#o.log.warn({ err }, 'interface could not be claimed again'));
  }

  /** The IEEE 1284 device ID (GET_DEVICE_ID), cached after the first answer. */
  async deviceId(): Promise<string | undefined> {
    this.#deviceId ??= await this.#control('GET_DEVICE_ID', () => getDeviceId(this.#o.device, this.#o.iface));
    return this.#deviceId;
  }

  /** GET_PORT_STATUS: paper empty, selected, error. */
  portStatus(): Promise<PortStatus> {
    return this.#control('GET_PORT_STATUS', () => getPortStatus(this.#o.device, this.#o.iface));
  }

  /** SOFT_RESET: the engine flushes its buffers and resets both bulk pipes. */
  softReset(): Promise<void> {
    return this.#control('SOFT_RESET', () => softReset(this.#o.device, this.#o.iface));
  }

  /** Control requests run one at a time on endpoint 0. */
  #control<T>(what: string, request: () => Promise<T>): Promise<T> {
    const run = this.#controls.then(async () => {
      this.#check(undefined, 0);
      try {
        return await request();
      } catch (err) {
        throw await this.#failure(err, what, 0);
      }
    });
    this.#controls = settled(run);
    return run;
  }

  /** Release the interface (cancelling a transfer still running), give usblp back, close the device. */
  async close(): Promise<void> {
    if (!this.#isOpen) return;
    this.#isOpen = false;
    this.#isClosing = true;
    this.#o.backend.removeEventListener('disconnect', this.#onDisconnect);
    const { device, iface, log } = this.#o;
    await device.releaseInterface(iface.interfaceNumber).catch((err: unknown) => log.debug({ err }, 'release interface failed'));
    if (this.#o.detachedKernelDriver && device.attachKernelDriver !== undefined) {
      await device.attachKernelDriver(iface.interfaceNumber).catch((err: unknown) => log.debug({ err }, 'usblp not re-attached'));
    }
    await device.close().catch((err: unknown) => log.debug({ err }, 'device close failed'));
    this.#o.onRelease();
  }
}
