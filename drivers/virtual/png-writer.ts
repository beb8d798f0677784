// Streaming PNG encoder for one raster page (PNG spec / ISO 15948): signature, IHDR, tEXt, IDAT as deflate output
// arrives, IEND. Rows use filter type 0 so the pixel values stay exactly those of the raster lines.
// SPDX-License-Identifier: Apache-2.0
import zlib from 'node:zlib';
import { DriverError } from '../../src/errors.js';
import type { RasterPageHeader } from '../../src/raster/types.js';

/** The 8-byte PNG file signature. */
export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** How raster lines become PNG rows. */
export interface PngRowFormat {
  /** 0 grayscale, 2 truecolour */
  readonly colorType: 0 | 2;
  readonly bitDepth: 1 | 8 | 16;
  readonly rowBytes: number;
  /** write the PNG row for `line` into `out` (rowBytes long) */
  readonly convert: (line: Uint8Array, out: Uint8Array) => void;
}

/** One PNG chunk: length, type, data, CRC-32 over type and data. */
export function pngChunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(zlib.crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

const copy = (line: Uint8Array, out: Uint8Array): void => out.set(line.subarray(0, out.length));
const invert = (line: Uint8Array, out: Uint8Array): void => {
  for (let i = 0; i < out.length; i++) out[i] = ~(line[i] ?? 0) & 0xff;
};

/** Naive CMYK -> RGB (R = 1 - min(1, C + K) ...), 8 or 16 bits per sample. */
function cmykToRgb(is16: boolean): (line: Uint8Array, out: Uint8Array) => void {
  if (!is16) {
    return (line, out) => {
      for (let i = 0, o = 0; o < out.length; i += 4, o += 3) {
        const k = line[i + 3] ?? 0;
        out[o] = 255 - Math.min(255, (line[i] ?? 0) + k);
        out[o + 1] = 255 - Math.min(255, (line[i + 1] ?? 0) + k);
        out[o + 2] = 255 - Math.min(255, (line[i + 2] ?? 0) + k);
      }
    };
  }
  return (line, out) => {
    const at = (i: number): number => ((line[i] ?? 0) << 8) | (line[i + 1] ?? 0);
    for (let i = 0, o = 0; o < out.length; i += 8, o += 6) {
      const k = at(i + 6);
      for (let c = 0; c < 3; c++) {
        const v = 65535 - Math.min(65535, at(i + c * 2) + k);
        out[o + c * 2] = v >>> 8;
        out[o + c * 2 + 1] = v & 0xff;
      }
    }
  };
}

/** PNG row format for a page: black -> inverted gray, sgray -> gray, RGB spaces -> RGB, CMYK -> RGB. */
export function pngFormatFor(h: RasterPageHeader): PngRowFormat {
  const depth = h.bitsPerColor;
  if (depth !== 1 && depth !== 8 && depth !== 16) throw new DriverError(`cannot write ${depth}-bit samples to PNG`);
  const grayBytes = Math.ceil((h.width * depth) / 8);
  const rgbBytes = h.width * 3 * (depth / 8);
  switch (h.colorSpace) {
    case 'black':
      // In black a set bit / high value is ink; PNG gray is luminance, so invert (also right for 16-bit).
      return { colorType: 0, bitDepth: depth, rowBytes: grayBytes, convert: invert };
    case 'sgray':
      return { colorType: 0, bitDepth: depth, rowBytes: grayBytes, convert: copy };
    case 'srgb':
    case 'adobe-rgb':
      if (depth === 1) throw new DriverError('1-bit RGB cannot be written to PNG');
      return { colorType: 2, bitDepth: depth, rowBytes: rgbBytes, convert: copy };
    case 'cmyk':
      if (depth === 1) throw new DriverError('1-bit CMYK cannot be written to PNG');
      return { colorType: 2, bitDepth: depth, rowBytes: rgbBytes, convert: cmykToRgb(depth === 16) };
    default: {
      const never: never = h.colorSpace;
      throw new DriverError(`unknown colour space ${String(never)}`);
    }
  }
}

/** Options of one encoder. */
export interface PngEncoderOptions {
  /** raw (filtered) bytes collected before they go to deflate */
  readonly bandBytes: number;
  /** zlib level; low is fast and keeps pixels exact anyway */
  readonly level?: number;
}

/** Encodes one page: `head()` first, then `addLine()` per line, `compressBand()` when it says so, `finish()`. */
export class PngPageEncoder {
  readonly format: PngRowFormat;
  readonly #header: RasterPageHeader;
  readonly #text: Readonly<Record<string, string>>;
  readonly #deflate: zlib.Deflate;
  readonly #band: Buffer;
  #bandUsed = 0;
  #out: Buffer[] = [];
  #error: Error | undefined;

  constructor(header: RasterPageHeader, text: Readonly<Record<string, string>>, options: PngEncoderOptions) {
    this.format = pngFormatFor(header);
    this.#header = header;
    this.#text = text;
    const rowTotal = this.format.rowBytes + 1;
    this.#band = Buffer.alloc(Math.max(rowTotal, Math.floor(options.bandBytes / rowTotal) * rowTotal));
    this.#deflate = zlib.createDeflate({ level: options.level ?? 1, chunkSize: 64 * 1024 });
    this.#deflate.on('data', (chunk: Buffer) => this.#out.push(chunk));
    this.#deflate.on('error', (err: Error) => {
      this.#error = err;
    });
  }

  /** Signature, IHDR and one tEXt chunk per text entry. */
  head(): Buffer {
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(this.#header.width, 0);
    ihdr.writeUInt32BE(this.#header.height, 4);
    ihdr[8] = this.format.bitDepth;
    ihdr[9] = this.format.colorType;
    // compression 0, filter method 0, no interlace
    const text = Object.entries(this.#text).map(([key, value]) =>
      pngChunk('tEXt', Buffer.concat([Buffer.from(key, 'latin1'), Buffer.of(0), Buffer.from(value, 'latin1')])),
    );
    return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr), ...text]);
  }

  /** Append one line (filter byte 0 + converted row); true when the band is full and must be compressed. */
  addLine(line: Uint8Array): boolean {
    const band = this.#band;
    band[this.#bandUsed] = 0;
    this.format.convert(line, band.subarray(this.#bandUsed + 1, this.#bandUsed + 1 + this.format.rowBytes));
    this.#bandUsed += this.format.rowBytes + 1;
    return this.#bandUsed + this.format.rowBytes + 1 > band.length;
  }

  /** Hand the band to deflate and wait until it took it; returns IDAT chunks for the output produced so far. */
  async compressBand(): Promise<Buffer> {
    if (this.#bandUsed > 0) {
      const data = this.#band.subarray(0, this.#bandUsed);
      await new Promise<void>((resolve, reject) => {
        this.#deflate.write(data, (err) => (err ? reject(err) : resolve()));
      }).catch((err: unknown) => {
        throw new DriverError('PNG compression failed', { cause: err });
      });
      this.#bandUsed = 0;
    }
    return this.#takeIdat();
  }

  /** Compress what is left and return the last IDAT chunks plus IEND. */
  async finish(): Promise<Buffer> {
    const rest = await this.compressBand();
    const ended = new Promise<void>((resolve, reject) => {
      this.#deflate.once('end', resolve);
      this.#deflate.once('error', reject);
    });
    this.#deflate.end();
    await ended.catch((err: unknown) => {
      throw new DriverError('PNG compression failed', { cause: err });
    });
    return Buffer.concat([rest, this.#takeIdat(), pngChunk('IEND', new Uint8Array(0))]);
  }

  /** Drop the page (abort). */
  destroy(): void {
    this.#deflate.destroy();
    this.#out = [];
  }

  #takeIdat(): Buffer {
    if (this.#error !== undefined) throw new DriverError('PNG compression failed', { cause: this.#error });
    if (this.#out.length === 0) return Buffer.alloc(0);
    const data = Buffer.concat(this.#out);
    this.#out = [];
    return pngChunk('IDAT', data);
  }
}
