// The status page the button prints: printer name, state, reasons, URI, firmware version and uuid, drawn with the
// 5x7 font on the printer's default media at its first resolution and queued as an image/pwg-raster job.
// SPDX-License-Identifier: Apache-2.0
import { defaultOptions } from '../job/options.js';
import type { Job } from '../job/job.js';
import type { Printer } from '../printer/printer.js';
import { GLYPH_HEIGHT, GLYPH_WIDTH, glyphRows } from './status-page-font.js';
import { encodeGrayPage, type GrayPage } from './status-page-pwg.js';

/** What the page says. */
export interface StatusPageInfo {
  readonly name: string;
  readonly state: string;
  readonly reasons: readonly string[];
  readonly uri: string;
  readonly firmwareVersion: string;
  readonly uuid: string;
  readonly queuedJobs: number;
  readonly time: Date;
}

/** Largest page drawn (points at 72 per inch): long roll media is cut to this height. */
const MAX_HEIGHT_IN = 11.7;
/** Media used when the default's size cannot be read from its PWG name. */
const FALLBACK_IN = { width: 4, height: 6 };

/** The text lines of the page; the first is the title. */
export function statusPageLines(info: StatusPageInfo): string[] {
  return [
    'IPPBRIDGE STATUS',
    '',
    `NAME: ${info.name}`,
    `STATE: ${info.state}`,
    `REASONS: ${info.reasons.length === 0 ? 'none' : info.reasons.join(', ')}`,
    `QUEUED JOBS: ${info.queuedJobs}`,
    `URI: ${info.uri}`,
    `FIRMWARE: ${info.firmwareVersion}`,
    `UUID: ${info.uuid.replace(/^urn:uuid:/, '')}`,
    `TIME: ${info.time.toISOString().replace(/\.\d{3}Z$/, 'Z')}`,
  ];
}

/** Width and height in inches of a PWG self-describing media name (`iso_a4_210x297mm`, `na_letter_8.5x11in`). */
export function mediaSizeInches(media: string): { width: number; height: number } | undefined {
  const match = /_(\d+(?:\.\d+)?)x(\d+(?:\.\d+)?)(in|mm)$/.exec(media);
  if (match === null) return undefined;
  const scale = match[3] === 'mm' ? 1 / 25.4 : 1;
  const width = Number(match[1]) * scale;
  const height = Number(match[2]) * scale;
  return width > 0 && height > 0 ? { width, height } : undefined;
}

/** Break `text` into pieces of at most `columns` characters. */
function wrap(text: string, columns: number): string[] {
  if (text.length <= columns) return [text];
  const out: string[] = [];
  for (let i = 0; i < text.length; i += columns) out.push(text.slice(i, i + columns));
  return out;
}

/** Lay `lines` out on `media` at `dpi`: the title twice the size, text wrapped to the page, margins of 1/4 inch. */
export function statusPage(lines: readonly string[], media: string, dpi: number): GrayPage {
  const size = mediaSizeInches(media) ?? FALLBACK_IN;
  const width = Math.round(size.width * dpi);
  const height = Math.round(Math.min(size.height, MAX_HEIGHT_IN) * dpi);
  const margin = Math.round(dpi / 4);
  const unit = Math.max(1, Math.round(dpi / 100));
  // Rows of text: [text, scale, top y].
  const rows: { text: string; scale: number; top: number }[] = [];
  let top = margin;
  lines.forEach((line, index) => {
    const scale = index === 0 ? unit * 2 : unit;
    const columns = Math.max(1, Math.floor((width - 2 * margin) / ((GLYPH_WIDTH + 1) * scale)));
    for (const piece of wrap(line, columns)) {
      if (top + GLYPH_HEIGHT * scale <= height - margin) rows.push({ text: piece, scale, top });
      top += (GLYPH_HEIGHT + 3) * scale;
    }
  });
  return {
    width,
    height,
    dpi,
    media,
    drawLine(y, line) {
      for (const row of rows) {
        const glyphRow = Math.floor((y - row.top) / row.scale);
        if (glyphRow < 0 || glyphRow >= GLYPH_HEIGHT) continue;
        [...row.text].forEach((ch, column) => {
          const bits = glyphRows(ch)[glyphRow] ?? 0;
          const left = margin + column * (GLYPH_WIDTH + 1) * row.scale;
          for (let bit = 0; bit < GLYPH_WIDTH; bit++) {
            if ((bits & (1 << (GLYPH_WIDTH - 1 - bit))) === 0) continue;
            const x0 = left + bit * row.scale;
            line.fill(0, Math.min(x0, width), Math.min(x0 + row.scale, width));
          }
        });
      }
    },
  };
}

async function* stream(page: GrayPage): AsyncGenerator<Uint8Array> {
  for (const chunk of encodeGrayPage(page)) yield chunk;
}

/** Queue a status page on `printer` as a job of user 'ippbridge'; resolves once it is spooled, or printed when the
 * engine was free (never aborted from here: canceling it is Cancel-Job's business). */
export async function printStatusPage(printer: Printer, info: StatusPageInfo): Promise<Job> {
  const caps = printer.capabilities;
  const media = caps.media.default;
  const options = defaultOptions(caps);
  const dpi = options.resolution.x;
  printer.jobs.assertSpoolRoom();
  const job = await printer.jobs.create({
    name: 'Status page',
    user: 'ippbridge',
    format: 'image/pwg-raster',
    compression: 'none',
    holdUntil: 'no-hold',
    options,
    impressions: 1,
  });
  await printer.jobs.addDocument(job, stream(statusPage(statusPageLines(info), media, dpi)), { format: 'image/pwg-raster', compression: 'none', lastDocument: true }, new AbortController().signal);
  return job;
}
