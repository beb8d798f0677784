// Board-config `engine.options` of the PCL driver (engines.md common options plus color, duplex, pjl) and the
// capabilities they describe.
// SPDX-License-Identifier: Apache-2.0
import { ConfigError } from '../../src/errors.js';
import type { DriverCapabilities } from '../driver.js';
import {
  booleanOption,
  COMMON_OPTION_KEYS,
  integerOption,
  mediaListOption,
  optionPointer,
  rejectUnknownOptions,
  resolutionOption,
  stringOption,
} from './escpos-zpl-options.js';
import { PCL_END_MARGIN_INCH, PCL_SIDE_MARGIN_INCH } from './pcl-media.js';

const OPTION_KEYS = [...COMMON_OPTION_KEYS, 'color', 'duplex', 'pjl'];
/** Raster resolutions PCL 3/5 engines take with ESC*t#R. */
const RESOLUTIONS = [75, 100, 150, 200, 300, 600, 1200];
const DEFAULT_MEDIA = [
  'na_letter_8.5x11in',
  'iso_a4_210x297mm',
  'na_legal_8.5x14in',
  'na_executive_7.25x10.5in',
  'iso_a5_148x210mm',
];

/** What the PCL driver needs besides its capabilities. */
export interface PclSettings {
  readonly capabilities: DriverCapabilities;
  /** engine takes CMY colour raster (ESC*r-3U) */
  readonly isColor: boolean;
  /** engine has a duplex unit (ESC&l#S) */
  readonly hasDuplex: boolean;
  /** wrap each job in PJL UEL + ENTER LANGUAGE=PCL */
  readonly usePjl: boolean;
}

/** Validate `engine.options` (ConfigError with pointer /engine/options/<name>) and build the PCL settings. */
export function pclSettings(options: Readonly<Record<string, unknown>>): PclSettings {
  rejectUnknownOptions(options, OPTION_KEYS, 'pcl');
  const res = resolutionOption(options, RESOLUTIONS);
  if (res !== undefined && res.x !== res.y) {
    throw new ConfigError(`${optionPointer('resolution')} must be one dpi value: PCL raster resolution is square`, {
      pointer: optionPointer('resolution'),
    });
  }
  const isColor = booleanOption(options, 'color') ?? false;
  const hasDuplex = booleanOption(options, 'duplex') ?? false;
  const media = mediaListOption(options, 'media', false) ?? DEFAULT_MEDIA;
  const first = media[0] as string;
  const ready = mediaListOption(options, 'media-ready', false) ?? [first];
  const stray = ready.find((n) => !media.includes(n));
  if (stray !== undefined) {
    throw new ConfigError(`${optionPointer('media-ready')} names ${stray}, which is not in media`, { pointer: optionPointer('media-ready') });
  }
  const ppm = integerOption(options, 'ppm', 1, 1000) ?? 20;
  const side = Math.round(PCL_SIDE_MARGIN_INCH * 2540);
  const end = Math.round(PCL_END_MARGIN_INCH * 2540);
  const model = isColor ? 'Generic PCL Color Printer' : 'Generic PCL Laser Printer';
  const capabilities: DriverCapabilities = {
    makeAndModel: stringOption(options, 'make-and-model') ?? model,
    deviceId: stringOption(options, 'device-id') ?? `MFG:Generic;MDL:${model};CMD:PCL;CLS:PRINTER;`,
    kind: ['document'],
    resolutions: res !== undefined ? [res] : [600, 300].map((d) => ({ x: d, y: d })),
    rasterTypes: ['black_1', 'sgray_8', 'srgb_8', 'srgb_16', 'adobe-rgb_8', 'cmyk_8'],
    colorModes: isColor ? ['auto', 'color', 'monochrome'] : ['auto', 'monochrome'],
    sides: hasDuplex ? ['one-sided', 'two-sided-long-edge', 'two-sided-short-edge'] : ['one-sided'],
    ...(hasDuplex ? { sheetBack: 'normal' as const } : {}),
    media: { supported: media, default: first, sources: ['main'], types: ['stationery'], ready },
    margins: { top: end, bottom: end, left: side, right: side },
    outputBins: ['face-down'],
    passthroughFormats: [],
    ppm,
    ...(isColor ? { ppmColor: ppm } : {}),
    identifyActions: [],
  };
  return { capabilities, isColor, hasDuplex, usePjl: booleanOption(options, 'pjl') ?? false };
}
