// Test helper: a RasterPageHeader for a PWG raster type keyword, as the raster readers would produce it.
// SPDX-License-Identifier: Apache-2.0
import type { PwgRasterType, RasterColorSpace, RasterPageHeader } from '../../../src/raster/types.js';
import { TYPE_INFO, bytesPerLine } from '../../support/raster-writer.js';

const SPACES: Readonly<Record<PwgRasterType, RasterColorSpace>> = {
  black_1: 'black',
  sgray_8: 'sgray',
  srgb_8: 'srgb',
  srgb_16: 'srgb',
  'adobe-rgb_8': 'adobe-rgb',
  cmyk_8: 'cmyk',
};

/** Header of a `type` page of width x height pixels at xDpi x yDpi. */
export function headerFor(
  type: PwgRasterType,
  width: number,
  height: number,
  xDpi = 600,
  yDpi = xDpi,
  extra: Partial<RasterPageHeader> = {},
): RasterPageHeader {
  const info = TYPE_INFO[type];
  return {
    width,
    height,
    xDpi,
    yDpi,
    colorSpace: SPACES[type],
    bitsPerColor: info.bitsPerColor,
    numColors: info.numColors,
    bitsPerPixel: info.bitsPerColor * info.numColors,
    bytesPerLine: bytesPerLine(type, width),
    pageSizeName: '',
    pageWidthPt: Math.round((width * 72) / xDpi),
    pageHeightPt: Math.round((height * 72) / yDpi),
    duplex: false,
    tumble: false,
    printQuality: 0,
    totalPageCount: 1,
    ...extra,
  };
}

/** Count of set bits in a buffer. */
export function popcount(buf: Uint8Array): number {
  let n = 0;
  for (const b of buf) {
    let v = b;
    while (v !== 0) {
      n += v & 1;
      v >>= 1;
    }
  }
  return n;
}
