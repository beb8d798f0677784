// Job Description and Status attributes (RFC 8011 §5.3) for Get-Job-Attributes, Get-Jobs and job-creating replies.
// SPDX-License-Identifier: Apache-2.0
import type { IppAttribute, IppValue } from '../ipp/types.js';
import { attr, dateTime, enumValue, integer, keyword, mimeMediaType, name, outOfBand, resolution, text, uri } from '../ipp/build.js';
import { mediaCol } from '../printer/media.js';
import type { DriverCapabilities } from '../../drivers/driver.js';
import { JobState, type Job } from './job.js';

/** Attribute names per RFC 8011 §4.2.5 group keyword for jobs. */
const JOB_TEMPLATE = new Set([
  'copies',
  'finishings',
  'job-hold-until',
  'media',
  'media-col',
  'orientation-requested',
  'output-bin',
  'print-color-mode',
  'print-quality',
  'printer-resolution',
  'print-content-optimize',
  'print-rendering-intent',
  'print-scaling',
  'sides',
]);

function unixSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}

function timeAttr(nameOf: string, ms: number | undefined): IppAttribute {
  return attr(nameOf, ms === undefined ? outOfBand('no-value') : integer(unixSeconds(ms)));
}

function dateAttr(nameOf: string, ms: number | undefined): IppAttribute {
  return attr(nameOf, ms === undefined ? outOfBand('no-value') : dateTime(new Date(ms)));
}

/** Every attribute of a job. `printerUri` is ipp://host/ipp/print; `upTime` the printer's up-time (Unix seconds). */
export function buildJobAttributes(job: Job, printerUri: string, upTime: number, caps: DriverCapabilities): IppAttribute[] {
  const r = job.record;
  const o = r.options;
  const mediaColValue: IppValue = mediaCol(o.media, {
    ...(o.mediaSource !== undefined ? { source: o.mediaSource } : {}),
    ...(o.mediaType !== undefined ? { type: o.mediaType } : {}),
    margins: caps.margins,
  });
  return [
    attr('job-id', integer(r.id)),
    attr('job-uri', uri(`${printerUri}/${r.id}`)),
    attr('job-uuid', uri(r.uuid)),
    attr('job-name', name(r.name)),
    attr('job-originating-user-name', name(r.user)),
    attr('job-printer-uri', uri(printerUri)),
    attr('job-printer-up-time', integer(upTime)),
    attr('job-state', enumValue(JobState[r.state])),
    { name: 'job-state-reasons', values: r.reasons.map(keyword) },
    attr('job-state-message', text(r.message)),
    timeAttr('time-at-creation', r.createdAt),
    timeAttr('time-at-processing', r.processingAt),
    timeAttr('time-at-completed', r.completedAt),
    dateAttr('date-time-at-creation', r.createdAt),
    dateAttr('date-time-at-processing', r.processingAt),
    dateAttr('date-time-at-completed', r.completedAt),
    attr('job-impressions', integer(r.impressions)),
    attr('job-impressions-completed', integer(r.impressionsCompleted)),
    attr('job-media-sheets-completed', integer(r.impressionsCompleted)),
    attr('job-k-octets', integer(r.kOctets)),
    attr('number-of-documents', integer(r.documentState === 'none' ? 0 : 1)),
    attr('document-format', mimeMediaType(r.format)),
    attr('compression', keyword(r.compression || 'none')),
    attr('job-hold-until', keyword(r.holdUntil)),
    attr('copies', integer(o.copies)),
    attr('media', keyword(o.media)),
    attr('media-col', mediaColValue),
    attr('orientation-requested', enumValue(o.orientation)),
    attr('output-bin', keyword(o.outputBin)),
    attr('print-color-mode', keyword(o.printColorMode)),
    attr('print-quality', enumValue(o.printQuality)),
    attr('printer-resolution', resolution(o.resolution.x, o.resolution.y)),
    attr('sides', keyword(o.sides)),
    attr('print-scaling', keyword(o.printScaling)),
    attr('print-content-optimize', keyword(o.printContentOptimize)),
    attr('print-rendering-intent', keyword(o.printRenderingIntent)),
    attr('finishings', enumValue(3)),
  ];
}

/**
 * The subset named by requested-attributes (RFC 8011 §4.3.4 / §4.2.5.1): 'all', 'job-template', 'job-description'
 * (everything else); `fallback` when absent.
 */
export function selectJobAttributes(all: readonly IppAttribute[], requested: readonly string[] | undefined, fallback: readonly string[] | 'all'): IppAttribute[] {
  const names = requested ?? (fallback === 'all' ? ['all'] : fallback);
  if (names.includes('all')) return [...all];
  const wantTemplate = names.includes('job-template');
  const wantDescription = names.includes('job-description') || names.includes('job-status');
  return all.filter((a) => names.includes(a.name) || (JOB_TEMPLATE.has(a.name) ? wantTemplate : wantDescription));
}
