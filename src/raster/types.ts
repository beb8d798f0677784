// Page header and page stream types shared by every raster reader (PWG, URF, JPEG) and every driver.
// SPDX-License-Identifier: Apache-2.0

/** PWG 5102.4 raster type keywords (pwg-raster-document-type-supported). */
export type PwgRasterType = 'black_1' | 'sgray_8' | 'srgb_8' | 'srgb_16' | 'adobe-rgb_8' | 'cmyk_8';

/** Colour space of decoded lines. For 'black' and 'cmyk' 0 means no ink; for the others 0xFF is white. */
export type RasterColorSpace = 'black' | 'sgray' | 'srgb' | 'adobe-rgb' | 'cmyk';

/** What a driver needs to know about one page before its lines arrive. */
export interface RasterPageHeader {
  readonly width: number;
  readonly height: number;
  readonly xDpi: number;
  readonly yDpi: number;
  readonly colorSpace: RasterColorSpace;
  /** 1, 8 or 16 */
  readonly bitsPerColor: number;
  readonly numColors: number;
  readonly bitsPerPixel: number;
  readonly bytesPerLine: number;
  /** PWG media name when the document says it (PageSizeName), else '' */
  readonly pageSizeName: string;
  /** page size in points (1/72 inch) as the document states it; 0 when unknown */
  readonly pageWidthPt: number;
  readonly pageHeightPt: number;
  readonly duplex: boolean;
  readonly tumble: boolean;
  /** 3 draft, 4 normal, 5 high, 0 default */
  readonly printQuality: number;
  /** pages the document says it has, 0 when unknown */
  readonly totalPageCount: number;
}

/** One page: its header, then exactly `header.height` lines of `header.bytesPerLine` bytes. */
export interface RasterPage {
  readonly number: number;
  readonly header: RasterPageHeader;
  /**
   * Lines in order. A yielded buffer is only valid until the next line is pulled and must not be mutated
   * (a repeated line is yielded as the same buffer). Must be consumed fully before the next page is pulled;
   * throws RasterError on broken data.
   */
  lines(): AsyncIterable<Uint8Array>;
  /**
   * The next line when it is at hand without waiting, else undefined (then pull it from lines(), which continues
   * from the same position). Optional fast path for hot loops; same validity rules as lines().
   */
  takeLine?(): Uint8Array | undefined;
  /**
   * Set for image documents (JPEG): the decoded picture as RGB triplets, `header.width` x `header.height`. Such a
   * page is not device raster; the pipeline places it on the job's media (print-scaling) before the driver sees it.
   */
  readonly image?: { readonly rgb: Uint8Array };
}

/** A decoded document: pages pulled one at a time from the byte stream. */
export type RasterDocument = AsyncIterable<RasterPage>;

/** Bounds against hostile documents. */
export interface RasterLimits {
  readonly maxWidth: number;
  readonly maxHeight: number;
  readonly maxBytesPerLine: number;
  /** JPEG is decoded whole: cap its pixel count */
  readonly maxJpegPixels: number;
}

export const DEFAULT_RASTER_LIMITS: RasterLimits = {
  maxWidth: 0xffffff,
  maxHeight: 0xffffff,
  maxBytesPerLine: 16 * 1024 * 1024,
  maxJpegPixels: 64 * 1024 * 1024,
};
