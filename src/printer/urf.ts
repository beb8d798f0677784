// urf-supported (AirPrint Apple raster capabilities) built from the driver capabilities. Token meanings follow
// what AirPrint printers and PAPPL/CUPS advertise (image/urf is not publicly specified by Apple).
// SPDX-License-Identifier: Apache-2.0
import type { DriverCapabilities } from '../../drivers/driver.js';
import { resolveCapabilities } from './printer-capabilities.js';

const numbered = (prefix: string, count: number): string[] => Array.from({ length: count }, (_, i) => `${prefix}-${i + 1}`);

/** IS<n>: media-source keywords by URF index (the order of the IANA media-source registrations). */
const URF_SOURCES: readonly string[] = [
  'auto',
  'main',
  'alternate',
  'large-capacity',
  'manual',
  'envelope',
  'disc',
  'photo',
  'hagaki',
  'main-roll',
  'alternate-roll',
  'top',
  'middle',
  'bottom',
  'side',
  'left',
  'right',
  'center',
  'rear',
  'by-pass-tray',
  ...numbered('tray', 20),
  ...numbered('roll', 10),
];

/** MT<n>: media-type keywords by URF index. */
const URF_TYPES: readonly string[] = [
  'auto',
  'stationery',
  'transparency',
  'envelope',
  'cardstock',
  'labels',
  'stationery-letterhead',
  'disc',
  'photographic-matte',
  'photographic-satin',
  'photographic-semi-gloss',
  'photographic-glossy',
  'photographic-high-gloss',
  'other',
];

/** OB<n>: output-bin keywords by URF index. */
const URF_BINS: readonly string[] = [
  'auto',
  'top',
  'middle',
  'bottom',
  'side',
  'left',
  'right',
  'center',
  'rear',
  'face-up',
  'face-down',
  'large-capacity',
  'stacker',
  'my-mailbox',
  ...numbered('mailbox', 10),
  ...numbered('stacker', 10),
  ...numbered('tray', 10),
];

/** DM<n>: pwg-raster-document-sheet-back value by URF duplex-mode number. */
const URF_SHEET_BACK = ['normal', 'flipped', 'rotated', 'manual-tumble'] as const;

/** `<prefix><i>-<j>…` for the keywords found in `table`, or undefined when none is known. */
function indexToken(prefix: string, keywords: readonly string[], table: readonly string[]): string | undefined {
  const indexes = [...new Set(keywords.map((k) => table.indexOf(k)).filter((i) => i >= 0))].sort((a, b) => a - b);
  return indexes.length > 0 ? `${prefix}${indexes.join('-')}` : undefined;
}

/**
 * The urf-supported keywords for `caps`: version, colour spaces (W8 always, SRGB24 on colour printers), copies,
 * finishings none, qualities, duplex mode, sources, types, output bins and resolutions. Empty without resolutions.
 */
export function urfSupported(caps: DriverCapabilities): string[] {
  const r = resolveCapabilities(caps);
  if (r.resolutions.length === 0) return [];
  const tokens = ['V1.4', 'W8'];
  if (r.isColor) tokens.push('SRGB24');
  // CP1: copies supported; FN3: finishings none(3); PQ: print-quality 3, 4, 5.
  tokens.push('CP1', 'FN3', 'PQ3-4-5');
  if (r.isDuplex) tokens.push(`DM${URF_SHEET_BACK.indexOf(caps.sheetBack ?? 'normal') + 1}`);
  for (const token of [
    indexToken('IS', r.sources, URF_SOURCES),
    indexToken('MT', r.types, URF_TYPES),
    indexToken('OB', r.outputBins, URF_BINS),
  ]) {
    if (token !== undefined) tokens.push(token);
  }
  if (r.outputBins.includes('face-up') && !r.outputBins.includes('face-down')) tokens.push('OFU0');
  // RS: the supported resolutions (horizontal dpi), ascending.
  const dpis = [...new Set(r.resolutions.map((res) => res.x))].sort((a, b) => a - b);
  tokens.push(`RS${dpis.join('-')}`);
  return tokens;
}
