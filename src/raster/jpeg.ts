// JPEG reader (image/jpeg): collects the file, checks its SOF size against the limits, decodes it with jpeg-js and
// presents it as one page (gray JPEG -> sgray 8-bit, colour -> srgb 8-bit).
// SPDX-License-Identifier: Apache-2.0
import jpeg from 'jpeg-js';
import { RasterError } from '../errors.js';
import { DEFAULT_RASTER_LIMITS, type RasterDocument, type RasterLimits, type RasterPage, type RasterPageHeader } from './types.js';

/** Largest JPEG file we collect in memory. */
export const MAX_JPEG_BYTES = 64 * 1024 * 1024;
/** Resolution assumed when the JFIF header gives none in dpi or dots per cm. */
export const DEFAULT_JPEG_DPI = 300;

/** What the markers before the scan say. */
export interface JpegInfo {
  readonly width: number;
  readonly height: number;
  readonly components: number;
  /** dpi from JFIF density; undefined when absent or only an aspect ratio */
  readonly xDpi: number | undefined;
  readonly yDpi: number | undefined;
}

function isSofMarker(m: number): boolean {
  return m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
}

/** Walk the marker segments up to the first SOF (ITU T.81 §B.2) without decoding anything. */
export function scanJpeg(data: Uint8Array): JpegInfo {
  const u16 = (at: number): number => ((data[at] ?? 0) << 8) | (data[at + 1] ?? 0);
  if (data[0] !== 0xff || data[1] !== 0xd8) throw new RasterError('JPEG data does not start with SOI');
  let xDpi: number | undefined;
  let yDpi: number | undefined;
  let pos = 2;
  while (pos + 4 <= data.length) {
    if (data[pos] !== 0xff) throw new RasterError(`JPEG marker expected at byte ${pos}`);
    const marker = data[pos + 1] ?? 0;
    if (marker === 0xff) {
      pos++; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      pos += 2;
      continue;
    }
    const length = u16(pos + 2);
    const body = pos + 4;
    if (length < 2 || pos + 2 + length > data.length) throw new RasterError('JPEG marker segment is truncated');
    if (marker === 0xe0 && length >= 14 && Buffer.from(data.subarray(body, body + 5)).toString('latin1') === 'JFIF\0') {
      // JFIF density: units 1 = dots per inch, 2 = dots per cm (converted); 0 = aspect ratio only.
      const units = data[body + 7] ?? 0;
      const dx = u16(body + 8);
      const dy = u16(body + 10);
      if (dx > 0 && dy > 0 && (units === 1 || units === 2)) {
        xDpi = units === 1 ? dx : Math.round(dx * 2.54);
        yDpi = units === 1 ? dy : Math.round(dy * 2.54);
      }
    }
    if (isSofMarker(marker)) {
      if (length < 8) throw new RasterError('JPEG SOF segment is truncated');
      return { height: u16(body + 1), width: u16(body + 3), components: data[body + 5] ?? 0, xDpi, yDpi };
    }
    if (marker === 0xd9 || marker === 0xda) break;
    pos += 2 + length;
  }
  throw new RasterError('JPEG has no frame header (SOF)');
}

async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of source) {
    total += chunk.length;
    if (total > MAX_JPEG_BYTES) throw new RasterError(`JPEG larger than ${MAX_JPEG_BYTES} bytes`, 'ERR_RASTER_LIMIT');
    parts.push(chunk);
  }
  return Buffer.concat(parts, total);
}

function checkLimits(info: JpegInfo, limits: RasterLimits): void {
  if (info.width === 0 || info.height === 0) throw new RasterError(`JPEG size ${info.width}x${info.height} is empty`);
  if (info.components !== 1 && info.components !== 3 && info.components !== 4) {
    throw new RasterError(`JPEG with ${info.components} components is not supported`);
  }
  const pixels = info.width * info.height;
  if (pixels > limits.maxJpegPixels || info.width > limits.maxWidth || info.height > limits.maxHeight) {
    throw new RasterError(`JPEG size ${info.width}x${info.height} exceeds the limit`, 'ERR_RASTER_LIMIT');
  }
  if (info.width * 3 > limits.maxBytesPerLine) throw new RasterError('JPEG line exceeds the limit', 'ERR_RASTER_LIMIT');
}

function decodePixels(data: Buffer, info: JpegInfo): Uint8Array {
  const pixels = info.width * info.height;
  try {
    const image = jpeg.decode(data, {
      useTArray: true,
      formatAsRGBA: false,
      maxResolutionInMP: Math.ceil(pixels / 1e6) + 1,
      // Output (3 bytes) plus component planes and progressive coefficients stay well under 16 bytes a pixel.
      maxMemoryUsageInMB: Math.ceil((pixels * 16) / (1024 * 1024)) + 32,
    });
    if (image.width !== info.width || image.height !== info.height) {
      throw new RasterError('JPEG decoded size differs from its frame header');
    }
    return image.data;
  } catch (err) {
    if (err instanceof RasterError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new RasterError(`JPEG decoding failed: ${message}`);
  }
}

async function* jpegPages(source: AsyncIterable<Uint8Array>, limits: RasterLimits): AsyncGenerator<RasterPage> {
  const data = await collect(source);
  if (data.length === 0) throw new RasterError('JPEG stream is empty');
  const info = scanJpeg(data);
  checkLimits(info, limits);
  const rgb = decodePixels(data, info);
  const isGray = info.components === 1;
  // Without a JFIF density in dpi (or dpcm) the image is taken as 300 dpi, the usual photo print resolution.
  const xDpi = info.xDpi ?? DEFAULT_JPEG_DPI;
  const yDpi = info.yDpi ?? DEFAULT_JPEG_DPI;
  const header: RasterPageHeader = {
    width: info.width,
    height: info.height,
    xDpi,
    yDpi,
    colorSpace: isGray ? 'sgray' : 'srgb',
    bitsPerColor: 8,
    numColors: isGray ? 1 : 3,
    bitsPerPixel: isGray ? 8 : 24,
    bytesPerLine: isGray ? info.width : info.width * 3,
    pageSizeName: '',
    pageWidthPt: Math.round((info.width * 72) / xDpi),
    pageHeightPt: Math.round((info.height * 72) / yDpi),
    duplex: false,
    tumble: false,
    printQuality: 0,
    totalPageCount: 1,
  };
  yield { number: 1, header, lines: () => jpegLines(rgb, header, isGray), image: { rgb } };
}

async function* jpegLines(rgb: Uint8Array, header: RasterPageHeader, isGray: boolean): AsyncGenerator<Uint8Array> {
  const stride = header.width * 3;
  const gray = isGray ? new Uint8Array(header.width) : undefined;
  for (let y = 0; y < header.height; y++) {
    const row = rgb.subarray(y * stride, (y + 1) * stride);
    if (gray === undefined) {
      yield row;
      continue;
    }
    // jpeg-js writes gray images as R = G = B.
    for (let x = 0; x < header.width; x++) gray[x] = row[x * 3] ?? 0;
    yield gray;
  }
}

/** Read a JPEG file as a one-page document; everything wrong with it surfaces as RasterError. */
export function readJpeg(source: AsyncIterable<Uint8Array>, limits: RasterLimits = DEFAULT_RASTER_LIMITS): RasterDocument {
  return { [Symbol.asyncIterator]: () => jpegPages(source, limits) };
}
