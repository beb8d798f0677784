// Places an image document (JPEG) on the job's media at the printer's resolution, per print-scaling
// (PWG 5100.13 §6.2.x: auto, auto-fit, fill, fit, none). Pure: no I/O.
// SPDX-License-Identifier: Apache-2.0
import { RasterError } from '../errors.js';
import type { RasterPage, RasterPageHeader } from './types.js';

/** The page the image goes on. */
export interface PageFrame {
  /** media size in hundredths of a millimetre */
  readonly width: number;
  readonly length: number;
  readonly xDpi: number;
  readonly yDpi: number;
  readonly pageSizeName: string;
}

/** Images whose aspect ratio is within this fraction of the page's are filled edge to edge under 'auto'. */
const AUTO_FILL_ASPECT_TOLERANCE = 0.1;

/** Scale factor (output px per input px, separately per axis) and offsets for a scaling mode. */
function layout(
  img: { w: number; h: number; xDpi: number; yDpi: number },
  page: { w: number; h: number; xDpi: number; yDpi: number },
  scaling: string,
): { sx: number; sy: number } {
  // Natural size: the image's own resolution mapped onto the printer's.
  const nx = page.xDpi / img.xDpi;
  const ny = page.yDpi / img.yDpi;
  const fitK = Math.min(page.w / (img.w * nx), page.h / (img.h * ny));
  const fillK = Math.max(page.w / (img.w * nx), page.h / (img.h * ny));
  let k: number;
  switch (scaling) {
    case 'none':
      k = 1;
      break;
    case 'fill':
      k = fillK;
      break;
    case 'fit':
      k = fitK;
      break;
    case 'auto-fit':
      k = Math.min(1, fitK);
      break;
    default: {
      // 'auto': fill when the shapes match (a photo on photo paper), else as auto-fit.
      const imgAspect = (img.w * nx) / (img.h * ny);
      const pageAspect = page.w / page.h;
      k = Math.abs(imgAspect / pageAspect - 1) <= AUTO_FILL_ASPECT_TOLERANCE ? fillK : Math.min(1, fitK);
    }
  }
  return { sx: nx * k, sy: ny * k };
}

/**
 * The image page as a device page of the frame's size; lines are generated one at a time (nearest neighbour).
 * `gray` asks for an sGray page (print-color-mode monochrome, or a monochrome engine): Rec. 601 luma.
 */
export function placeImage(page: RasterPage, frame: PageFrame, scaling: string, gray: boolean): RasterPage {
  if (!page.image) return page;
  const rgb = page.image.rgb;
  const src = page.header;
  const width = Math.round((frame.width * frame.xDpi) / 2540);
  const height = Math.round((frame.length * frame.yDpi) / 2540);
  if (width <= 0 || height <= 0) throw new RasterError(`media ${frame.pageSizeName} has no printable size`);
  const channels = gray || src.colorSpace === 'sgray' ? 1 : 3;
  // A landscape picture goes on portrait media turned a quarter (and the reverse), as printers do for photos,
  // unless the client asked for no scaling.
  const rotate = scaling !== 'none' && src.width !== src.height && width !== height && src.width > src.height !== width > height;
  const imgW = rotate ? src.height : src.width;
  const imgH = rotate ? src.width : src.height;
  const imgXDpi = rotate ? src.yDpi : src.xDpi;
  const imgYDpi = rotate ? src.xDpi : src.yDpi;
  const { sx, sy } = layout(
    { w: imgW, h: imgH, xDpi: imgXDpi, yDpi: imgYDpi },
    { w: width, h: height, xDpi: frame.xDpi, yDpi: frame.yDpi },
    scaling,
  );
  const offX = Math.round((width - imgW * sx) / 2);
  const offY = Math.round((height - imgH * sy) / 2);
  // Pixel index in the source = lineBase(y) + column[x]; -1 marks white (outside the picture).
  // Unrotated: (u, v) = (x', y'). Rotated a quarter clockwise: source (u, v) = (y', H - 1 - x').
  const column = new Int32Array(width);
  for (let x = 0; x < width; x++) {
    const c = Math.floor((x - offX) / sx);
    column[x] = c < 0 || c >= imgW ? -1 : rotate ? (src.height - 1 - c) * src.width : c;
  }
  const lineBase = (y: number): number => {
    const r = Math.floor((y - offY) / sy);
    if (r < 0 || r >= imgH) return -1;
    return rotate ? r : r * src.width;
  };
  const header: RasterPageHeader = {
    ...src,
    width,
    height,
    xDpi: frame.xDpi,
    yDpi: frame.yDpi,
    bytesPerLine: width * channels,
    colorSpace: channels === 1 ? 'sgray' : 'srgb',
    numColors: channels,
    bitsPerPixel: channels * 8,
    pageSizeName: frame.pageSizeName,
    pageWidthPt: Math.round((frame.width * 72) / 2540),
    pageHeightPt: Math.round((frame.length * 72) / 2540),
  };
  async function* lines(): AsyncGenerator<Uint8Array> {
    const line = new Uint8Array(width * channels);
    for (let y = 0; y < height; y++) {
      line.fill(0xff);
      const base = lineBase(y);
      if (base >= 0) {
        for (let x = 0; x < width; x++) {
          const c = column[x]!;
          if (c < 0) continue;
          const p = (base + c) * 3;
          if (channels === 1) line[x] = (rgb[p]! * 77 + rgb[p + 1]! * 150 + rgb[p + 2]! * 29) >> 8;
          else {
            const o = x * 3;
            line[o] = rgb[p]!;
            line[o + 1] = rgb[p + 1]!;
            line[o + 2] = rgb[p + 2]!;
          }
        }
      }
      yield line;
    }
  }
  return { number: page.number, header, lines };
}
