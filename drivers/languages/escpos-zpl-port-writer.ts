// Output side shared by the ESC/POS and ZPL drivers: whole commands collect in a buffer and go to the port in
// pieces of port.preferredChunk, under a lock so a status query never lands inside a command's data.
// SPDX-License-Identifier: Apache-2.0
import type { TransportPort } from '../transports/transport.js';

/** Serialises use of one port: job output flushes and status queries take turns, each between whole commands. */
export class PortLock {
  #tail: Promise<void> = Promise.resolve();

  /** Run `fn` once every earlier holder finished; `signal` gives up waiting (rejects with its reason). */
  async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const previous = this.#tail;
    let release!: () => void;
    this.#tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    try {
      await waitOrAbort(previous, signal);
      return await fn();
    } finally {
      // A holder that gave up still keeps its place until the one before it is done.
      void previous.then(release, release);
    }
  }
}

async function waitOrAbort(p: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined) return p;
  signal.throwIfAborted();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([p, aborted]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

/** Bytes waiting for the port; only whole commands are ever appended. */
export class CommandBuffer {
  #parts: Uint8Array[] = [];
  #bytes = 0;

  /** Bytes held. */
  get size(): number {
    return this.#bytes;
  }

  /** Append a command (the buffer keeps the reference: pass bytes that are not reused). */
  push(data: Uint8Array): void {
    if (data.length === 0) return;
    this.#parts.push(data);
    this.#bytes += data.length;
  }

  /** Drop everything held. */
  clear(): void {
    this.#parts = [];
    this.#bytes = 0;
  }

  /** Send everything held to the port in pieces of at most port.preferredChunk, one write in flight. */
  async flush(port: TransportPort, lock: PortLock, signal: AbortSignal): Promise<void> {
    if (this.#bytes === 0) return;
    const data = this.#parts.length === 1 ? this.#parts[0]! : Buffer.concat(this.#parts, this.#bytes);
    this.clear();
    const chunk = Math.max(1, port.preferredChunk);
    await lock.run(async () => {
      for (let i = 0; i < data.length; i += chunk) {
        await port.write(data.subarray(i, Math.min(data.length, i + chunk)), signal);
      }
    }, signal);
  }
}
