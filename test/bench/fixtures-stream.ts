// A very large PWG raster job for the streaming benchmarks, produced on the fly by cycling the compressed pages of a
// rendered text raster (never held whole in memory), plus the PWG page splitter that finds those pages.
// SPDX-License-Identifier: Apache-2.0
import { readFileSync } from 'node:fs';

/** One compressed page of a PWG raster file: its 1796-byte header and body, and its raw (decoded) size. */
export interface PwgPageSlice {
  readonly header: Uint8Array;
  readonly body: Uint8Array;
  readonly rawBytes: number;
}

const HEADER_BYTES = 1796;

/** End offset of one compressed page body starting at `pos` (PWG 5102.4 §4.3 line groups and runs). */
function bodyEnd(data: Uint8Array, pos: number, height: number, bytesPerLine: number, unit: number): number {
  let y = 0;
  let p = pos;
  while (y < height) {
    const repeat = data[p++];
    if (repeat === undefined) throw new Error('PWG body truncated');
    let filled = 0;
    while (filled < bytesPerLine) {
      const code = data[p++];
      if (code === undefined) throw new Error('PWG body truncated');
      if (code < 128) {
        p += unit;
        filled += (code + 1) * unit;
      } else {
        const n = (257 - code) * unit;
        p += n;
        filled += n;
      }
    }
    y += repeat + 1;
  }
  return p;
}

/** Split a big-endian ('RaS2') PWG raster into its pages. */
export function splitPwgPages(data: Uint8Array): PwgPageSlice[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (String.fromCharCode(...data.subarray(0, 4)) !== 'RaS2') throw new Error('not a big-endian PWG raster');
  const pages: PwgPageSlice[] = [];
  let pos = 4;
  while (pos + HEADER_BYTES <= data.length) {
    const height = view.getUint32(pos + 376);
    const bitsPerPixel = view.getUint32(pos + 388);
    const bytesPerLine = view.getUint32(pos + 392);
    const start = pos + HEADER_BYTES;
    const end = bodyEnd(data, start, height, bytesPerLine, Math.max(1, Math.ceil(bitsPerPixel / 8)));
    pages.push({ header: data.subarray(pos, start), body: data.subarray(start, end), rawBytes: height * bytesPerLine });
    pos = end;
  }
  return pages;
}

/** A streamed job: its size, and a fresh byte stream per call. */
export interface BigJob {
  readonly pages: number;
  readonly rawBytes: number;
  readonly bytes: number;
  readonly description: string;
  /** The document; stops early once `stop()` returns true (checked between chunks). */
  stream(stop?: () => boolean): AsyncGenerator<Uint8Array>;
}

/** A job of at least `rawTarget` decoded bytes made by repeating the pages of the PWG file at `path`. */
export function bigJobFrom(path: string, rawTarget: number, description: string): BigJob {
  const slices = splitPwgPages(readFileSync(path));
  if (slices.length === 0) throw new Error(`${path} has no pages`);
  const order: PwgPageSlice[] = [];
  let rawBytes = 0;
  let bytes = 4;
  while (rawBytes < rawTarget) {
    const s = slices[order.length % slices.length];
    if (s === undefined) break;
    order.push(s);
    rawBytes += s.rawBytes;
    bytes += s.header.length + s.body.length;
  }
  const CHUNK = 256 * 1024;
  return {
    pages: order.length,
    rawBytes,
    bytes,
    description: `${order.length} pages (${Math.round(rawBytes / 1e6)} MB decoded) cycling ${description}`,
    async *stream(stop = () => false) {
      yield Buffer.from('RaS2', 'latin1');
      for (const s of order) {
        if (stop()) return;
        yield s.header;
        for (let i = 0; i < s.body.length; i += CHUNK) {
          if (stop()) return;
          yield s.body.subarray(i, Math.min(s.body.length, i + CHUNK));
        }
      }
    },
  };
}
