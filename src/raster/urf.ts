// Streaming Apple raster (UNIRAST, image/urf) reader: 12-byte file header, 32-byte page headers, PWG line codec.
// Layout per raster-and-engines.md §2.
// SPDX-License-Identifier: Apache-2.0
import { RasterError } from '../errors.js';
import { ByteSource } from './byte-source.js';
import { streamPages } from './page-lines.js';
import {
  DEFAULT_RASTER_LIMITS,
  type RasterColorSpace,
  type RasterDocument,
  type RasterLimits,
  type RasterPage,
  type RasterPageHeader,
} from './types.js';

/** Bytes of the file header ('UNIRAST' NUL + page count) and of each page header. */
export const URF_FILE_HEADER_BYTES = 12;
export const URF_PAGE_HEADER_BYTES = 32;

/** URF colour space byte -> our colour space and colour count. CIELab (2) is not supported. */
const URF_SPACES: ReadonlyMap<number, { space: RasterColorSpace; colors: number }> = new Map([
  [0, { space: 'sgray', colors: 1 }],
  [1, { space: 'srgb', colors: 3 }],
  [3, { space: 'adobe-rgb', colors: 3 }],
  // Device spaces are read as their standard counterparts (same polarity).
  [4, { space: 'sgray', colors: 1 }],
  [5, { space: 'srgb', colors: 3 }],
  [6, { space: 'cmyk', colors: 4 }],
]);

/** Decode and validate one 32-byte URF page header. */
export function parseUrfHeader(bytes: Uint8Array, totalPageCount: number, limits: RasterLimits): RasterPageHeader {
  if (bytes.length !== URF_PAGE_HEADER_BYTES) throw new RasterError('truncated URF page header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bitsPerPixel = bytes[0] ?? 0;
  const spaceCode = bytes[1] ?? 0;
  const duplexCode = bytes[2] ?? 0;
  const quality = bytes[3] ?? 0;
  const width = view.getUint32(12);
  const height = view.getUint32(16);
  const dpi = view.getUint32(20);

  const cs = URF_SPACES.get(spaceCode);
  if (cs === undefined) throw new RasterError(`unsupported URF colour space ${spaceCode}`);
  const bitsPerColor = bitsPerPixel / cs.colors;
  if (bitsPerColor !== 8 && bitsPerColor !== 16) {
    throw new RasterError(`unsupported URF bits per pixel ${bitsPerPixel} for colour space ${spaceCode}`);
  }
  if (width === 0 || height === 0) throw new RasterError(`page size ${width}x${height} is empty`);
  if (width > limits.maxWidth || height > limits.maxHeight) {
    throw new RasterError(`page size ${width}x${height} exceeds the limit`, 'ERR_RASTER_LIMIT');
  }
  if (dpi === 0) throw new RasterError('URF resolution is zero');
  const bytesPerLine = (width * bitsPerPixel) / 8;
  if (bytesPerLine > limits.maxBytesPerLine) {
    throw new RasterError(`line of ${bytesPerLine} bytes exceeds the limit`, 'ERR_RASTER_LIMIT');
  }
  return {
    width,
    height,
    xDpi: dpi,
    yDpi: dpi,
    colorSpace: cs.space,
    bitsPerColor,
    numColors: cs.colors,
    bitsPerPixel,
    bytesPerLine,
    pageSizeName: '',
    pageWidthPt: Math.round((width * 72) / dpi),
    pageHeightPt: Math.round((height * 72) / dpi),
    // 1 one-sided, 2 two-sided short edge (tumble), 3 two-sided long edge.
    duplex: duplexCode === 2 || duplexCode === 3,
    tumble: duplexCode === 2,
    printQuality: quality >= 3 && quality <= 5 ? quality : 0,
    totalPageCount,
  };
}

async function* urfPages(source: AsyncIterable<Uint8Array>, limits: RasterLimits): AsyncGenerator<RasterPage> {
  const src = new ByteSource(source);
  const head = await src.read(URF_FILE_HEADER_BYTES);
  const magic = Buffer.from(head.subarray(0, 8)).toString('latin1');
  if (head.length < URF_FILE_HEADER_BYTES || magic !== 'UNIRAST\0') {
    await src.close();
    throw new RasterError(head.length === 0 ? 'URF stream is empty' : 'missing UNIRAST file header');
  }
  const pageCount = new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(8);
  yield* streamPages(
    src,
    async (s, pageNumber) => {
      // A known page count ends the document even if bytes follow; otherwise a clean end of stream does.
      if (pageCount > 0 && pageNumber > pageCount) return undefined;
      const bytes = await s.read(URF_PAGE_HEADER_BYTES);
      if (bytes.length === 0) return undefined;
      return parseUrfHeader(bytes, pageCount, limits);
    },
    () => false,
  );
}

/** Read an Apple raster (UNIRAST) stream page by page; errors surface as RasterError while iterating. */
export function readUrf(source: AsyncIterable<Uint8Array>, limits: RasterLimits = DEFAULT_RASTER_LIMITS): RasterDocument {
  return { [Symbol.asyncIterator]: () => urfPages(source, limits) };
}
