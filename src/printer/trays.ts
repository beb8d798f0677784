// printer-input-tray and printer-output-tray (PWG 5100.13 octetString values in RFC 3805 prtInput/prtOutput
// terms): one value per media-source-supported / output-bin-supported value, in the same order.
// SPDX-License-Identifier: Apache-2.0
import { octetString } from '../ipp/build.js';
import type { IppAttribute } from '../ipp/types.js';

const encoder = new TextEncoder();

/** RFC 3805 PrtInputTypeTC label for a media-source keyword. */
export function inputTrayType(source: string): string {
  if (source === 'auto') return 'other';
  if (source === 'manual' || source === 'by-pass-tray') return 'sheetFeedManual';
  if (source === 'main-roll' || source === 'alternate-roll' || /^roll-\d+$/.test(source)) return 'continuousRoll';
  return 'sheetFeedAutoRemovableTray';
}

/** One printer-input-tray value; sizes, capacity and level are unknown (-2), status 0 (available, idle). */
export function inputTrayString(source: string): string {
  return (
    `type=${inputTrayType(source)};dimunit=micrometers;mediafeed=-2;mediaxfeed=-2;` +
    `maxcapacity=-2;level=-2;status=0;name=${source};`
  );
}

/** One printer-output-tray value; face-up bins deliver last page on top. */
export function outputTrayString(bin: string): string {
  const faceUp = bin === 'face-up';
  return (
    `type=unRemovableBin;maxcapacity=-2;remaining=-2;status=0;name=${bin};` +
    (faceUp ? 'stackingorder=lastToFirst;pagedelivery=faceUp;' : 'stackingorder=firstToLast;pagedelivery=faceDown;')
  );
}

/** printer-input-tray for `sources` and printer-output-tray for `bins` (each list non-empty). */
export function trayAttributes(sources: readonly string[], bins: readonly string[]): IppAttribute[] {
  return [
    { name: 'printer-input-tray', values: sources.map((s) => octetString(encoder.encode(inputTrayString(s)))) },
    { name: 'printer-output-tray', values: bins.map((b) => octetString(encoder.encode(outputTrayString(b)))) },
  ];
}
