// Capabilities as the printer advertises them: the driver's lists with the fallbacks IPP needs when a list is
// empty (one source, one type, one output bin), so attributes, trays, URF and job validation agree.
// SPDX-License-Identifier: Apache-2.0
import type { DriverCapabilities, Sides } from '../../drivers/driver.js';
import type { PwgRasterType } from '../raster/types.js';

/** PWG raster types that carry colour; a monochrome printer does not advertise them. */
const COLOR_RASTER_TYPES: ReadonlySet<PwgRasterType> = new Set(['srgb_8', 'srgb_16', 'adobe-rgb_8', 'cmyk_8']);

/** The advertised lists derived from DriverCapabilities. */
export interface ResolvedCapabilities {
  /** true when print-color-mode-supported contains 'color' (color-supported, DNS-SD Color=T) */
  readonly isColor: boolean;
  /** media-source-supported; ['auto'] when the driver names none */
  readonly sources: readonly string[];
  /** media-type-supported; ['labels'] for label printers, else ['stationery'], when the driver names none */
  readonly types: readonly string[];
  /** output-bin-supported; ['face-down'] when the driver names none */
  readonly outputBins: readonly string[];
  /** sides-supported; ['one-sided'] when the driver names none */
  readonly sides: readonly Sides[];
  /** pwg-raster-document-type-supported (colour types dropped on monochrome printers) */
  readonly rasterTypes: readonly PwgRasterType[];
  /** printer-resolution-supported without duplicates, the driver's default first */
  readonly resolutions: readonly { readonly x: number; readonly y: number }[];
  readonly isDuplex: boolean;
}

const cache = new WeakMap<DriverCapabilities, ResolvedCapabilities>();

/** The advertised capability lists for `caps` (memoized per capabilities object). */
export function resolveCapabilities(caps: DriverCapabilities): ResolvedCapabilities {
  const hit = cache.get(caps);
  if (hit) return hit;
  const isColor = caps.colorModes.includes('color');
  const sides: readonly Sides[] = caps.sides.length > 0 ? caps.sides : ['one-sided'];
  const seen = new Set<string>();
  const resolutions = caps.resolutions.filter((r) => {
    const key = `${r.x}x${r.y}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const resolved: ResolvedCapabilities = {
    isColor,
    sources: caps.media.sources.length > 0 ? caps.media.sources : ['auto'],
    types: caps.media.types.length > 0 ? caps.media.types : [caps.kind.includes('label') ? 'labels' : 'stationery'],
    outputBins: caps.outputBins.length > 0 ? caps.outputBins : ['face-down'],
    sides,
    rasterTypes: isColor ? caps.rasterTypes : caps.rasterTypes.filter((t) => !COLOR_RASTER_TYPES.has(t)),
    resolutions,
    isDuplex: sides.some((s) => s !== 'one-sided'),
  };
  cache.set(caps, resolved);
  return resolved;
}
