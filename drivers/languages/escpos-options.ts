// ESC/POS driver settings from the board config's engine.options, and the receipt printer's capabilities.
// SPDX-License-Identifier: Apache-2.0
import { ConfigError } from '../../src/errors.js';
import { isMediaRangeBound, parseMediaSize } from '../../src/printer/media.js';
import type { DriverCapabilities } from '../driver.js';
import type { EscposCutKind } from './escpos-commands.js';
import {
  booleanOption,
  COMMON_OPTION_KEYS,
  integerOption,
  keywordOption,
  mediaListOption,
  optionPointer,
  rejectUnknownOptions,
  resolutionOption,
  stringOption,
} from './escpos-zpl-options.js';

/** When the cutter runs: after every page, once after the job, or never. */
export type EscposCutWhen = 'page' | 'job' | 'none';

/** Validated ESC/POS settings. */
export interface EscposSettings {
  readonly capabilities: DriverCapabilities;
  readonly xDpi: number;
  readonly yDpi: number;
  /** printable width in dots */
  readonly widthDots: number;
  readonly cut: EscposCutWhen;
  readonly cutKind: EscposCutKind;
  /** motion units fed past the cutting position before the cut */
  readonly cutFeed: number;
  /** most rows in one GS v 0 band */
  readonly bandRows: number;
  /** most data bytes in one GS v 0 band (receipt printers have small receive buffers) */
  readonly bandBytes: number;
  /** drop blank rows at the top and bottom of each page */
  readonly isTrimmed: boolean;
}

const OPTION_KEYS = [...COMMON_OPTION_KEYS, 'width-dots', 'cut', 'cut-kind', 'cut-feed', 'band-rows', 'band-bytes', 'trim-blank-rows'];
const RESOLUTIONS = [203, 180];
/** Widest raster these engines take (112 mm heads at 203 dpi are about 900 dots). */
const MAX_WIDTH_DOTS = 2048;
/** Roll length bound in the media range names (mm). */
const MAX_ROLL_LENGTH_MM = 3276;

/** Default media for a roll of `paperMm`: a receipt size plus the roll's custom size range. */
function defaultMedia(paperMm: number): string[] {
  const receipt = paperMm <= 58 ? 'oe_2.25-receipt_58x1000mm' : 'oe_3.125-receipt_80x1000mm';
  return [receipt, `roll_max_${paperMm}x${MAX_ROLL_LENGTH_MM}mm`, `roll_min_${paperMm}x10mm`];
}

/** Paper roll width for a printable width: 58 mm rolls up to 52 mm printable, else 80 mm. */
function paperWidthMm(printableMm: number): number {
  return printableMm <= 52 ? 58 : 80;
}

/** Parse and check engine.options for the ESC/POS driver. */
export function escposSettings(options: Readonly<Record<string, unknown>>): EscposSettings {
  rejectUnknownOptions(options, OPTION_KEYS, 'escpos');
  const res = resolutionOption(options, RESOLUTIONS) ?? { x: 203, y: 203 };
  const widthDots = integerOption(options, 'width-dots', 8, MAX_WIDTH_DOTS) ?? (res.x === 180 ? 512 : 576);
  const printable = (widthDots * 2540) / res.x;
  const paperMm = paperWidthMm(printable / 100);
  const media = mediaListOption(options, 'media', true) ?? defaultMedia(paperMm);
  const sizes = media.filter((m) => isMediaRangeBound(m) === undefined);
  const first = sizes[0];
  if (first === undefined) {
    throw new ConfigError(`${optionPointer('media')} must name at least one media size besides ranges`, { pointer: optionPointer('media') });
  }
  const ready = mediaListOption(options, 'media-ready', false) ?? [first];
  const mediaWidth = parseMediaSize(first)?.width ?? paperMm * 100;
  const side = Math.max(0, Math.round((mediaWidth - printable) / 2));
  const ppm = integerOption(options, 'ppm', 1, 1000) ?? 60;
  const capabilities: DriverCapabilities = {
    makeAndModel: stringOption(options, 'make-and-model') ?? 'Generic ESC/POS Receipt Printer',
    deviceId: stringOption(options, 'device-id') ?? 'MFG:Generic;MDL:ESC/POS Receipt Printer;CMD:ESCPOS;CLS:PRINTER;',
    kind: ['receipt', 'roll'],
    resolutions: [{ x: res.x, y: res.y }],
    rasterTypes: ['black_1', 'sgray_8', 'srgb_8'],
    colorModes: ['monochrome', 'bi-level'],
    sides: ['one-sided'],
    media: { supported: media, default: first, sources: ['main-roll'], types: ['continuous'], ready },
    margins: { top: 0, bottom: 0, left: side, right: side },
    outputBins: ['face-up'],
    passthroughFormats: [],
    ppm,
    identifyActions: [],
  };
  return {
    capabilities,
    xDpi: res.x,
    yDpi: res.y,
    widthDots,
    cut: keywordOption(options, 'cut', ['page', 'job', 'none'] as const) ?? 'page',
    cutKind: keywordOption(options, 'cut-kind', ['partial', 'full'] as const) ?? 'partial',
    cutFeed: integerOption(options, 'cut-feed', 0, 255) ?? 0,
    bandRows: integerOption(options, 'band-rows', 1, 1024) ?? 128,
    bandBytes: integerOption(options, 'band-bytes', 64, 65535) ?? 8192,
    isTrimmed: booleanOption(options, 'trim-blank-rows') ?? true,
  };
}
