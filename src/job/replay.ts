// A copy of a document that streams straight to a kept-open engine link (USB, serial), so a job cut off by an
// unplugged engine can print again from the interrupted page once the engine is back instead of being lost.
// SPDX-License-Identifier: Apache-2.0
import { createReadStream } from 'node:fs';
import { open, unlink, type FileHandle } from 'node:fs/promises';
import type { Logger } from 'pino';

/** The streamed document, passed through to the printer and copied to a file on the way. */
export class ReplayCopy {
  readonly #path: string;
  readonly #maxBytes: number;
  readonly #log: Logger;
  #file: FileHandle | undefined;
  #bytes = 0;
  /** false once the copy stopped being complete (over the cap, or a write failed) */
  #intact = true;
  #live: AsyncIterator<Uint8Array> | undefined;
  #ended = false;

  constructor(path: string, maxBytes: number, log: Logger) {
    this.#path = path;
    this.#maxBytes = maxBytes;
    this.#log = log;
  }

  /** The live source, copied to the file as it is read. Stopping early does not end the live source. */
  tee(source: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
    const live = source[Symbol.asyncIterator]();
    this.#live = live;
    const copy = (chunk: Uint8Array): Promise<void> => this.#copy(chunk);
    const ended = (): void => {
      this.#ended = true;
    };
    return {
      [Symbol.asyncIterator]: () => ({
        async next(): Promise<IteratorResult<Uint8Array>> {
          const step = await live.next();
          if (step.done) ended();
          else await copy(step.value);
          return step;
        },
        // An early stop (the engine went away) leaves the live source open for finish().
        async return(): Promise<IteratorResult<Uint8Array>> {
          return { done: true, value: undefined };
        },
      }),
    };
  }

  /** Read what the client still sends into the file; true when the file now holds the whole document. */
  async finish(signal: AbortSignal): Promise<boolean> {
    const live = this.#live;
    while (live && !this.#ended && this.#intact) {
      signal.throwIfAborted();
      const step = await live.next();
      if (step.done) this.#ended = true;
      else await this.#copy(step.value);
    }
    await this.#file?.sync().catch(() => undefined);
    return this.#ended && this.#intact;
  }

  /** The copied document, from its start. */
  read(): AsyncIterable<Uint8Array> {
    return createReadStream(this.#path, { highWaterMark: 256 * 1024 });
  }

  /** Close and delete the file. */
  async remove(): Promise<void> {
    await this.#file?.close().catch(() => undefined);
    this.#file = undefined;
    await unlink(this.#path).catch(() => undefined);
  }

  async #copy(chunk: Uint8Array): Promise<void> {
    if (!this.#intact) return;
    if (this.#bytes + chunk.length > this.#maxBytes) {
      this.#intact = false;
      this.#log.info({ maxBytes: this.#maxBytes }, 'streamed document larger than the replay cap; it cannot be reprinted');
      return;
    }
    try {
      this.#file ??= await open(this.#path, 'w', 0o600);
      await this.#file.write(chunk);
      this.#bytes += chunk.length;
    } catch (err) {
      this.#intact = false;
      this.#log.warn({ err }, 'cannot keep a replay copy of the streamed document');
    }
  }
}
