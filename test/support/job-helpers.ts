// Shared helpers of the job queue tests: create a job, send it a PWG document, stall it in the gated fake engine.
// SPDX-License-Identifier: Apache-2.0
import { once } from 'node:events';
import { defaultOptions } from '../../src/job/options.js';
import type { Job } from '../../src/job/job.js';
import type { Printer } from '../../src/printer/printer.js';
import { FAKE_CAPABILITIES, testDocument } from './fake-engine.js';
import { documentOf } from './ipp-client.js';

export const PWG = { format: 'image/pwg-raster', compression: 'none', lastDocument: true };

export function create(printer: Printer, over: { holdUntil?: string; copies?: number; user?: string } = {}): Promise<Job> {
  return printer.jobs.create({
    name: 'test job',
    user: over.user ?? 'alice',
    format: 'image/pwg-raster',
    compression: 'none',
    holdUntil: over.holdUntil ?? 'no-hold',
    options: { ...defaultOptions(FAKE_CAPABILITIES), copies: over.copies ?? 1 },
    impressions: 0,
  });
}

export function send(printer: Printer, job: Job, pages = 2, signal = new AbortController().signal): Promise<void> {
  return printer.jobs.addDocument(job, documentOf(testDocument(pages)), PWG, signal);
}

/** A job that is printing and stalled in the gated engine. */
export async function stalledJob(printer: Printer, engine: { gate(): void; once: (e: string, f: () => void) => unknown }): Promise<{ job: Job; done: Promise<void> }> {
  engine.gate();
  const job = await create(printer);
  const started = once(engine as unknown as NodeJS.EventEmitter, 'line');
  const done = send(printer, job);
  await started;
  return { job, done };
}
