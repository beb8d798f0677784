// Raster documents decoded on the decoder thread (decode-worker.ts): the pipeline's main thread sends the document
// bytes and takes decoded lines back in batches, so decoding one part of a page overlaps driving the engine with
// the part before. JPEG (decoded whole, placed on the media) stays on the main thread.
// SPDX-License-Identifier: Apache-2.0
import { RasterError } from '../errors.js';
import { baseType, readDocument, sniffFormat, sniffHead, SNIFF_BYTES } from './document.js';
import { decoderThread, type DecoderClient, type DecoderThread } from './decoder-thread.js';
import { ThreadPage, type BatchSource } from './thread-page.js';
import { DEFAULT_RASTER_LIMITS, type RasterDocument, type RasterLimits, type RasterPage } from './types.js';
import { INPUT_AHEAD_BYTES, type FromDecoder } from './worker-protocol.js';

/** Bytes gathered from small source reads before they are posted while the thread is busy. */
const GATHER_BYTES = 256 * 1024;

/** Formats decoded on the thread. */
const THREAD_FORMATS: ReadonlySet<string> = new Set(['image/pwg-raster', 'image/urf']);

type DocEvent = Exclude<FromDecoder, { t: 'consumed' }>;
/** What {@link ThreadDocument.nextEvent} hands out (an error event is thrown). */
type DataEvent = Exclude<DocEvent, { t: 'error' }>;

/** A document decoded on the thread: the bytes pumped there, the events it sends back queued in order. */
class ThreadDocument implements DecoderClient, BatchSource {
  readonly #format: string;
  readonly #source: AsyncIterable<Uint8Array>;
  readonly #limits: RasterLimits;
  #thread: DecoderThread | undefined;
  #id = 0;
  readonly #events: DocEvent[] = [];
  #failure: unknown;
  #isClosed = false;
  #wakeConsumer: (() => void) | undefined;
  #wakePump: (() => void) | undefined;
  #inFlight = 0;
  /** source chunks read but not yet posted */
  readonly #pending: Uint8Array[] = [];
  #gathered = 0;

  constructor(format: string, source: AsyncIterable<Uint8Array>, limits: RasterLimits) {
    this.#format = format;
    this.#source = source;
    this.#limits = limits;
  }

  onMessage(msg: FromDecoder): void {
    if (msg.t === 'consumed') {
      this.#inFlight -= msg.bytes;
      // The thread ran dry: whatever was gathered goes now.
      if (this.#inFlight === 0) this.#sendGathered();
      this.#wake();
      return;
    }
    this.#events.push(msg);
    this.#wake();
  }

  onThreadFailure(err: Error): void {
    this.#failure ??= new Error(`the raster decoder thread stopped: ${err.message}`);
    this.#wake();
  }

  #wake(): void {
    const consumer = this.#wakeConsumer;
    const pump = this.#wakePump;
    this.#wakeConsumer = undefined;
    this.#wakePump = undefined;
    consumer?.();
    pump?.();
  }

  /** The next page, lines, end or error event, in the order the thread sent them; throws a source failure. */
  async nextEvent(): Promise<DataEvent> {
    for (;;) {
      const event = this.#events.shift();
      if (event !== undefined) {
        if (event.t === 'error') throw new RasterError(event.message, event.code === 'ERR_RASTER_LIMIT' ? 'ERR_RASTER_LIMIT' : 'ERR_RASTER_FORMAT');
        return event;
      }
      if (this.#failure !== undefined) throw this.#failure;
      await new Promise<void>((resolve) => {
        this.#wakeConsumer = resolve;
      });
    }
  }

  credit(data: Uint8Array): void {
    if (this.#isClosed) return;
    this.#thread?.post({ t: 'credit', doc: this.#id, data }, [data.buffer as ArrayBuffer]);
  }

  async *pages(): AsyncGenerator<RasterPage> {
    const thread = decoderThread();
    this.#thread = thread;
    this.#id = thread.register(this);
    thread.post({ t: 'open', doc: this.#id, format: this.#format, limits: this.#limits });
    void this.#pump(thread);
    let page: ThreadPage | undefined;
    try {
      for (;;) {
        if (page !== undefined) await page.skipRest();
        const event = await this.nextEvent();
        if (event.t === 'done') return;
        if (event.t === 'lines') {
          this.credit(event.data);
          continue;
        }
        page = new ThreadPage(this, event.number, event.header);
        yield page;
      }
    } finally {
      this.#close();
    }
  }

  #close(): void {
    if (this.#isClosed) return;
    this.#isClosed = true;
    this.#thread?.post({ t: 'close', doc: this.#id });
    this.#thread?.unregister(this.#id);
    this.#wake();
  }

  #gather(chunk: Uint8Array): void {
    this.#pending.push(chunk);
    this.#gathered += chunk.length;
  }

  /** Post the gathered bytes as one chunk: a copy of their own, so no buffer shared with other data is transferred. */
  #sendGathered(): void {
    if (this.#gathered === 0 || this.#isClosed) return;
    const data = new Uint8Array(this.#gathered);
    let at = 0;
    for (const part of this.#pending) {
      data.set(part, at);
      at += part.length;
    }
    this.#pending.length = 0;
    this.#gathered = 0;
    this.#inFlight += data.length;
    this.#thread?.post({ t: 'chunk', doc: this.#id, data }, [data.buffer]);
  }

  /** Send the source's bytes to the thread, at most INPUT_AHEAD_BYTES ahead of what it took. */
  async #pump(thread: DecoderThread): Promise<void> {
    const iterator = this.#source[Symbol.asyncIterator]();
    let isDone = false;
    try {
      for (;;) {
        while (this.#inFlight >= INPUT_AHEAD_BYTES && !this.#isClosed && this.#failure === undefined) {
          await new Promise<void>((resolve) => {
            this.#wakePump = resolve;
          });
        }
        if (this.#isClosed || this.#failure !== undefined) break;
        const next = await iterator.next();
        if (next.done === true) {
          isDone = true;
          this.#sendGathered();
          thread.post({ t: 'end', doc: this.#id });
          break;
        }
        if (next.value.length === 0 || this.#isClosed) continue;
        this.#gather(next.value);
        // Small socket reads are gathered into fewer messages while the thread still has bytes to decode.
        if (this.#inFlight === 0 || this.#gathered >= GATHER_BYTES) this.#sendGathered();
      }
    } catch (err) {
      // The document's own stream failed (client gone, bad compression): the consumer sees that error.
      isDone = true;
      this.#failure ??= err;
      this.#wake();
    } finally {
      if (!isDone) await iterator.return?.()?.catch(() => undefined);
    }
  }
}

/** Pages of a document whose type needs no sniffing: raster on the thread, anything else here. */
function byType(type: string, source: AsyncIterable<Uint8Array>, limits: RasterLimits): RasterDocument {
  if (!THREAD_FORMATS.has(type)) return readDocument(type, source, limits);
  const doc = new ThreadDocument(type, source, limits);
  return { [Symbol.asyncIterator]: () => doc.pages() };
}

async function* sniffed(source: AsyncIterable<Uint8Array>, limits: RasterLimits): AsyncGenerator<RasterPage> {
  const { head, stream } = await sniffHead(source, SNIFF_BYTES);
  const type = sniffFormat(head);
  // An unknown type gets readDocument's own error.
  yield* byType(type ?? 'application/octet-stream', stream, limits);
}

/**
 * {@link readDocument} with PWG and Apple raster decoded on the decoder thread (same pages, lines and errors; a
 * yielded line stays valid until the next line is pulled).
 */
export function readDocumentOffThread(
  format: string,
  source: AsyncIterable<Uint8Array>,
  limits: RasterLimits = DEFAULT_RASTER_LIMITS,
): RasterDocument {
  const type = baseType(format);
  if (type === 'application/octet-stream') return { [Symbol.asyncIterator]: () => sniffed(source, limits) };
  return byType(type, source, limits);
}
