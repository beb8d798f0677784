// The link to one engine: opens its port through the transport, lends it to one job at a time, keeps USB and serial
// links open between jobs (status polls, hotplug) and reconnects them when the device comes back.
// SPDX-License-Identifier: Apache-2.0
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { TransportError } from '../../src/errors.js';
import type { Transport, TransportPort } from './transport.js';

/** Schemes whose ports stay open between jobs (opening a file truncates it; a socket engine takes one job per connection). */
const PERSISTENT_SCHEMES: ReadonlySet<string> = new Set(['usb', 'serial']);

/** printer-state-reasons while a kept-open link is down. */
export const LINK_DOWN_REASONS: readonly string[] = ['offline-report', 'connecting-to-device'];

/** Wait before reopening a link that just dropped, so a flapping device does not spin. */
const REOPEN_DELAY_MS = 500;
/** Wait before trying again after the transport refused to open (it waits for absent devices itself). */
const RETRY_MS = 5000;

/** Options for EngineLink. */
export interface EngineLinkOptions {
  readonly transport: Transport;
  readonly uri: URL;
  readonly options: Readonly<Record<string, unknown>>;
  readonly log: Logger;
  /** keep the port open between jobs; default by scheme (usb, serial) */
  readonly persistent?: boolean;
}

/**
 * One engine's link. Emits 'change' when it goes up or down. A job takes the port with `acquire()` and gives it back
 * with the lease's `close()`; status polls use `idlePort` only while no job holds it.
 */
export class EngineLink extends EventEmitter {
  readonly persistent: boolean;
  readonly #opts: EngineLinkOptions;
  readonly #stop = new AbortController();
  #port: TransportPort | undefined;
  #opening: Promise<TransportPort> | undefined;
  #leased = false;
  #down = false;

  constructor(opts: EngineLinkOptions) {
    super();
    this.#opts = opts;
    this.persistent = opts.persistent ?? PERSISTENT_SCHEMES.has(opts.uri.protocol.replace(/:$/, ''));
  }

  /** printer-state-reasons the link contributes (empty while it is up or not kept open). */
  get reasons(): readonly string[] {
    return this.#down ? LINK_DOWN_REASONS : [];
  }

  /** The open port while no job holds it (kept-open links only). */
  get idlePort(): TransportPort | undefined {
    return this.#leased ? undefined : this.#port;
  }

  /** Start connecting in the background (kept-open links); failures only log and retry. */
  start(): void {
    if (!this.persistent || this.#stop.signal.aborted) return;
    this.#ensureOpen(this.#stop.signal).catch(() => {
      if (!this.#stop.signal.aborted) setTimeout(() => this.start(), RETRY_MS).unref();
    });
  }

  /** Lend the port to a job, waiting for the device when it is absent. The lease's close() gives it back. */
  async acquire(log: Logger, signal: AbortSignal): Promise<TransportPort> {
    if (this.#leased) throw new TransportError('stalled', 'the engine link is already in use');
    this.#leased = true;
    try {
      const port = this.persistent ? await this.#ensureOpen(signal) : await this.#open(log, signal);
      return this.#lease(port);
    } catch (err) {
      this.#leased = false;
      throw err;
    }
  }

  /** Close the link for good. */
  async close(): Promise<void> {
    this.#stop.abort();
    const port = this.#port;
    this.#port = undefined;
    await port?.close().catch(() => undefined);
  }

  #setDown(down: boolean): void {
    if (down === this.#down) return;
    this.#down = down;
    this.emit('change');
  }

  async #open(log: Logger, signal: AbortSignal): Promise<TransportPort> {
    const both = AbortSignal.any([signal, this.#stop.signal]);
    return this.#opts.transport.open(this.#opts.uri, this.#opts.options, log, both);
  }

  /** The kept-open port, opening it once however many callers wait. */
  #ensureOpen(signal: AbortSignal): Promise<TransportPort> {
    if (this.#port?.isOpen) return Promise.resolve(this.#port);
    if (!this.#opening) {
      this.#setDown(true);
      this.#opening = this.#open(this.#opts.log, this.#stop.signal).then(
        (port) => {
          this.#opening = undefined;
          this.#adopt(port);
          return port;
        },
        (err: unknown) => {
          this.#opening = undefined;
          if (!this.#stop.signal.aborted) this.#opts.log.warn({ err }, 'engine link cannot open');
          throw err;
        },
      );
      this.#opening.catch(() => undefined);
    }
    return abortable(this.#opening, signal);
  }

  #adopt(port: TransportPort): void {
    this.#port = port;
    this.#setDown(false);
    this.#opts.log.info({ uri: port.uri }, 'engine link up');
    port.disconnected.addEventListener(
      'abort',
      () => {
        if (this.#port !== port) return;
        this.#port = undefined;
        port.close().catch(() => undefined);
        if (this.#stop.signal.aborted) return;
        this.#opts.log.warn({ uri: port.uri }, 'engine link lost; waiting for the device');
        this.#setDown(true);
        setTimeout(() => this.start(), REOPEN_DELAY_MS).unref();
      },
      { once: true },
    );
  }

  /** The port with close() replaced: a kept-open port goes back to the link, any other closes. */
  #lease(port: TransportPort): TransportPort {
    let returned = false;
    const release = async (): Promise<void> => {
      if (returned) return;
      returned = true;
      this.#leased = false;
      if (!this.persistent) await port.close();
    };
    return new Proxy(port, {
      get(target, prop): unknown {
        if (prop === 'close') return release;
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  }
}

/** `promise`, rejected early with a 'canceled' TransportError when `signal` aborts. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new TransportError('canceled', 'canceled while waiting for the engine'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new TransportError('canceled', 'canceled while waiting for the engine'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}
