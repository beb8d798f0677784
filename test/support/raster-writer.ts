// Test-only PWG raster (PWG 5102.4) and Apple raster (UNIRAST) encoders with a real line-repeat + run compressor.
// Pages come from pixel buffers or from row callbacks, so huge documents can be generated in bounded memory.
// SPDX-License-Identifier: Apache-2.0
import type { PwgRasterType } from '../../src/raster/types.js';

/** One test page: raw chunky pixels in PWG polarity (0xFF white for gray/RGB, 0x00 white for black/CMYK). */
export interface TestPage {
  width: number;
  height: number;
  type: PwgRasterType;
  xDpi: number;
  yDpi: number;
  pageSizeName?: string;
  duplex?: boolean;
  tumble?: boolean;
  printQuality?: number;
  /** height * bytesPerLine raw bytes */
  pixels: Uint8Array;
}

/** A page whose rows are produced on demand; row(y) must return bytesPerLine bytes. */
export interface StreamPage {
  page: Omit<TestPage, 'pixels'>;
  row: (y: number) => Uint8Array;
}

/** Encoder options; `byteSwapped` writes the little-endian 2SaR variant CUPS readers accept. */
export interface PwgWriteOptions {
  byteSwapped?: boolean;
}

interface TypeInfo {
  readonly colorSpace: number;
  readonly urfColorSpace: number;
  readonly bitsPerColor: number;
  readonly numColors: number;
  readonly whiteByte: number;
}

/** PWG 5102.4 type keyword -> header values (ColorSpace 3 black, 18 sGray, 19 sRGB, 20 AdobeRGB, 6 CMYK). */
export const TYPE_INFO: Readonly<Record<PwgRasterType, TypeInfo>> = {
  black_1: { colorSpace: 3, urfColorSpace: -1, bitsPerColor: 1, numColors: 1, whiteByte: 0x00 },
  sgray_8: { colorSpace: 18, urfColorSpace: 0, bitsPerColor: 8, numColors: 1, whiteByte: 0xff },
  srgb_8: { colorSpace: 19, urfColorSpace: 1, bitsPerColor: 8, numColors: 3, whiteByte: 0xff },
  srgb_16: { colorSpace: 19, urfColorSpace: 1, bitsPerColor: 16, numColors: 3, whiteByte: 0xff },
  'adobe-rgb_8': { colorSpace: 20, urfColorSpace: 3, bitsPerColor: 8, numColors: 3, whiteByte: 0xff },
  cmyk_8: { colorSpace: 6, urfColorSpace: 6, bitsPerColor: 8, numColors: 4, whiteByte: 0x00 },
};

/** Bytes in one raw line: ceil(width * bitsPerPixel / 8). */
export function bytesPerLine(type: PwgRasterType, width: number): number {
  const info = TYPE_INFO[type];
  return Math.ceil((width * info.bitsPerColor * info.numColors) / 8);
}

/** Bytes in one compression unit (ceil(bitsPerPixel / 8)). */
export function unitBytes(type: PwgRasterType): number {
  const info = TYPE_INFO[type];
  return Math.max(1, (info.bitsPerColor * info.numColors) / 8);
}

function putString(buf: Buffer, offset: number, value: string): void {
  buf.write(value.slice(0, 63), offset, 'latin1');
}

/** One 1796-byte page header with PWG 5102.4 field values (big-endian unless byteSwapped). */
export function pwgHeader(page: Omit<TestPage, 'pixels'>, totalPages: number, opts: PwgWriteOptions = {}): Buffer {
  const info = TYPE_INFO[page.type];
  const h = Buffer.alloc(1796);
  const u32 = (offset: number, value: number): void => {
    if (opts.byteSwapped === true) h.writeUInt32LE(value >>> 0, offset);
    else h.writeUInt32BE(value >>> 0, offset);
  };
  putString(h, 0, 'PwgRaster');
  u32(272, page.duplex === true ? 1 : 0);
  u32(276, page.xDpi);
  u32(280, page.yDpi);
  u32(352, Math.round((page.width * 72) / page.xDpi));
  u32(356, Math.round((page.height * 72) / page.yDpi));
  u32(368, page.tumble === true ? 1 : 0);
  u32(372, page.width);
  u32(376, page.height);
  u32(384, info.bitsPerColor);
  u32(388, info.bitsPerColor * info.numColors);
  u32(392, bytesPerLine(page.type, page.width));
  u32(396, 0);
  u32(400, info.colorSpace);
  u32(420, info.numColors);
  // Integer[16]: TotalPageCount, CrossFeedTransform, FeedTransform, ImageBox l/t/r/b, AlternatePrimary, PrintQuality.
  u32(452, totalPages);
  u32(456, 1);
  u32(460, 1);
  u32(464, 0);
  u32(468, 0);
  u32(472, page.width);
  u32(476, page.height);
  u32(480, 0);
  u32(484, page.printQuality ?? 0);
  putString(h, 1732, page.pageSizeName ?? '');
  return h;
}

/**
 * Compress one line as PWG runs: c 0..127 = next unit repeated c+1 times, c 129..255 = 257-c literal units.
 * With `whiteFill` (URF) a white tail is written as the single code 128.
 */
export function encodeLineRuns(line: Uint8Array, unit: number, whiteFill?: number): Buffer {
  const units = Math.ceil(line.length / unit);
  const out: number[] = [];
  const same = (a: number, b: number): boolean => {
    for (let k = 0; k < unit; k++) if (line[a * unit + k] !== line[b * unit + k]) return false;
    return true;
  };
  const push = (u: number, n: number): void => {
    for (let k = 0; k < n * unit; k++) out.push(line[u * unit + k] ?? 0);
  };
  // White tail start (only used with whiteFill; needs at least two units to be worth the code).
  let tail = units;
  if (whiteFill !== undefined) {
    let b = line.length;
    while (b > 0 && line[b - 1] === whiteFill) b--;
    tail = Math.ceil(b / unit);
    if (units - tail < 2) tail = units;
  }
  let i = 0;
  while (i < tail) {
    let run = 1;
    while (i + run < tail && run < 128 && same(i, i + run)) run++;
    if (run >= 2) {
      out.push(run - 1);
      push(i, 1);
      i += run;
      continue;
    }
    let lit = 1;
    while (i + lit < tail && lit < 128 && !(i + lit + 1 < tail && same(i + lit, i + lit + 1))) lit++;
    out.push(lit === 1 ? 0 : 257 - lit);
    push(i, lit);
    i += lit;
  }
  if (tail < units) out.push(128);
  return Buffer.from(out);
}

function swap16(line: Uint8Array): Uint8Array {
  const copy = Buffer.from(line);
  copy.swap16();
  return copy;
}

/** Compressed page body: line groups (repeat byte + runs), flushed in ~64 KiB buffers. */
function* encodePageBody(sp: StreamPage, whiteFill: number | undefined, isSwapped16: boolean): Generator<Buffer> {
  const { page } = sp;
  const unit = unitBytes(page.type);
  const bpl = bytesPerLine(page.type, page.width);
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let prev: Buffer | undefined;
  let count = 0;
  const flushGroup = (): void => {
    if (prev === undefined) return;
    const data = isSwapped16 ? swap16(prev) : prev;
    const runs = encodeLineRuns(data, unit, whiteFill);
    pending.push(Buffer.of(count - 1), runs);
    pendingBytes += runs.length + 1;
  };
  for (let y = 0; y < page.height; y++) {
    const row = sp.row(y);
    if (row.length !== bpl) throw new Error(`row ${y} has ${row.length} bytes, expected ${bpl}`);
    if (prev !== undefined && count < 256 && Buffer.compare(prev, row) === 0) {
      count++;
      continue;
    }
    flushGroup();
    prev = Buffer.from(row);
    count = 1;
    if (pendingBytes >= 65536) {
      yield Buffer.concat(pending);
      pending = [];
      pendingBytes = 0;
    }
  }
  flushGroup();
  if (pending.length > 0) yield Buffer.concat(pending);
}

function rowsOf(page: TestPage): StreamPage {
  const bpl = bytesPerLine(page.type, page.width);
  if (page.pixels.length !== bpl * page.height) {
    throw new Error(`pixels has ${page.pixels.length} bytes, expected ${bpl * page.height}`);
  }
  return { page, row: (y) => page.pixels.subarray(y * bpl, (y + 1) * bpl) };
}

/** Streaming PWG raster encoder: 'RaS2' (or '2SaR'), then header + compressed body per page. */
export function* encodePwgRasterStream(pages: Iterable<StreamPage>, opts: PwgWriteOptions = {}): Generator<Buffer> {
  const list = [...pages];
  yield Buffer.from(opts.byteSwapped === true ? '2SaR' : 'RaS2', 'latin1');
  for (const sp of list) {
    yield pwgHeader(sp.page, list.length, opts);
    const swapped16 = opts.byteSwapped === true && TYPE_INFO[sp.page.type].bitsPerColor === 16;
    yield* encodePageBody(sp, undefined, swapped16);
  }
}

/** Whole PWG raster document in one buffer. */
export function encodePwgRaster(pages: readonly TestPage[], opts: PwgWriteOptions = {}): Buffer {
  return Buffer.concat([...encodePwgRasterStream(pages.map(rowsOf), opts)]);
}

/** 32-byte URF page header (sgray_8 / srgb_8 only; one resolution for both axes). */
export function urfPageHeader(page: Omit<TestPage, 'pixels'>): Buffer {
  const info = TYPE_INFO[page.type];
  if ((page.type !== 'sgray_8' && page.type !== 'srgb_8') || page.xDpi !== page.yDpi) {
    throw new Error(`URF writer supports sgray_8/srgb_8 with square resolution, got ${page.type}`);
  }
  const h = Buffer.alloc(32);
  h[0] = info.bitsPerColor * info.numColors;
  h[1] = info.urfColorSpace;
  h[2] = page.duplex === true ? (page.tumble === true ? 2 : 3) : 1;
  h[3] = page.printQuality ?? 0;
  h.writeUInt32BE(page.width, 12);
  h.writeUInt32BE(page.height, 16);
  h.writeUInt32BE(page.xDpi, 20);
  return h;
}

/** Streaming UNIRAST encoder; white tails become the fill-to-white code 128 as Apple clients write them. */
export function* encodeUrfStream(pages: Iterable<StreamPage>): Generator<Buffer> {
  const list = [...pages];
  const file = Buffer.alloc(12);
  file.write('UNIRAST', 0, 'latin1');
  file.writeUInt32BE(list.length, 8);
  yield file;
  for (const sp of list) {
    yield urfPageHeader(sp.page);
    yield* encodePageBody(sp, 0xff, false);
  }
}

/** Whole URF document in one buffer. */
export function encodeUrf(pages: readonly TestPage[]): Buffer {
  return Buffer.concat([...encodeUrfStream(pages.map(rowsOf))]);
}

/** Split a buffer into an async stream of chunks of `size` bytes (1 = byte at a time). */
export async function* chunked(data: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, Math.min(data.length, i + size));
}

/** Deterministic PRNG (mulberry32) for random page content. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
