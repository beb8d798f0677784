// Generated sample documents for ipptool suites, e2e tests and benchmarks: the pwg-raster-samples-<res>dpi tree
// that ipp-everywhere.test names, JPEGs, and minimal PDF/PostScript files. Cached under os.tmpdir() per version.
// SPDX-License-Identifier: Apache-2.0
import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import type { PwgRasterType } from '../../src/raster/types.js';
import { bytesPerLine, encodePwgRasterStream, seededRandom, type StreamPage } from './raster-writer.js';

/** Bump when the generated content changes, so stale caches are not reused. */
export const SAMPLES_VERSION = 'v1';

/** Media the samples use: PWG self-describing name and size in inches. */
export const SAMPLE_MEDIA = {
  a4: { name: 'iso_a4_210x297mm', widthIn: 210 / 25.4, heightIn: 297 / 25.4 },
  letter: { name: 'na_letter_8.5x11in', widthIn: 8.5, heightIn: 11 },
  '4x6': { name: 'na_index-4x6_4x6in', widthIn: 4, heightIn: 6 },
} as const;
/** A key of SAMPLE_MEDIA. */
export type SampleMedia = keyof typeof SAMPLE_MEDIA;

/** Resolutions of the pwg-raster-samples tree (as ipp-everywhere.test names them). */
export const SAMPLE_RESOLUTIONS = [150, 180, 300, 360, 600, 720] as const;
/** Raster types of the tree; other combinations are tiny one-page files, never sent to our printer. */
export const SAMPLE_TYPES: readonly PwgRasterType[] = ['black_1', 'sgray_8', 'srgb_8', 'srgb_16', 'cmyk_8'];
/** Resolutions our printer advertises: these get real full-size pages. */
export const FULL_RESOLUTIONS: readonly number[] = [150, 300];
/** Types our printer advertises: these get real full-size pages. */
export const FULL_TYPES: readonly PwgRasterType[] = ['black_1', 'sgray_8', 'srgb_8'];

/** Sample names: page content, media and page count. */
const NAMES = {
  'onepage-a4': { media: 'a4', pages: 1, photo: false },
  'onepage-letter': { media: 'letter', pages: 1, photo: false },
  'document-a4': { media: 'a4', pages: 3, photo: false },
  'document-letter': { media: 'letter', pages: 3, photo: false },
  'color.jpg-4x6': { media: '4x6', pages: 1, photo: true },
  'gray.jpg-4x6': { media: '4x6', pages: 1, photo: true },
} as const satisfies Record<string, { media: SampleMedia; pages: number; photo: boolean }>;

type Rgb = Uint8Array;

/** Relative path of one raster sample, as ipp-everywhere.test spells it. */
export function samplePath(name: keyof typeof NAMES, dpi: number, type: PwgRasterType): string {
  const t = type.replace('_', '-');
  return join(`pwg-raster-samples-${dpi}dpi`, t, `${name}-${t}-${dpi}dpi.pwg`);
}

function fillSpan(row: Rgb, x0: number, x1: number, r: number, g: number, b: number): void {
  for (let x = Math.max(0, x0); x < Math.min(x1, row.length / 3); x++) {
    row[x * 3] = r;
    row[x * 3 + 1] = g;
    row[x * 3 + 2] = b;
  }
}

const BAYER4 = [0, 8, 2, 10, 12, 4, 14, 6, 3, 11, 1, 9, 15, 7, 13, 5];

/** Convert one RGB row to the raw bytes of `type` (PWG polarity); y selects the dither row for black_1. */
export function convertRow(rgb: Rgb, type: PwgRasterType, y: number): Uint8Array {
  const width = rgb.length / 3;
  const out = new Uint8Array(bytesPerLine(type, width));
  for (let x = 0; x < width; x++) {
    const r = rgb[x * 3] ?? 255;
    const g = rgb[x * 3 + 1] ?? 255;
    const b = rgb[x * 3 + 2] ?? 255;
    const lum = (r * 77 + g * 150 + b * 29) >> 8;
    switch (type) {
      case 'black_1': {
        const threshold = ((BAYER4[(y % 4) * 4 + (x % 4)] ?? 0) * 255 + 128) / 16;
        if (lum < threshold) out[x >> 3] = (out[x >> 3] ?? 0) | (0x80 >> (x & 7));
        break;
      }
      case 'sgray_8':
        out[x] = lum;
        break;
      case 'srgb_8':
      case 'adobe-rgb_8':
        out.set([r, g, b], x * 3);
        break;
      case 'srgb_16':
        out.set([r, r, g, g, b, b], x * 6);
        break;
      case 'cmyk_8': {
        const k = 255 - Math.max(r, g, b);
        out.set([255 - r - k, 255 - g - k, 255 - b - k, k], x * 4);
        break;
      }
      default: {
        const never: never = type;
        throw new Error(`unknown type ${String(never)}`);
      }
    }
  }
  return out;
}

/** Text-like layout: for each y, a row key and a painter (rows with equal keys are identical). */
function documentPainter(width: number, height: number, dpi: number, pageNo: number, seed: number) {
  const inch = (v: number): number => Math.round(v * dpi);
  const margin = inch(0.5);
  const pitch = Math.max(4, inch(0.18));
  const glyph = Math.max(3, inch(0.11));
  const textTop = inch(1.0);
  const gradTop = height - inch(2.6);
  const vgradTop = height - inch(1.4);
  const footTop = height - inch(0.45);
  const rand = seededRandom(seed);
  // Each text line: letter boxes [x0, x1, kind] where kind 0 x-height, 1 ascender, 2 descender.
  const lines: Array<Array<[number, number, number]>> = [];
  for (let y = textTop; y + pitch < gradTop; y += pitch) {
    const letters: Array<[number, number, number]> = [];
    const isBreak = lines.length % 7 === 6;
    const end = lines.length % 7 === 5 ? width - margin - inch(2 + rand() * 3) : width - margin;
    for (let x = margin; !isBreak && x < end; ) {
      const word = inch(0.15 + rand() * 0.6);
      for (let lx = x; lx < Math.min(x + word, end); lx += inch(0.07)) {
        letters.push([lx, lx + Math.max(1, inch(0.055)), rand() < 0.25 ? 1 : rand() < 0.15 ? 2 : 0]);
      }
      x += word + inch(0.07);
    }
    lines.push(letters);
  }
  return (y: number): { key: string; paint: (row: Rgb) => void } => {
    if (y >= inch(0.5) && y < inch(0.8)) {
      return { key: 'title', paint: (row) => fillSpan(row, margin, width - margin - inch(1.5), 20, 40, 120) };
    }
    if (y >= textTop && y < gradTop) {
      const li = Math.floor((y - textTop) / pitch);
      const dy = (y - textTop) % pitch;
      const letters = lines[li];
      if (!letters || dy >= glyph) return { key: 'white', paint: () => undefined };
      const band = dy < glyph / 3 ? 1 : dy < (2 * glyph) / 3 ? 0 : 2;
      return {
        key: `t${li}.${band}`,
        paint: (row) => {
          for (const [x0, x1, kind] of letters) if (band === 0 || kind === band) fillSpan(row, x0, x1, 0, 0, 0);
        },
      };
    }
    if (y >= gradTop + inch(0.1) && y < vgradTop - inch(0.1)) {
      return {
        key: 'hgrad',
        paint: (row) => {
          const span = width - 2 * margin;
          for (let x = margin; x < width - margin; x++) {
            const v = Math.round(((x - margin) * 255) / span);
            fillSpan(row, x, x + 1, v, 255 - v, (v * 2) & 255);
          }
        },
      };
    }
    if (y >= vgradTop && y < footTop - inch(0.1)) {
      const v = Math.round(((y - vgradTop) * 255) / Math.max(1, footTop - vgradTop));
      return { key: `v${v}`, paint: (row) => fillSpan(row, margin, width - margin, 255 - v, v, 128) };
    }
    if (y >= footTop && y < footTop + inch(0.15)) {
      return {
        key: 'foot',
        paint: (row) => {
          for (let i = 0; i < pageNo; i++) fillSpan(row, margin + i * inch(0.3), margin + i * inch(0.3) + inch(0.2), 0, 0, 0);
        },
      };
    }
    return { key: 'white', paint: () => undefined };
  };
}

/** Photo-like content: a smooth two-dimensional colour field. */
function photoPainter(width: number, height: number, isGray: boolean) {
  return (y: number): { key: string; paint: (row: Rgb) => void } => ({
    key: `p${y}`,
    paint: (row) => {
      for (let x = 0; x < width; x++) {
        const r = Math.round((x * 255) / width);
        const g = Math.round((y * 255) / height);
        const b = 255 - ((r + g) >> 1);
        const v = isGray ? (r * 77 + g * 150 + b * 29) >> 8 : -1;
        fillSpan(row, x, x + 1, v < 0 ? r : v, v < 0 ? g : v, v < 0 ? b : v);
      }
    },
  });
}

/** Options for generated pages. */
export interface PageSpec {
  readonly type: PwgRasterType;
  readonly dpi: number;
  readonly media: SampleMedia;
  readonly pages: number;
  /** photo-like content instead of a text document */
  readonly photo?: boolean;
  readonly isGray?: boolean;
  readonly seed?: number;
  /** override the pixel size (tiny samples); the page size name stays the media's */
  readonly widthPx?: number;
  readonly heightPx?: number;
}

/** Pages with rows generated on demand (identical rows are produced once per page and reused). */
export function generatePages(spec: PageSpec): StreamPage[] {
  const media = SAMPLE_MEDIA[spec.media];
  const width = spec.widthPx ?? Math.round(media.widthIn * spec.dpi);
  const height = spec.heightPx ?? Math.round(media.heightIn * spec.dpi);
  const out: StreamPage[] = [];
  for (let p = 1; p <= spec.pages; p++) {
    const painter =
      spec.photo === true
        ? photoPainter(width, height, spec.isGray === true)
        : documentPainter(width, height, spec.dpi, p, (spec.seed ?? 1) * 1000 + p);
    const cache = new Map<string, Uint8Array>();
    const page = { width, height, type: spec.type, xDpi: spec.dpi, yDpi: spec.dpi, pageSizeName: media.name };
    out.push({
      page,
      row: (y) => {
        const { key, paint } = painter(y);
        const full = spec.type === 'black_1' ? `${key}@${y % 4}` : key;
        let row = cache.get(full);
        if (!row) {
          const rgb = new Uint8Array(width * 3).fill(255);
          paint(rgb);
          row = convertRow(rgb, spec.type, y);
          if (cache.size > 4096) cache.clear();
          cache.set(full, row);
        }
        return row;
      },
    });
  }
  return out;
}

/** Stream-encode pages to a PWG raster file; returns its size in bytes. */
export function writePwgFile(path: string, pages: StreamPage[]): number {
  const fd = openSync(path, 'w');
  let size = 0;
  try {
    for (const chunk of encodePwgRasterStream(pages)) size += writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
  return size;
}

/** A baseline JPEG of 4x6 aspect (400x600), colour or gray. */
export function sampleJpeg(isGray: boolean): Buffer {
  const width = 400;
  const height = 600;
  const data = Buffer.alloc(width * height * 4, 255);
  const paint = photoPainter(width, height, isGray);
  const rgb = new Uint8Array(width * 3);
  for (let y = 0; y < height; y++) {
    paint(y).paint(rgb);
    for (let x = 0; x < width; x++) data.set(rgb.subarray(x * 3, x * 3 + 3), (y * width + x) * 4);
  }
  return jpeg.encode({ data, width, height }, 85).data;
}

/** A minimal one-page PDF with the given MediaBox (points), with a correct xref table. */
export function samplePdf(widthPt: number, heightPt: number): Buffer {
  const content = 'BT /F1 24 Tf 72 720 Td (ippbridge test page) Tj ET';
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${widthPt} ${heightPt}] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>`,
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((obj, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${obj}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) body += `${String(off).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** A minimal one-page PostScript document. */
export function samplePs(widthPt: number, heightPt: number): Buffer {
  return Buffer.from(
    `%!PS-Adobe-3.0\n%%BoundingBox: 0 0 ${widthPt} ${heightPt}\n%%Pages: 1\n%%EndComments\n%%Page: 1 1\n` +
      `<< /PageSize [${widthPt} ${heightPt}] >> setpagedevice\n/Helvetica findfont 24 scalefont setfont\n` +
      `72 720 moveto (ippbridge test page) show\nshowpage\n%%EOF\n`,
    'latin1',
  );
}

function generateInto(dir: string): void {
  for (const dpi of SAMPLE_RESOLUTIONS) {
    for (const type of SAMPLE_TYPES) {
      const isFull = FULL_RESOLUTIONS.includes(dpi) && FULL_TYPES.includes(type);
      mkdirSync(join(dir, `pwg-raster-samples-${dpi}dpi`, type.replace('_', '-')), { recursive: true });
      for (const [name, info] of Object.entries(NAMES) as Array<[keyof typeof NAMES, (typeof NAMES)[keyof typeof NAMES]]>) {
        const spec: PageSpec = isFull
          ? { type, dpi, media: info.media, pages: info.pages, photo: info.photo, isGray: name.startsWith('gray') }
          : { type, dpi, media: info.media, pages: 1, photo: info.photo, widthPx: 64, heightPx: 96 };
        writePwgFile(join(dir, samplePath(name, dpi, type)), generatePages(spec));
      }
    }
  }
  writeFileSync(join(dir, 'color.jpg'), sampleJpeg(false));
  writeFileSync(join(dir, 'gray.jpg'), sampleJpeg(true));
  writeFileSync(join(dir, 'document-a4.pdf'), samplePdf(595, 842));
  writeFileSync(join(dir, 'document-letter.pdf'), samplePdf(612, 792));
  writeFileSync(join(dir, 'document-a4.ps'), samplePs(595, 842));
  writeFileSync(join(dir, 'document-letter.ps'), samplePs(612, 792));
}

let cached: string | undefined;

/** Directory holding every sample (generated on first use, then reused across processes). */
export function samplesDir(): string {
  if (cached !== undefined) return cached;
  const dir = join(tmpdir(), `ippbridge-samples-${SAMPLES_VERSION}`);
  if (!existsSync(join(dir, '.complete'))) {
    // Build aside and rename, so parallel test processes never see a half-written tree.
    const work = `${dir}.tmp-${process.pid}-${Date.now()}`;
    generateInto(work);
    writeFileSync(join(work, '.complete'), SAMPLES_VERSION);
    try {
      renameSync(work, dir);
    } catch (err) {
      rmSync(work, { recursive: true, force: true });
      if (!existsSync(join(dir, '.complete'))) throw err;
    }
  }
  cached = dir;
  return dir;
}
