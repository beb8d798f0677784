// Job options for driver tests and benches: the stack's defaults for one media, resolution and output bin.
// SPDX-License-Identifier: Apache-2.0
import type { PrintOptions } from '../../drivers/driver.js';

/** PrintOptions as the stack defaults them (monochrome, normal quality, one-sided), for `media` at `dpi`. */
export function printOptions(media: string, dpi: { readonly x: number; readonly y: number }, outputBin: string): PrintOptions {
  return {
    copies: 1,
    media,
    mediaSource: undefined,
    mediaType: undefined,
    printColorMode: 'monochrome',
    printQuality: 4,
    resolution: { x: dpi.x, y: dpi.y },
    sides: 'one-sided',
    outputBin,
    orientation: 3,
    printScaling: 'auto',
    printContentOptimize: 'auto',
    printRenderingIntent: 'auto',
  };
}
