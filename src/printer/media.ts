// PWG 5101.1 self-describing media names <-> sizes in hundredths of millimetres, and the media-col /
// media-size collection values of PWG 5100.7 built from them.
// SPDX-License-Identifier: Apache-2.0
import { ConfigError } from '../errors.js';
import { attr, collection, integer, keyword, rangeOfInteger } from '../ipp/build.js';
import type { IppAttribute, IppValue } from '../ipp/types.js';

/** Hundredths of millimetres per inch (PWG 5101.1: 1 in = 25.4 mm exactly). */
export const HUNDREDTHS_PER_INCH = 2540;

/** Default tolerance (hundredths of mm) when matching a media-size to a name: 1 mm. */
export const MEDIA_SIZE_TOLERANCE = 100;

/** A media size in hundredths of millimetres. */
export interface MediaSize {
  readonly width: number;
  readonly length: number;
}

/** Margins in hundredths of millimetres. */
export interface MediaMargins {
  readonly top: number;
  readonly bottom: number;
  readonly left: number;
  readonly right: number;
}

const SIZE_SUFFIX = /_(\d+(?:\.\d+)?)x(\d+(?:\.\d+)?)(mm|in)$/;

/** The size a PWG 5101.1 self-describing name states (`iso_a4_210x297mm`, `na_letter_8.5x11in`), else undefined. */
export function parseMediaSize(mediaName: string): MediaSize | undefined {
  const m = SIZE_SUFFIX.exec(mediaName);
  if (!m || !m[1] || !m[2]) return undefined;
  const scale = m[3] === 'in' ? HUNDREDTHS_PER_INCH : 100;
  const width = Math.round(Number(m[1]) * scale);
  const length = Math.round(Number(m[2]) * scale);
  if (!(width > 0) || !(length > 0)) return undefined;
  return { width, length };
}

/** The size of `mediaName`; throws ConfigError when the name is not self-describing (a driver or config bug). */
export function requireMediaSize(mediaName: string): MediaSize {
  const size = parseMediaSize(mediaName);
  if (!size) throw new ConfigError(`media name '${mediaName}' is not a PWG 5101.1 self-describing name`);
  return size;
}

/** Whether a name is the lower or upper bound of a custom/roll size range (`custom_min_…`, `roll_max_…`). */
export function isMediaRangeBound(mediaName: string): 'min' | 'max' | undefined {
  const m = /^(?:custom|roll)_(min|max)_/.exec(mediaName);
  return m ? (m[1] as 'min' | 'max') : undefined;
}

/** The custom size range declared by `custom_min_…`/`custom_max_…` (or roll_) names in a list, if both exist. */
export function customSizeRange(names: readonly string[]): { readonly min: MediaSize; readonly max: MediaSize } | undefined {
  const minName = names.find((n) => isMediaRangeBound(n) === 'min');
  const maxName = names.find((n) => isMediaRangeBound(n) === 'max');
  const min = minName === undefined ? undefined : parseMediaSize(minName);
  const max = maxName === undefined ? undefined : parseMediaSize(maxName);
  return min && max ? { min, max } : undefined;
}

/** The `media-size` collection value (x-dimension, y-dimension) of a named size. */
export function mediaSizeCol(mediaName: string): IppValue {
  const size = requireMediaSize(mediaName);
  return collection([attr('x-dimension', integer(size.width)), attr('y-dimension', integer(size.length))]);
}

/** The `media-size` collection value of a custom size range (rangeOfInteger dimensions). */
export function mediaSizeRangeCol(min: MediaSize, max: MediaSize): IppValue {
  return collection([
    attr('x-dimension', rangeOfInteger(min.width, max.width)),
    attr('y-dimension', rangeOfInteger(min.length, max.length)),
  ]);
}

function marginMembers(margins: MediaMargins): IppAttribute[] {
  return [
    attr('media-bottom-margin', integer(margins.bottom)),
    attr('media-left-margin', integer(margins.left)),
    attr('media-right-margin', integer(margins.right)),
    attr('media-top-margin', integer(margins.top)),
  ];
}

/** Options for {@link mediaCol}. */
export interface MediaColOptions {
  readonly source?: string | undefined;
  readonly type?: string | undefined;
  readonly margins: MediaMargins;
}

/** A `media-col` collection value (PWG 5100.7 §6.3) for a named size, with margins and optional source/type. */
export function mediaCol(mediaName: string, opts: MediaColOptions): IppValue {
  const members: IppAttribute[] = [attr('media-size', mediaSizeCol(mediaName)), attr('media-size-name', keyword(mediaName))];
  members.push(...marginMembers(opts.margins));
  if (opts.source !== undefined) members.push(attr('media-source', keyword(opts.source)));
  if (opts.type !== undefined) members.push(attr('media-type', keyword(opts.type)));
  return collection(members);
}

/** A `media-col` value for a custom size range (used in media-col-database). */
export function mediaColRange(min: MediaSize, max: MediaSize, margins: MediaMargins): IppValue {
  return collection([attr('media-size', mediaSizeRangeCol(min, max)), ...marginMembers(margins)]);
}

/** Format hundredths of mm as a PWG dimension in mm (no trailing zeros, as PWG 5101.1 requires). */
function formatMm(hundredths: number): string {
  return (hundredths / 100).toFixed(2).replace(/\.?0+$/, '');
}

/**
 * The PWG name among `names` whose size is closest to (x, y) within `tolerance` (hundredths of mm); when none
 * matches but a custom range in `names` covers the size, a `custom_WxHmm_WxHmm` name. Undefined otherwise.
 */
export function mediaNameForSize(
  x: number,
  y: number,
  names: readonly string[],
  tolerance: number = MEDIA_SIZE_TOLERANCE,
): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const n of names) {
    if (isMediaRangeBound(n)) continue;
    const size = parseMediaSize(n);
    if (!size) continue;
    const dx = Math.abs(size.width - x);
    const dy = Math.abs(size.length - y);
    if (dx > tolerance || dy > tolerance) continue;
    if (dx + dy < bestDistance) {
      best = n;
      bestDistance = dx + dy;
    }
  }
  if (best !== undefined) return best;
  const range = customSizeRange(names);
  if (range && x >= range.min.width && x <= range.max.width && y >= range.min.length && y <= range.max.length) {
    const dims = `${formatMm(x)}x${formatMm(y)}mm`;
    return `custom_${dims}_${dims}`;
  }
  return undefined;
}
