// A minimal PWG raster writer (PWG 5102.4) for pages drawn in code: one 8-bit sgray page, lines produced on demand,
// compressed with the line-repeat byte and PackBits-style runs, so a full page never sits in memory.
// SPDX-License-Identifier: Apache-2.0

/** PWG page header size. */
const HEADER_BYTES = 1796;
/** cupsColorSpace sgray (PWG 5102.4 §4.3.2.3). */
const COLOR_SPACE_SGRAY = 18;
/** Chunks are handed out at about this size. */
const CHUNK_BYTES = 64 * 1024;

/** A gray page: `drawLine(y, line)` fills `line` (width bytes, 0xFF white, preset to white) for row y. */
export interface GrayPage {
  readonly width: number;
  readonly height: number;
  readonly dpi: number;
  /** PWG media name (PageSizeName) */
  readonly media: string;
  drawLine(y: number, line: Uint8Array): void;
}

function putString(buf: Buffer, offset: number, text: string): void {
  buf.write(text.slice(0, 63), offset, 'latin1');
}

/** The 1796-byte page header (big endian) for a one-page 8-bit sgray document. */
export function pwgGrayHeader(page: GrayPage): Buffer {
  const h = Buffer.alloc(HEADER_BYTES);
  putString(h, 0, 'PwgRaster');
  h.writeUInt32BE(page.dpi, 276);
  h.writeUInt32BE(page.dpi, 280);
  h.writeUInt32BE(1, 340); // NumCopies
  h.writeUInt32BE(Math.round((page.width * 72) / page.dpi), 352); // PageSize in points
  h.writeUInt32BE(Math.round((page.height * 72) / page.dpi), 356);
  h.writeUInt32BE(page.width, 372);
  h.writeUInt32BE(page.height, 376);
  h.writeUInt32BE(8, 384); // BitsPerColor
  h.writeUInt32BE(8, 388); // BitsPerPixel
  h.writeUInt32BE(page.width, 392); // BytesPerLine
  h.writeUInt32BE(0, 396); // ColorOrder chunky
  h.writeUInt32BE(COLOR_SPACE_SGRAY, 400);
  h.writeUInt32BE(1, 420); // NumColors
  h.writeUInt32BE(1, 452); // TotalPageCount
  h.writeUInt32BE(1, 456); // CrossFeedTransform
  h.writeUInt32BE(1, 460); // FeedTransform
  putString(h, 1668, 'relative');
  putString(h, 1732, page.media);
  return h;
}

/** One line's runs without the repeat byte: 0..127 = next byte n+1 times, 129..255 = 257-n literal bytes. */
export function packLine(line: Uint8Array): Buffer {
  const out: number[] = [];
  let i = 0;
  while (i < line.length) {
    let run = 1;
    while (i + run < line.length && run < 128 && line[i + run] === line[i]) run++;
    if (run >= 2 || i + 1 === line.length) {
      out.push(run - 1, line[i] ?? 0xff);
      i += run;
      continue;
    }
    // Literal bytes up to the next pair of equal ones.
    let n = 1;
    while (i + n < line.length && n < 128 && !(i + n + 1 < line.length && line[i + n] === line[i + n + 1])) n++;
    if (n === 1) {
      out.push(0, line[i] ?? 0xff);
    } else {
      out.push(257 - n);
      for (let k = 0; k < n; k++) out.push(line[i + k] ?? 0xff);
    }
    i += n;
  }
  return Buffer.from(out);
}

/** The whole document: 'RaS2', the header, then the compressed lines, in chunks of about 64 KiB. */
export function* encodeGrayPage(page: GrayPage): Generator<Buffer> {
  yield Buffer.concat([Buffer.from('RaS2', 'latin1'), pwgGrayHeader(page)]);
  let pending: Buffer[] = [];
  let size = 0;
  let current = new Uint8Array(page.width);
  let next = new Uint8Array(page.width);
  current.fill(0xff);
  page.drawLine(0, current);
  const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.compare(a, b) === 0;
  for (let y = 0; y < page.height; ) {
    // Count identical following lines (at most 256 lines per record); `next` ends up holding the first different one.
    let repeat = 0;
    let hasNext = false;
    while (y + repeat + 1 < page.height) {
      next.fill(0xff);
      page.drawLine(y + repeat + 1, next);
      if (repeat < 255 && same(next, current)) {
        repeat++;
        continue;
      }
      hasNext = true;
      break;
    }
    const record = Buffer.concat([Buffer.from([repeat]), packLine(current)]);
    pending.push(record);
    size += record.length;
    y += repeat + 1;
    if (hasNext) [current, next] = [next, current];
    if (size >= CHUNK_BYTES) {
      yield Buffer.concat(pending);
      pending = [];
      size = 0;
    }
  }
  if (pending.length > 0) yield Buffer.concat(pending);
}
