// Capabilities of the built-in virtual engine (a colour office printer), with board-config overrides:
// color (boolean), defaultMedia, mediaReady, resolutions.
// SPDX-License-Identifier: Apache-2.0
import { ConfigError } from '../../src/errors.js';
import type { DriverCapabilities } from '../driver.js';

/** Media the virtual engine can print on (PWG 5101.1 names). */
export const VIRTUAL_MEDIA: readonly string[] = [
  'na_letter_8.5x11in',
  'iso_a4_210x297mm',
  'na_legal_8.5x14in',
  'iso_a5_148x210mm',
  'na_index-4x6_4x6in',
  'na_number-10_4.125x9.5in',
];

const DEFAULT_RESOLUTIONS = [
  { x: 300, y: 300 },
  { x: 150, y: 150 },
];

function strings(value: unknown, pointer: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && VIRTUAL_MEDIA.includes(v))) {
    throw new ConfigError(`${pointer} must list media from ${VIRTUAL_MEDIA.join(', ')}`, { pointer });
  }
  return value as string[];
}

/** A resolution as 300, "300x300", "300dpi" or { x, y }. */
function resolution(value: unknown, pointer: string): { x: number; y: number } {
  if (typeof value === 'number') return resolution({ x: value, y: value }, pointer);
  if (typeof value === 'string') {
    const m = /^(\d+)(?:x(\d+))?(?:dpi)?$/.exec(value);
    if (m !== null) return resolution({ x: Number(m[1]), y: Number(m[2] ?? m[1]) }, pointer);
  }
  if (typeof value === 'object' && value !== null) {
    const { x, y } = value as Record<string, unknown>;
    if (typeof x === 'number' && typeof y === 'number' && [x, y].every((d) => Number.isInteger(d) && d >= 50 && d <= 2400)) {
      return { x, y };
    }
  }
  throw new ConfigError(`${pointer} must be a resolution such as "300x300"`, { pointer });
}

function resolutionsOption(value: unknown): { x: number; y: number }[] {
  if (value === undefined) return DEFAULT_RESOLUTIONS;
  if (!Array.isArray(value) || value.length === 0) {
    throw new ConfigError('/engine/options/resolutions must be a non-empty list', { pointer: '/engine/options/resolutions' });
  }
  return value.map((r, i) => resolution(r, `/engine/options/resolutions/${i}`));
}

/** Capabilities for the given engine options (unknown options are ignored). */
export function virtualCapabilities(options: Readonly<Record<string, unknown>> = {}): DriverCapabilities {
  const color = options['color'];
  if (color !== undefined && typeof color !== 'boolean') {
    throw new ConfigError('/engine/options/color must be true or false', { pointer: '/engine/options/color' });
  }
  const isColor = color !== false;
  const defaultMedia = options['defaultMedia'] ?? 'iso_a4_210x297mm';
  if (typeof defaultMedia !== 'string' || !VIRTUAL_MEDIA.includes(defaultMedia)) {
    throw new ConfigError(`/engine/options/defaultMedia must be one of ${VIRTUAL_MEDIA.join(', ')}`, {
      pointer: '/engine/options/defaultMedia',
    });
  }
  const ready = options['mediaReady'] === undefined ? [defaultMedia] : strings(options['mediaReady'], '/engine/options/mediaReady');
  const resolutions = resolutionsOption(options['resolutions']);
  return {
    makeAndModel: 'ippbridge Virtual Printer',
    deviceId: 'MFG:ippbridge;MDL:Virtual Printer;CMD:PWGRaster,URF,JPEG;CLS:PRINTER;',
    kind: ['document', 'photo', 'envelope', 'postcard'],
    resolutions,
    rasterTypes: isColor ? ['black_1', 'sgray_8', 'srgb_8'] : ['black_1', 'sgray_8'],
    colorModes: isColor ? ['auto', 'monochrome', 'color'] : ['bi-level', 'monochrome'],
    sides: ['one-sided', 'two-sided-long-edge', 'two-sided-short-edge'],
    sheetBack: 'normal',
    media: {
      supported: VIRTUAL_MEDIA,
      default: defaultMedia,
      sources: ['main', 'manual'],
      types: ['stationery', 'photographic'],
      ready,
    },
    margins: { top: 423, bottom: 423, left: 423, right: 423 },
    outputBins: ['face-down'],
    passthroughFormats: [],
    ppm: 20,
    ...(isColor ? { ppmColor: 15 } : {}),
    identifyActions: ['display', 'sound'],
  };
}
