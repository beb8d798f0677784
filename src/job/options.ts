// Job Template attributes (RFC 8011 §5.2, PWG 5100.7 media-col) -> validated PrintOptions plus unsupported
// attributes. Pure: no I/O, no clock.
// SPDX-License-Identifier: Apache-2.0
import type { IppAttribute, IppValue } from '../ipp/types.js';
import type { DriverCapabilities, PrintOptions } from '../../drivers/driver.js';
import { mediaNameForSize } from '../printer/media.js';
import { resolveCapabilities } from '../printer/printer-capabilities.js';
import { defaultColorMode } from '../printer/description-job-template.js';

/** Job template attributes this printer understands (job-creation-attributes-supported). */
export const JOB_CREATION_ATTRIBUTES = [
  'copies',
  'job-hold-until',
  'job-name',
  'media',
  'media-col',
  'orientation-requested',
  'output-bin',
  'finishings',
  'print-color-mode',
  'print-content-optimize',
  'print-quality',
  'print-rendering-intent',
  'print-scaling',
  'printer-resolution',
  'sides',
] as const;

/** job-hold-until values we act on. */
export const JOB_HOLD_UNTIL_SUPPORTED = ['no-hold', 'indefinite'] as const;
export const MAX_COPIES = 999;
/** print-scaling-supported, print-content-optimize-supported, print-rendering-intent-supported. */
export const PRINT_SCALING_SUPPORTED = ['auto', 'auto-fit', 'fill', 'fit', 'none'] as const;
export const PRINT_CONTENT_OPTIMIZE_SUPPORTED = ['auto'] as const;
export const PRINT_RENDERING_INTENT_SUPPORTED = ['auto'] as const;
/** finishings-supported: none (3) only. */
export const FINISHINGS_NONE = 3;

/** The result of checking a request's job template. */
export interface JobTemplate {
  readonly options: PrintOptions;
  readonly holdUntil: string;
  /** attributes (with the offending values) for the unsupported-attributes group */
  readonly unsupported: IppAttribute[];
}

type Check = (a: IppAttribute, caps: DriverCapabilities, out: Draft) => boolean;

interface Draft {
  copies: number;
  media: string;
  mediaSource: string | undefined;
  mediaType: string | undefined;
  printColorMode: string;
  printQuality: number;
  resolution: { x: number; y: number };
  sides: string;
  outputBin: string;
  orientation: number;
  printScaling: string;
  printContentOptimize: string;
  printRenderingIntent: string;
  holdUntil: string;
}

function one(a: IppAttribute): IppValue | undefined {
  return a.values.length === 1 ? a.values[0] : undefined;
}

function keywordOf(a: IppAttribute): string | undefined {
  const v = one(a);
  return v && (v.syntax === 'keyword' || v.syntax === 'name' || v.syntax === 'nameWithLanguage') ? v.value : undefined;
}

function intOf(a: IppAttribute, syntax: 'integer' | 'enum'): number | undefined {
  const v = one(a);
  return v && v.syntax === syntax ? v.value : undefined;
}

function member(col: readonly IppAttribute[], name: string): IppAttribute | undefined {
  return col.find((m) => m.name === name);
}

/** media-col -> media name, source and type; false when any member is unsupported. */
function checkMediaCol(a: IppAttribute, caps: DriverCapabilities, out: Draft): boolean {
  const v = one(a);
  if (!v || v.syntax !== 'collection') return false;
  let media = out.media;
  const sizeName = member(v.members, 'media-size-name');
  const size = member(v.members, 'media-size');
  if (sizeName) {
    const n = keywordOf(sizeName);
    if (!n || !caps.media.supported.includes(n)) return false;
    media = n;
  } else if (size) {
    const sv = one(size);
    if (!sv || sv.syntax !== 'collection') return false;
    const x = intOf(member(sv.members, 'x-dimension') ?? { name: '', values: [] }, 'integer');
    const y = intOf(member(sv.members, 'y-dimension') ?? { name: '', values: [] }, 'integer');
    if (x === undefined || y === undefined) return false;
    const found = mediaNameForSize(x, y, caps.media.supported);
    if (!found) return false;
    media = found;
  }
  const src = member(v.members, 'media-source');
  const type = member(v.members, 'media-type');
  const source = src ? keywordOf(src) : undefined;
  const mediaType = type ? keywordOf(type) : undefined;
  if (src && (!source || !resolveCapabilities(caps).sources.includes(source))) return false;
  if (type && (!mediaType || !resolveCapabilities(caps).types.includes(mediaType))) return false;
  out.media = media;
  out.mediaSource = source ?? out.mediaSource;
  out.mediaType = mediaType ?? out.mediaType;
  return true;
}

/** A check for a single keyword from a fixed list, stored with `set`. */
function keywordFrom(list: readonly string[], set: (out: Draft, v: string) => void): Check {
  return (a, _c, out) => {
    const s = keywordOf(a);
    if (!s || !list.includes(s)) return false;
    set(out, s);
    return true;
  };
}

const CHECKS: Readonly<Record<string, Check>> = {
  // job-name may come in the job group too; checkJobRequest reads it from there.
  'job-name': (a) => keywordOf(a) !== undefined,
  'print-scaling': keywordFrom(PRINT_SCALING_SUPPORTED, (o, v) => (o.printScaling = v)),
  'print-content-optimize': keywordFrom(PRINT_CONTENT_OPTIMIZE_SUPPORTED, (o, v) => (o.printContentOptimize = v)),
  'print-rendering-intent': keywordFrom(PRINT_RENDERING_INTENT_SUPPORTED, (o, v) => (o.printRenderingIntent = v)),
  finishings: (a) => a.values.every((v) => v.syntax === 'enum' && v.value === FINISHINGS_NONE),
  copies: (a, _c, out) => {
    const n = intOf(a, 'integer');
    if (n === undefined || n < 1 || n > MAX_COPIES) return false;
    out.copies = n;
    return true;
  },
  media: (a, caps, out) => {
    const n = keywordOf(a);
    if (!n || !caps.media.supported.includes(n)) return false;
    out.media = n;
    return true;
  },
  'media-col': checkMediaCol,
  sides: (a, caps, out) => {
    const s = keywordOf(a);
    if (!s || !(resolveCapabilities(caps).sides as readonly string[]).includes(s)) return false;
    out.sides = s;
    return true;
  },
  'print-color-mode': (a, caps, out) => {
    const s = keywordOf(a);
    if (!s || !(caps.colorModes as readonly string[]).includes(s)) return false;
    out.printColorMode = s;
    return true;
  },
  'print-quality': (a, _c, out) => {
    const n = intOf(a, 'enum');
    if (n === undefined || n < 3 || n > 5) return false;
    out.printQuality = n;
    return true;
  },
  'printer-resolution': (a, caps, out) => {
    const v = one(a);
    if (!v || v.syntax !== 'resolution' || v.units !== 'dpi') return false;
    if (!caps.resolutions.some((r) => r.x === v.x && r.y === v.y)) return false;
    out.resolution = { x: v.x, y: v.y };
    return true;
  },
  'orientation-requested': (a, _c, out) => {
    const n = intOf(a, 'enum');
    if (n === undefined || n < 3 || n > 7) return false;
    out.orientation = n;
    return true;
  },
  'output-bin': (a, caps, out) => {
    const s = keywordOf(a);
    if (!s || !resolveCapabilities(caps).outputBins.includes(s)) return false;
    out.outputBin = s;
    return true;
  },
  'job-hold-until': (a, _c, out) => {
    const s = keywordOf(a);
    if (!s || !(JOB_HOLD_UNTIL_SUPPORTED as readonly string[]).includes(s)) return false;
    out.holdUntil = s;
    return true;
  },
};

/** The printer's defaults as PrintOptions. */
export function defaultOptions(caps: DriverCapabilities): PrintOptions {
  const r = resolveCapabilities(caps);
  const res = r.resolutions[0] ?? { x: 300, y: 300 };
  return {
    copies: 1,
    media: caps.media.default,
    mediaSource: r.sources[0],
    mediaType: r.types[0],
    printColorMode: defaultColorMode(caps),
    printQuality: 4,
    resolution: { x: res.x, y: res.y },
    sides: 'one-sided',
    outputBin: r.outputBins[0] ?? 'face-down',
    orientation: 3,
    printScaling: 'auto',
    printContentOptimize: 'auto',
    printRenderingIntent: 'auto',
  };
}

/**
 * Check the job template attributes of a request (the job group, plus job template attributes a client put in the
 * operation group). Unknown attributes and unsupported values go to `unsupported`; the default is used instead.
 */
export function parseJobTemplate(
  jobAttrs: readonly IppAttribute[],
  caps: DriverCapabilities,
  operatorDefaults: { readonly sides?: string; readonly printColorMode?: string; readonly printQuality?: number } = {},
): JobTemplate {
  // The operator's defaults (web Media page) replace the engine's for attributes the client leaves out.
  const d = { ...defaultOptions(caps), ...operatorDefaults };
  const out: Draft = { ...d, resolution: { ...d.resolution }, holdUntil: 'no-hold' };
  const unsupported: IppAttribute[] = [];
  for (const a of jobAttrs) {
    const check = CHECKS[a.name];
    if (!check) {
      unsupported.push({ name: a.name, values: [{ syntax: 'out-of-band', value: 'unsupported' }] });
      continue;
    }
    if (!check(a, caps, out)) unsupported.push(a);
  }
  const { holdUntil, ...options } = out;
  return { options, holdUntil, unsupported };
}
