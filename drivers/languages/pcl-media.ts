// PCL page size codes (ESC&l#A, HP PCL 5 Technical Reference "Page Size") for PWG 5101.1 media, and the geometry of
// the raster area a PCL engine prints on a sheet.
// SPDX-License-Identifier: Apache-2.0
import type { RasterPageHeader } from '../../src/raster/types.js';
import { HUNDREDTHS_PER_INCH, MEDIA_SIZE_TOLERANCE, parseMediaSize, type MediaSize } from '../../src/printer/media.js';

interface PageSizeCode {
  readonly code: number;
  /** portrait width x length, hundredths of mm */
  readonly width: number;
  readonly length: number;
}

const inch = (n: number): number => Math.round(n * HUNDREDTHS_PER_INCH);
const mm = (n: number): number => Math.round(n * 100);

/** ESC&l#A values by paper size. */
const PAGE_SIZE_CODES: readonly PageSizeCode[] = [
  { code: 1, width: inch(7.25), length: inch(10.5) }, // executive
  { code: 2, width: inch(8.5), length: inch(11) }, // letter
  { code: 3, width: inch(8.5), length: inch(14) }, // legal
  { code: 6, width: inch(11), length: inch(17) }, // ledger / tabloid
  { code: 24, width: mm(105), length: mm(148) }, // A6
  { code: 25, width: mm(148), length: mm(210) }, // A5
  { code: 26, width: mm(210), length: mm(297) }, // A4
  { code: 27, width: mm(297), length: mm(420) }, // A3
  { code: 45, width: mm(182), length: mm(257) }, // JIS B5
  { code: 46, width: mm(257), length: mm(364) }, // JIS B4
  { code: 71, width: mm(100), length: mm(148) }, // hagaki
  { code: 72, width: mm(148), length: mm(200) }, // oufuku-hagaki
  { code: 80, width: inch(3.875), length: inch(7.5) }, // monarch envelope
  { code: 81, width: inch(4.125), length: inch(9.5) }, // number 10 envelope
  { code: 90, width: mm(110), length: mm(220) }, // DL envelope
  { code: 91, width: mm(162), length: mm(229) }, // C5 envelope
  { code: 100, width: mm(176), length: mm(250) }, // B5 envelope
];

/** The ESC&l#A code for a media size, or undefined when PCL has no code for it. */
export function pageSizeCode(size: MediaSize): number | undefined {
  const near = (a: number, b: number): boolean => Math.abs(a - b) <= MEDIA_SIZE_TOLERANCE;
  return PAGE_SIZE_CODES.find((p) => near(p.width, size.width) && near(p.length, size.length))?.code;
}

/** Left/right distance from the paper edge to where PCL raster can start (the logical page edge): 1/4 inch. */
export const PCL_SIDE_MARGIN_INCH = 0.25;
/** Top/bottom unprintable band of a PCL laser: 1/6 inch. */
export const PCL_END_MARGIN_INCH = 1 / 6;

/** The printable raster area of a sheet at dpi, in dots, and the raster's top offset in decipoints. */
export interface PclArea {
  readonly widthDots: number;
  readonly heightDots: number;
  /** ESC&a#V value: top of the raster below the top of the logical page (1/720 inch) */
  readonly topDecipoints: number;
}

/** Raster area of a sheet of `size` at `dpi`. */
export function pclArea(size: MediaSize, dpi: number): PclArea {
  const dots = (hundredths: number): number => Math.floor((hundredths * dpi) / HUNDREDTHS_PER_INCH);
  const side = Math.round(PCL_SIDE_MARGIN_INCH * dpi);
  const end = Math.round(PCL_END_MARGIN_INCH * dpi);
  return {
    widthDots: Math.max(8, dots(size.width) - 2 * side),
    heightDots: Math.max(8, dots(size.length) - 2 * end),
    topDecipoints: Math.round(PCL_END_MARGIN_INCH * 720),
  };
}

/** The media a page is printed on: the page's own size when the engine has it, else the job's media. */
export function pageMedia(header: RasterPageHeader, jobMedia: string, supported: readonly string[]): { name: string; size: MediaSize } {
  const near = (a: MediaSize, b: MediaSize): boolean =>
    Math.abs(a.width - b.width) <= MEDIA_SIZE_TOLERANCE && Math.abs(a.length - b.length) <= MEDIA_SIZE_TOLERANCE;
  const fromPoints = (w: number, l: number): MediaSize | undefined =>
    w > 0 && l > 0 ? { width: Math.round((w * HUNDREDTHS_PER_INCH) / 72), length: Math.round((l * HUNDREDTHS_PER_INCH) / 72) } : undefined;
  const pageSize = parseMediaSize(header.pageSizeName) ?? fromPoints(header.pageWidthPt, header.pageHeightPt);
  if (pageSize) {
    const match = supported.find((n) => {
      const s = parseMediaSize(n);
      return s !== undefined && near(s, pageSize);
    });
    if (match !== undefined) return { name: match, size: parseMediaSize(match) as MediaSize };
  }
  const job = parseMediaSize(jobMedia);
  if (job && supported.includes(jobMedia)) return { name: jobMedia, size: job };
  const first = supported[0] ?? 'na_letter_8.5x11in';
  return { name: first, size: parseMediaSize(first) ?? { width: inch(8.5), length: inch(11) } };
}
