// Streaming PWG raster reader (PWG 5102.4): sync word, then per page a 1796-byte header and compressed lines.
// Accepts the byte-swapped '2SaR' variant as CUPS does. Validations per raster-and-engines.md §1.
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

/** Size of one PWG / CUPS v2 page header. */
export const PWG_HEADER_BYTES = 1796;

/** 'RaS2' and its byte-swapped form. */
const SYNC_BE = 0x52615332;
const SYNC_LE = 0x32536152;

/** cupsColorSpace values we decode -> colour space and number of colours (others are rejected). */
const COLOR_SPACES: ReadonlyMap<number, { space: RasterColorSpace; colors: number }> = new Map([
  // 0 W (device gray) and 1 RGB (device RGB) are read as their standard counterparts.
  [0, { space: 'sgray', colors: 1 }],
  [1, { space: 'srgb', colors: 3 }],
  [3, { space: 'black', colors: 1 }],
  [6, { space: 'cmyk', colors: 4 }],
  [18, { space: 'sgray', colors: 1 }],
  [19, { space: 'srgb', colors: 3 }],
  [20, { space: 'adobe-rgb', colors: 3 }],
]);

function cString(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  const raw = Buffer.from(bytes.subarray(0, end < 0 ? bytes.length : end)).toString('latin1');
  // Keep only printable ASCII: the name goes to logs and attribute values.
  return /^[\x21-\x7e]*$/.test(raw) ? raw : '';
}

/** Decode and validate one page header; throws RasterError for anything that makes decoding ambiguous. */
export function parsePwgHeader(bytes: Uint8Array, isSwapped: boolean, limits: RasterLimits): RasterPageHeader {
  if (bytes.length !== PWG_HEADER_BYTES) throw new RasterError('truncated PWG raster page header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u32 = (offset: number): number => view.getUint32(offset, isSwapped);
  const width = u32(372);
  const height = u32(376);
  const xDpi = u32(276);
  const yDpi = u32(280);
  const bitsPerColor = u32(384);
  const bitsPerPixel = u32(388);
  const bytesPerLine = u32(392);
  const colorOrder = u32(396);
  const colorSpace = u32(400);
  const numColors = u32(420);

  // Sizes: zero is malformed, oversized is a limit.
  if (width === 0 || height === 0) throw new RasterError(`page size ${width}x${height} is empty`);
  if (width > limits.maxWidth || height > limits.maxHeight) {
    throw new RasterError(`page size ${width}x${height} exceeds the limit`, 'ERR_RASTER_LIMIT');
  }
  if (xDpi === 0 || yDpi === 0) throw new RasterError('HWResolution is zero');
  // Pixel layout.
  const cs = COLOR_SPACES.get(colorSpace);
  if (cs === undefined) throw new RasterError(`unsupported ColorSpace ${colorSpace}`);
  if (colorOrder !== 0) throw new RasterError(`unsupported ColorOrder ${colorOrder} (only chunky)`);
  if (numColors !== cs.colors) throw new RasterError(`NumColors ${numColors} does not fit ColorSpace ${colorSpace}`);
  const isBitsOk = bitsPerColor === 8 || bitsPerColor === 16 || (bitsPerColor === 1 && numColors === 1);
  if (!isBitsOk) throw new RasterError(`unsupported BitsPerColor ${bitsPerColor} with ${numColors} colours`);
  if (bitsPerPixel !== bitsPerColor * numColors) throw new RasterError(`BitsPerPixel ${bitsPerPixel} is inconsistent`);
  const expected = Math.ceil((width * bitsPerPixel) / 8);
  if (expected > limits.maxBytesPerLine) {
    throw new RasterError(`line of ${expected} bytes exceeds the limit`, 'ERR_RASTER_LIMIT');
  }
  if (bytesPerLine !== expected) throw new RasterError(`BytesPerLine ${bytesPerLine} should be ${expected}`);

  return {
    width,
    height,
    xDpi,
    yDpi,
    colorSpace: cs.space,
    bitsPerColor,
    numColors,
    bitsPerPixel,
    bytesPerLine,
    pageSizeName: cString(bytes.subarray(1732, 1796)),
    pageWidthPt: u32(352),
    pageHeightPt: u32(356),
    duplex: u32(272) !== 0,
    tumble: u32(368) !== 0,
    printQuality: u32(484),
    totalPageCount: u32(452),
  };
}

async function* pwgPages(source: AsyncIterable<Uint8Array>, limits: RasterLimits): AsyncGenerator<RasterPage> {
  const src = new ByteSource(source);
  const sync = await src.read(4);
  const word = sync.length === 4 ? new DataView(sync.buffer, sync.byteOffset, 4).getUint32(0, false) : -1;
  if (word !== SYNC_BE && word !== SYNC_LE) {
    await src.close();
    throw new RasterError(sync.length < 4 ? 'PWG raster stream is empty' : 'missing PWG raster sync word RaS2');
  }
  const isSwapped = word === SYNC_LE;
  yield* streamPages(
    src,
    async (s) => {
      const bytes = await s.read(PWG_HEADER_BYTES);
      if (bytes.length === 0) return undefined;
      return parsePwgHeader(bytes, isSwapped, limits);
    },
    (h) => isSwapped && h.bitsPerColor === 16,
  );
}

/** Read a PWG raster stream page by page (PWG 5102.4); errors surface as RasterError while iterating. */
export function readPwgRaster(
  source: AsyncIterable<Uint8Array>,
  limits: RasterLimits = DEFAULT_RASTER_LIMITS,
): RasterDocument {
  return { [Symbol.asyncIterator]: () => pwgPages(source, limits) };
}
