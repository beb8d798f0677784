// Tiny PNG decoder for tests (non-interlaced gray/RGB): checks CRCs, reads tEXt, inflates and unfilters rows.
// SPDX-License-Identifier: Apache-2.0
import zlib from 'node:zlib';

/** A decoded PNG: raw unfiltered rows (big-endian samples, bit-packed for depth < 8). */
export interface DecodedPng {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  text: Record<string, string>;
  rowBytes: number;
  pixels: Buffer;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Decode a whole PNG file; throws Error on anything malformed. */
export function readPng(file: Uint8Array): DecodedPng {
  const buf = Buffer.from(file);
  if (!buf.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG');
  let pos = 8;
  const idat: Buffer[] = [];
  const text: Record<string, string> = {};
  let ihdr: Buffer | undefined;
  let ended = false;
  while (pos < buf.length) {
    const length = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + length);
    const crc = buf.readUInt32BE(pos + 8 + length);
    if (zlib.crc32(buf.subarray(pos + 4, pos + 8 + length)) !== crc) throw new Error(`bad CRC in ${type}`);
    pos += 12 + length;
    if (type === 'IHDR') ihdr = data;
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'tEXt') {
      const nul = data.indexOf(0);
      text[data.toString('latin1', 0, nul)] = data.toString('latin1', nul + 1);
    } else if (type === 'IEND') {
      ended = true;
      break;
    }
  }
  if (ihdr === undefined || !ended || pos !== buf.length) throw new Error('PNG structure broken');
  const width = ihdr.readUInt32BE(0);
  const height = ihdr.readUInt32BE(4);
  const bitDepth = ihdr[8]!;
  const colorType = ihdr[9]!;
  if (ihdr[12] !== 0) throw new Error('interlaced PNG not supported');
  const channels = colorType === 2 ? 3 : colorType === 0 ? 1 : 0;
  if (channels === 0) throw new Error(`colour type ${colorType} not supported`);
  const rowBytes = Math.ceil((width * channels * bitDepth) / 8);
  const bpp = Math.max(1, (channels * bitDepth) / 8);
  const raw = zlib.inflateSync(Buffer.concat(idat));
  if (raw.length !== height * (rowBytes + 1)) throw new Error(`IDAT has ${raw.length} bytes`);
  const pixels = Buffer.alloc(height * rowBytes);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (rowBytes + 1)]!;
    const src = raw.subarray(y * (rowBytes + 1) + 1, (y + 1) * (rowBytes + 1));
    const out = pixels.subarray(y * rowBytes, (y + 1) * rowBytes);
    const prev = y > 0 ? pixels.subarray((y - 1) * rowBytes, y * rowBytes) : Buffer.alloc(rowBytes);
    for (let i = 0; i < rowBytes; i++) {
      const a = i >= bpp ? out[i - bpp]! : 0;
      const b = prev[i]!;
      const c = i >= bpp ? prev[i - bpp]! : 0;
      const x = src[i]!;
      const predictor = [0, a, b, (a + b) >> 1, paeth(a, b, c)][filter];
      if (predictor === undefined) throw new Error(`filter ${filter}`);
      out[i] = (x + predictor) & 0xff;
    }
  }
  return { width, height, bitDepth, colorType, text, rowBytes, pixels };
}
