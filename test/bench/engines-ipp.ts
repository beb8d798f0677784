// IPP client steps the engine benchmarks time: Print-Job / Create-Job + Send-Document streamed from a byte source,
// a fast job-state poll (20 ms, finer than waitForJobState's 100 ms) and Cancel-Job.
// SPDX-License-Identifier: Apache-2.0
import { setTimeout as delay } from 'node:timers/promises';
import { attr, boolean, findAttr, integer, mimeMediaType, name, numberValue } from '../../src/ipp/build.js';
import { encodeMessage } from '../../src/ipp/encode.js';
import { IppOp } from '../../src/ipp/ops.js';
import { statusKeyword } from '../../src/ipp/status.js';
import { ippCall, postIpp, printerRequest } from '../support/server.js';

/** Terminal job states (RFC 8011 §5.3.7): canceled, aborted, completed. */
export const TERMINAL_STATES: readonly number[] = [7, 8, 9];

const PWG_FORMAT = attr('document-format', mimeMediaType('image/pwg-raster'));

/** A request head followed by the document stream. */
async function* withHead(head: Uint8Array, doc: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield head;
  yield* doc;
}

/** Print-Job with a streamed PWG raster; resolves to the job id (throws when the printer refuses it). */
export async function printJob(printerUri: string, doc: AsyncIterable<Uint8Array>, jobName: string, timeoutMs: number): Promise<number> {
  return (await printJobState(printerUri, doc, jobName, timeoutMs)).jobId;
}

/** {@link printJob}, also giving the job-state the response reported (undefined when it had none). */
export async function printJobState(
  printerUri: string,
  doc: AsyncIterable<Uint8Array>,
  jobName: string,
  timeoutMs: number,
): Promise<{ jobId: number; jobState: number | undefined }> {
  const head = encodeMessage(printerRequest(printerUri, IppOp.PrintJob, { operation: [attr('job-name', name(jobName)), PWG_FORMAT] }));
  const res = await postIpp(printerUri, withHead(head, doc), { timeoutMs });
  const jobId = res.message ? numberValue(findAttr(res.message, 'job', 'job-id')) : undefined;
  if (jobId === undefined || res.message === undefined) {
    const status = res.message ? statusKeyword(res.message.code) : `HTTP ${res.status}`;
    throw new Error(`Print-Job failed: ${status}`);
  }
  return { jobId, jobState: numberValue(findAttr(res.message, 'job', 'job-state')) };
}

/** Create-Job; resolves to the new job id. */
export async function createJob(printerUri: string, jobName: string): Promise<number> {
  const res = await ippCall(printerUri, printerRequest(printerUri, IppOp.CreateJob, { operation: [attr('job-name', name(jobName))] }));
  const jobId = numberValue(findAttr(res, 'job', 'job-id'));
  if (jobId === undefined) throw new Error(`Create-Job failed: ${statusKeyword(res.code)}`);
  return jobId;
}

/** Send-Document (last-document true) streaming `doc`; resolves to the status keyword or the transport error text. */
export async function sendDocument(printerUri: string, jobId: number, doc: AsyncIterable<Uint8Array>, timeoutMs: number): Promise<string> {
  const ops = [attr('job-id', integer(jobId)), PWG_FORMAT, attr('last-document', boolean(true))];
  const head = encodeMessage(printerRequest(printerUri, IppOp.SendDocument, { operation: ops }));
  try {
    const res = await postIpp(printerUri, withHead(head, doc), { timeoutMs });
    return res.message ? statusKeyword(res.message.code) : `HTTP ${res.status}`;
  } catch (err) {
    return `request ended: ${(err as Error).message}`;
  }
}

/** Cancel-Job; resolves to the status keyword. */
export async function cancelJob(printerUri: string, jobId: number): Promise<string> {
  const res = await ippCall(printerUri, printerRequest(printerUri, IppOp.CancelJob, { operation: [attr('job-id', integer(jobId))] }));
  return statusKeyword(res.code);
}

/** The job's current job-state enum (undefined when the response lacks it). */
export async function jobState(printerUri: string, jobId: number): Promise<number | undefined> {
  const res = await ippCall(printerUri, printerRequest(printerUri, IppOp.GetJobAttributes, { operation: [attr('job-id', integer(jobId))] }));
  return numberValue(findAttr(res, 'job', 'job-state'));
}

/** Poll every `everyMs` until the job reaches a terminal state; resolves to it, or throws after `timeoutMs`. */
export async function waitTerminal(printerUri: string, jobId: number, timeoutMs: number, everyMs = 20): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const state = await jobState(printerUri, jobId);
    if (state !== undefined && TERMINAL_STATES.includes(state)) return state;
    if (performance.now() > deadline) throw new Error(`job ${jobId} still in state ${state} after ${timeoutMs} ms`);
    await delay(everyMs);
  }
}
