// Job Template defaults and supported values other than media (ipp-everywhere.md §3.5, RFC 8011 §5.2,
// PWG 5100.13), with the extra ones CUPS ipp-everywhere.test / ipp-2.0.test expect.
// SPDX-License-Identifier: Apache-2.0
import type { ColorMode, DriverCapabilities } from '../../drivers/driver.js';
import { attr, boolean, enumValue, integer, integers, keyword, rangeOfInteger, resolution, strings } from '../ipp/build.js';
import { ConfigError } from '../errors.js';
import type { IppAttribute } from '../ipp/types.js';
import type { PrinterConfig } from './description.js';
import { resolveCapabilities } from './printer-capabilities.js';

/** copies-supported upper bound. */
export const MAX_COPIES = 999;

/** finishings none(3): the only finishing; ipp-2.0.test requires finishings-default/-supported. */
const FINISHINGS_NONE = 3;

/** orientation-requested: portrait(3) ... none(7). */
const ORIENTATIONS = [3, 4, 5, 6, 7];

/** print-quality draft(3), normal(4), high(5); the stack maps them onto the engine. */
const QUALITIES = [3, 4, 5];

/** print-color-mode-default: the first of these the engine supports, else its first mode. */
const COLOR_MODE_PREFERENCE: readonly ColorMode[] = ['auto', 'color', 'monochrome'];

/** The print-color-mode-default for `caps`. */
export function defaultColorMode(caps: DriverCapabilities): string {
  const mode = COLOR_MODE_PREFERENCE.find((m) => caps.colorModes.includes(m)) ?? caps.colorModes[0];
  if (mode === undefined) throw new ConfigError('driver capabilities list no print-color-mode');
  return mode;
}

/** Job Template attributes except media-* (those are in description-media.ts). */
export function jobTemplateAttributes(caps: DriverCapabilities, cfg: PrinterConfig): IppAttribute[] {
  const r = resolveCapabilities(caps);
  const defaultRes = r.resolutions[0];
  if (defaultRes === undefined) throw new ConfigError('driver capabilities list no resolution');
  const hasPdf = cfg.documentFormats.includes('application/pdf');
  return [
    attr('copies-default', integer(1)),
    attr('copies-supported', rangeOfInteger(1, MAX_COPIES)),
    attr('finishings-default', enumValue(FINISHINGS_NONE)),
    attr('finishings-supported', enumValue(FINISHINGS_NONE)),
    attr('job-hold-until-default', keyword('no-hold')),
    attr('job-hold-until-supported', keyword('no-hold'), keyword('indefinite')),
    // portrait(3), not none(7): ipp-1.1.test/ipp-2.0.test accept only 3-6 as the default.
    attr('orientation-requested-default', enumValue(3)),
    integers('orientation-requested-supported', 'enum', ORIENTATIONS),
    attr('output-bin-default', keyword(r.outputBins[0] ?? 'face-down')),
    strings('output-bin-supported', 'keyword', r.outputBins),
    // Deliberate: CUPS 2.4 ipp-everywhere.test requires 'document-number' (sic) and 'pages' even without PDF;
    // 'document-numbers' is the PWG 5100.6 member name.
    attr('overrides-supported', keyword('document-numbers'), keyword('pages')),
    attr('page-ranges-supported', boolean(hasPdf)),
    attr('print-color-mode-default', keyword(defaultColorMode(caps))),
    strings('print-color-mode-supported', 'keyword', caps.colorModes),
    attr('print-content-optimize-default', keyword('auto')),
    attr('print-content-optimize-supported', keyword('auto')),
    attr('print-quality-default', enumValue(4)),
    integers('print-quality-supported', 'enum', QUALITIES),
    attr('print-rendering-intent-default', keyword('auto')),
    attr('print-rendering-intent-supported', keyword('auto')),
    attr('print-scaling-default', keyword('auto')),
    strings('print-scaling-supported', 'keyword', ['auto', 'auto-fit', 'fill', 'fit', 'none']),
    attr('printer-resolution-default', resolution(defaultRes.x, defaultRes.y)),
    { name: 'printer-resolution-supported', values: r.resolutions.map((res) => resolution(res.x, res.y)) },
    attr('sides-default', keyword(r.sides.includes('one-sided') ? 'one-sided' : (r.sides[0] ?? 'one-sided'))),
    strings('sides-supported', 'keyword', r.sides),
  ];
}
