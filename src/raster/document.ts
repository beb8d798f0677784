// Reader selection by document-format (MIME type), with content sniffing for application/octet-stream.
// SPDX-License-Identifier: Apache-2.0
import { RasterError } from '../errors.js';
import { readJpeg } from './jpeg.js';
import { readPwgRaster } from './pwg.js';
import { DEFAULT_RASTER_LIMITS, type RasterDocument, type RasterLimits, type RasterPage } from './types.js';
import { readUrf } from './urf.js';

/** Formats readDocument decodes. */
export const RASTER_FORMATS = ['image/pwg-raster', 'image/urf', 'image/jpeg'] as const;

/** Bytes sniffFormat needs to decide. */
export const SNIFF_BYTES = 8;

type Reader = (source: AsyncIterable<Uint8Array>, limits: RasterLimits) => RasterDocument;

const READERS: ReadonlyMap<string, Reader> = new Map<string, Reader>([
  ['image/pwg-raster', readPwgRaster],
  ['image/urf', readUrf],
  ['image/jpeg', readJpeg],
]);

function startsWith(first: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((b, i) => first[i] === b);
}

/** The MIME type of a raster stream from its first bytes (RaS2/2SaR, UNIRAST, FF D8 FF), else undefined. */
export function sniffFormat(first: Uint8Array): string | undefined {
  if (startsWith(first, [0x52, 0x61, 0x53, 0x32]) || startsWith(first, [0x32, 0x53, 0x61, 0x52])) {
    return 'image/pwg-raster';
  }
  if (startsWith(first, [0x55, 0x4e, 0x49, 0x52, 0x41, 0x53, 0x54])) return 'image/urf';
  if (startsWith(first, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  return undefined;
}

/** Pull chunks until `n` bytes are seen; returns them and a stream that replays them before the rest. */
export async function sniffHead(
  source: AsyncIterable<Uint8Array>,
  n: number,
): Promise<{ head: Uint8Array; stream: AsyncIterable<Uint8Array> }> {
  const iterator = source[Symbol.asyncIterator]();
  const seen: Uint8Array[] = [];
  let total = 0;
  let isDone = false;
  while (total < n) {
    const next = await iterator.next();
    if (next.done === true) {
      isDone = true;
      break;
    }
    seen.push(next.value);
    total += next.value.length;
  }
  const head = Buffer.concat(seen, total).subarray(0, n);
  async function* replay(): AsyncGenerator<Uint8Array> {
    try {
      yield* seen;
      if (isDone) return;
      for (;;) {
        const next = await iterator.next();
        if (next.done === true) return;
        yield next.value;
      }
    } finally {
      if (!isDone) await iterator.return?.();
    }
  }
  return { head, stream: replay() };
}

/** Media type without parameters, lower case. */
export function baseType(format: string): string {
  return (format.split(';')[0] ?? '').trim().toLowerCase();
}

async function* sniffedPages(source: AsyncIterable<Uint8Array>, limits: RasterLimits): AsyncGenerator<RasterPage> {
  const { head, stream } = await sniffHead(source, SNIFF_BYTES);
  const format = sniffFormat(head);
  const reader = format === undefined ? undefined : READERS.get(format);
  if (reader === undefined) throw new RasterError('document data is not PWG raster, Apple raster or JPEG');
  yield* reader(stream, limits);
}

/** A document reader chosen by `format` (document-format); 'application/octet-stream' is sniffed. */
export function readDocument(
  format: string,
  source: AsyncIterable<Uint8Array>,
  limits: RasterLimits = DEFAULT_RASTER_LIMITS,
): RasterDocument {
  const type = baseType(format);
  if (type === 'application/octet-stream') {
    return { [Symbol.asyncIterator]: () => sniffedPages(source, limits) };
  }
  const reader = READERS.get(type);
  if (reader === undefined) throw new RasterError(`unsupported document-format ${type}`);
  return reader(source, limits);
}
