// Media attributes (PWG 5100.7, ipp-everywhere.md §3.5-§3.6, §4): supported sizes, sources, types, margins,
// media-col-default/-database (static), media-ready/media-col-ready (from the state view), trays.
// SPDX-License-Identifier: Apache-2.0
import type { DriverCapabilities } from '../../drivers/driver.js';
import { attr, integer, keyword, outOfBand, strings } from '../ipp/build.js';
import type { IppAttribute, IppValue } from '../ipp/types.js';
import {
  customSizeRange,
  isMediaRangeBound,
  mediaCol,
  mediaColRange,
  mediaSizeCol,
  mediaSizeRangeCol,
  type MediaMargins,
} from './media.js';
import { resolveCapabilities } from './printer-capabilities.js';
import { trayAttributes } from './trays.js';

/** Member attributes of media-col we support (media-col-supported). */
const MEDIA_COL_MEMBERS = [
  'media-bottom-margin',
  'media-left-margin',
  'media-right-margin',
  'media-size',
  'media-size-name',
  'media-source',
  'media-top-margin',
  'media-type',
];

/** Supported names that denote one fixed size (range bounds left out). */
function fixedSizes(caps: DriverCapabilities): string[] {
  return caps.media.supported.filter((n) => !isMediaRangeBound(n));
}

/** media-size-supported: one collection per fixed size, plus a range entry for custom sizes. */
function mediaSizeSupported(caps: DriverCapabilities): IppValue[] {
  const values = fixedSizes(caps).map(mediaSizeCol);
  const range = customSizeRange(caps.media.supported);
  if (range) values.push(mediaSizeRangeCol(range.min, range.max));
  return values;
}

/** media-col-database: one entry per supported size with the engine's margins (no borderless variants). */
function mediaColDatabase(caps: DriverCapabilities): IppValue[] {
  const values = fixedSizes(caps).map((n) => mediaCol(n, { margins: caps.margins }));
  const range = customSizeRange(caps.media.supported);
  if (range) values.push(mediaColRange(range.min, range.max, caps.margins));
  return values;
}

const margin = (attrName: string, value: number): IppAttribute => attr(attrName, integer(Math.max(0, value)));

/** The static media attributes, media-col-database and the input/output trays. */
export function mediaAttributes(caps: DriverCapabilities): IppAttribute[] {
  const r = resolveCapabilities(caps);
  const m: MediaMargins = caps.margins;
  return [
    attr('media-default', keyword(caps.media.default)),
    strings('media-supported', 'keyword', caps.media.supported),
    attr('media-col-default', mediaCol(caps.media.default, { source: r.sources[0], type: r.types[0], margins: m })),
    strings('media-col-supported', 'keyword', MEDIA_COL_MEMBERS),
    { name: 'media-size-supported', values: mediaSizeSupported(caps) },
    margin('media-bottom-margin-supported', m.bottom),
    margin('media-left-margin-supported', m.left),
    margin('media-right-margin-supported', m.right),
    margin('media-top-margin-supported', m.top),
    strings('media-source-supported', 'keyword', r.sources),
    strings('media-type-supported', 'keyword', r.types),
    { name: 'media-col-database', values: mediaColDatabase(caps) },
    ...trayAttributes(r.sources, r.outputBins),
  ];
}

/** media-ready and media-col-ready from the loaded media (entry i in source i); no-value when nothing is loaded. */
export function readyMediaAttributes(caps: DriverCapabilities, mediaReady: readonly string[]): IppAttribute[] {
  const r = resolveCapabilities(caps);
  const ready: { name: string; source: string | undefined }[] = [];
  mediaReady.forEach((n, i) => {
    if (n !== '') ready.push({ name: n, source: r.sources[i] });
  });
  if (ready.length === 0) {
    return [attr('media-ready', outOfBand('no-value')), attr('media-col-ready', outOfBand('no-value'))];
  }
  return [
    strings('media-ready', 'keyword', ready.map((e) => e.name)),
    {
      name: 'media-col-ready',
      values: ready.map((e) => mediaCol(e.name, { source: e.source, type: r.types[0], margins: caps.margins })),
    },
  ];
}
