// Queue the test page as a job of the requesting user, printed with the printer's defaults.
// SPDX-License-Identifier: Apache-2.0
import type { Logger } from 'pino';
import { parseJobTemplate } from '../job/options.js';
import type { Printer } from '../printer/printer.js';
import { parseMediaSize } from '../printer/media.js';
import { testPageUrf } from './test-page.js';

/** Create the test-page job and hand it its document; resolves with the job id once the job exists. */
export async function printTestPage(printer: Printer, user: string, log: Logger): Promise<number> {
  const caps = printer.capabilities;
  const d = printer.jobDefaults;
  const base = parseJobTemplate([], caps).options;
  const options = {
    ...base,
    ...(d.sides === undefined ? {} : { sides: d.sides }),
    ...(d.printColorMode === undefined ? {} : { printColorMode: d.printColorMode }),
    ...(d.printQuality === undefined ? {} : { printQuality: d.printQuality }),
  };
  const size = parseMediaSize(options.media) ?? { width: 21000, length: 29700 };
  const dpi = Math.min(...caps.resolutions.map((r) => Math.min(r.x, r.y)));
  const m = caps.margins;
  const document = testPageUrf({ widthHmm: size.width, lengthHmm: size.length, dpi, marginHmm: Math.max(m.top, m.bottom, m.left, m.right) });
  const job = await printer.jobs.create({ name: 'Test page', user, format: 'image/urf', compression: 'none', holdUntil: 'no-hold', options, impressions: 1 });
  async function* source(): AsyncGenerator<Uint8Array> {
    yield document;
  }
  printer.jobs
    .addDocument(job, source(), { format: 'image/urf', compression: 'none', lastDocument: true }, new AbortController().signal)
    .catch((err: unknown) => log.error({ err, jobId: job.id }, 'test page failed'));
  return job.id;
}
