// ZPL driver settings from the board config's engine.options, and the label printer's capabilities.
// SPDX-License-Identifier: Apache-2.0
import { ConfigError } from '../../src/errors.js';
import { isMediaRangeBound, parseMediaSize } from '../../src/printer/media.js';
import type { DriverCapabilities } from '../driver.js';
import {
  COMMON_OPTION_KEYS,
  integerOption,
  keywordOption,
  mediaListOption,
  optionPointer,
  rejectUnknownOptions,
  resolutionOption,
  stringOption,
} from './escpos-zpl-options.js';

/** How the engine finds the top of a label: gap (web) sensing, black mark, or none (continuous). */
export type ZplMediaTracking = 'gap' | 'mark' | 'continuous';

/** Validated ZPL settings. */
export interface ZplSettings {
  readonly capabilities: DriverCapabilities;
  readonly xDpi: number;
  readonly yDpi: number;
  /** printhead width in dots */
  readonly headDots: number;
  /** ~SD darkness 0-30, undefined = keep the printer's setting */
  readonly darkness: number | undefined;
  /** ^PR print speed in inches per second, undefined = keep the printer's setting */
  readonly printSpeed: number | undefined;
  /** ^MN, undefined = keep the printer's setting */
  readonly mediaTracking: ZplMediaTracking | undefined;
}

const OPTION_KEYS = [...COMMON_OPTION_KEYS, 'width-dots', 'darkness', 'print-speed', 'media-tracking'];
const RESOLUTIONS = [203, 300, 600];
/** 4.09 in printheads: 832 dots at 203 dpi, 1248 at 300, 2496 at 600. */
const DEFAULT_HEAD_DOTS: Readonly<Record<number, number>> = { 203: 832, 300: 1248, 600: 2496 };

/** Common label sizes in inches (width x length), largest first. */
const LABELS: readonly (readonly [number, number])[] = [
  [4, 6],
  [4, 4],
  [4, 3],
  [4, 2],
  [4, 1],
  [3, 2],
  [3, 1],
  [2.25, 1.25],
  [2, 1],
  [1.5, 1],
];

function labelName(w: number, h: number): string {
  return w === 4 && h === 6 ? 'na_index-4x6_4x6in' : `oe_${w}x${h}-label_${w}x${h}in`;
}

/** Labels that fit a head of `headIn` inches, plus the roll's custom size range. */
function defaultMedia(headIn: number): string[] {
  const fits = LABELS.filter(([w]) => w <= headIn + 0.01).map(([w, h]) => labelName(w, h));
  const maxWidth = Math.floor(headIn * 100) / 100;
  return [...fits, `roll_max_${maxWidth}x39.6in`, 'roll_min_0.75x0.25in'];
}

/** Parse and check engine.options for the ZPL driver. */
export function zplSettings(options: Readonly<Record<string, unknown>>): ZplSettings {
  rejectUnknownOptions(options, OPTION_KEYS, 'zpl');
  const res = resolutionOption(options, RESOLUTIONS) ?? { x: 203, y: 203 };
  const headDots = integerOption(options, 'width-dots', 8, 0xffff) ?? DEFAULT_HEAD_DOTS[res.x] ?? 832;
  const media = mediaListOption(options, 'media', true) ?? defaultMedia(headDots / res.x);
  const first = media.find((m) => isMediaRangeBound(m) === undefined);
  if (first === undefined) {
    throw new ConfigError(`${optionPointer('media')} must name at least one label size besides ranges`, { pointer: optionPointer('media') });
  }
  const tracking = keywordOption(options, 'media-tracking', ['gap', 'mark', 'continuous'] as const);
  const ready = mediaListOption(options, 'media-ready', false) ?? [first];
  const capabilities: DriverCapabilities = {
    makeAndModel: stringOption(options, 'make-and-model') ?? 'Generic ZPL Label Printer',
    deviceId: stringOption(options, 'device-id') ?? 'MFG:Generic;MDL:ZPL Label Printer;CMD:ZPL;CLS:PRINTER;',
    kind: tracking === 'continuous' ? ['label', 'roll'] : ['label'],
    resolutions: [{ x: res.x, y: res.y }],
    rasterTypes: ['black_1', 'sgray_8', 'srgb_8'],
    colorModes: ['monochrome', 'bi-level'],
    sides: ['one-sided'],
    media: {
      supported: media,
      default: first,
      sources: ['main-roll'],
      types: [tracking === 'continuous' ? 'continuous' : 'labels'],
      ready,
    },
    margins: { top: 0, bottom: 0, left: 0, right: 0 },
    outputBins: ['face-up'],
    passthroughFormats: [],
    ppm: integerOption(options, 'ppm', 1, 1000) ?? 30,
    identifyActions: [],
  };
  return {
    capabilities,
    xDpi: res.x,
    yDpi: res.y,
    headDots,
    darkness: integerOption(options, 'darkness', 0, 30),
    printSpeed: integerOption(options, 'print-speed', 1, 14),
    mediaTracking: tracking,
  };
}

/** The label size of a media name in dots at the given resolution (undefined when the name is not self-describing). */
export function labelDots(media: string, xDpi: number, yDpi: number): { width: number; length: number } | undefined {
  const size = parseMediaSize(media);
  if (size === undefined) return undefined;
  return { width: Math.round((size.width * xDpi) / 2540), length: Math.round((size.length * yDpi) / 2540) };
}
