// Splits a byte stream of concatenated PNG files at file boundaries using the chunk lengths, and picks up tEXt
// entries on the way. Incremental: any split of the input gives the same events.
// SPDX-License-Identifier: Apache-2.0
import { TransportError } from '../../src/errors.js';
import { PNG_SIGNATURE } from './png-writer.js';

/** What one piece of input means. `data` bytes belong to the file opened by the last `start`. */
export type PngStreamEvent =
  | { readonly type: 'start' }
  | { readonly type: 'data'; readonly bytes: Uint8Array }
  | { readonly type: 'text'; readonly keyword: string; readonly text: string }
  | { readonly type: 'end' };

/** tEXt chunks larger than this are passed through without being parsed. */
const MAX_TEXT_BYTES = 4096;

type State = 'signature' | 'chunk-header' | 'chunk-data' | 'crc';

/** Incremental splitter; throws TransportError on bytes that are not PNG. */
export class PngSplitter {
  #state: State = 'signature';
  #inFile = false;
  #need = PNG_SIGNATURE.length;
  #sigPos = 0;
  readonly #head = Buffer.alloc(8);
  #headPos = 0;
  #chunkType = '';
  #text: Buffer[] | undefined;

  /** True while a file has started but not ended. */
  get isInFile(): boolean {
    return this.#inFile;
  }

  /** Forget a partial file (discard). */
  reset(): void {
    this.#state = 'signature';
    this.#inFile = false;
    this.#need = PNG_SIGNATURE.length;
    this.#sigPos = 0;
    this.#text = undefined;
  }

  /** Events for `input`, in order. */
  feed(input: Uint8Array): PngStreamEvent[] {
    const events: PngStreamEvent[] = [];
    let fileStart = 0;
    let i = 0;
    while (i < input.length) {
      if (!this.#inFile) {
        this.#inFile = true;
        fileStart = i;
        events.push({ type: 'start' });
      }
      i = this.#step(input, i, events);
      if (!this.#inFile) {
        events.push({ type: 'data', bytes: input.subarray(fileStart, i) }, { type: 'end' });
      }
    }
    if (this.#inFile && fileStart < input.length) {
      events.push({ type: 'data', bytes: input.subarray(fileStart) });
    }
    return events;
  }

  /** Consume bytes from `i` for the current state; returns the new position. */
  #step(input: Uint8Array, i: number, events: PngStreamEvent[]): number {
    switch (this.#state) {
      case 'signature': {
        if (input[i] !== PNG_SIGNATURE[this.#sigPos]) {
          throw new TransportError('disconnected', 'virtual engine received data that is not a PNG file');
        }
        this.#sigPos++;
        if (this.#sigPos === PNG_SIGNATURE.length) this.#enterHeader();
        return i + 1;
      }
      case 'chunk-header': {
        const n = Math.min(8 - this.#headPos, input.length - i);
        this.#head.set(input.subarray(i, i + n), this.#headPos);
        this.#headPos += n;
        if (this.#headPos === 8) {
          this.#need = this.#head.readUInt32BE(0);
          if (this.#need > 0x7fffffff) throw new TransportError('disconnected', 'PNG chunk length out of range');
          this.#chunkType = this.#head.toString('latin1', 4, 8);
          this.#text = this.#chunkType === 'tEXt' && this.#need <= MAX_TEXT_BYTES ? [] : undefined;
          this.#state = 'chunk-data';
        }
        return i + n;
      }
      case 'chunk-data': {
        const n = Math.min(this.#need, input.length - i);
        this.#text?.push(Buffer.from(input.subarray(i, i + n)));
        this.#need -= n;
        if (this.#need === 0) {
          if (this.#text !== undefined) events.push(parseText(Buffer.concat(this.#text)));
          this.#text = undefined;
          this.#state = 'crc';
          this.#need = 4;
        }
        return i + n;
      }
      case 'crc': {
        const n = Math.min(this.#need, input.length - i);
        this.#need -= n;
        if (this.#need === 0) {
          if (this.#chunkType === 'IEND') this.reset();
          else this.#enterHeader();
        }
        return i + n;
      }
      default: {
        const never: never = this.#state;
        throw new TransportError('disconnected', `bad splitter state ${String(never)}`);
      }
    }
  }

  #enterHeader(): void {
    this.#state = 'chunk-header';
    this.#headPos = 0;
  }
}

function parseText(data: Buffer): PngStreamEvent {
  const nul = data.indexOf(0);
  if (nul < 0) return { type: 'text', keyword: data.toString('latin1'), text: '' };
  return { type: 'text', keyword: data.toString('latin1', 0, nul), text: data.toString('latin1', nul + 1) };
}
