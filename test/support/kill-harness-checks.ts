// Checks and client calls of the kill -9 harness: every JSON file of a state dir parses, job records are whole,
// and the IPP requests the harness sends (Print-Job, Create-Job, Send-Document, Get-Jobs, Get-Job-Attributes).
// SPDX-License-Identifier: Apache-2.0
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { attr, boolean, findAttr, integer, keyword, mimeMediaType, name, numberValue, stringValue, strings } from '../../src/ipp/build.js';
import { IppOp } from '../../src/ipp/ops.js';
import { statusKeyword } from '../../src/ipp/status.js';
import type { IppMessage } from '../../src/ipp/types.js';
import { isJobRecord } from '../../src/job/record-check.js';
import { ippCall, printerRequest } from './server.js';

/** What a scan of the state dir found. */
export interface StateScan {
  /** JSON files that are empty, do not parse, or (under jobs/) are not whole job records */
  readonly corrupt: string[];
  /** files the server moved aside as corrupt (`*.corrupt-*`) */
  readonly quarantined: string[];
  readonly jsonFiles: number;
}

/** Parse every *.json file under `dir` (the engine's page output excepted). */
export async function scanStateDir(dir: string): Promise<StateScan> {
  const corrupt: string[] = [];
  const quarantined: string[] = [];
  let jsonFiles = 0;
  const walk = async (sub: string): Promise<void> => {
    for (const entry of await readdir(join(dir, sub), { withFileTypes: true })) {
      const rel = join(sub, entry.name);
      if (entry.isDirectory()) {
        if (rel !== 'output') await walk(rel);
        continue;
      }
      if (entry.name.includes('.corrupt-')) quarantined.push(rel);
      if (!entry.name.endsWith('.json')) continue;
      jsonFiles++;
      const text = await readFile(join(dir, rel), 'utf8');
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch {
        corrupt.push(`${rel} (${text.length === 0 ? 'empty' : 'not JSON'})`);
        continue;
      }
      if (sub === 'jobs' && /^\d+\.json$/.test(entry.name) && !isJobRecord(doc)) corrupt.push(`${rel} (not a job record)`);
    }
  };
  await walk('');
  return { corrupt, quarantined, jsonFiles };
}

/** One job as Get-Job-Attributes / Get-Jobs report it. */
export interface JobView {
  readonly id: number;
  readonly uuid: string | undefined;
  readonly state: number;
  readonly reasons: readonly string[];
  readonly message: string;
}

function jobView(attrs: IppMessage['groups'][number]['attributes']): JobView {
  const get = (n: string): IppMessage['groups'][number]['attributes'][number] | undefined => attrs.find((a) => a.name === n);
  return {
    id: numberValue(get('job-id')) ?? 0,
    uuid: stringValue(get('job-uuid')),
    state: numberValue(get('job-state')) ?? 0,
    reasons: (get('job-state-reasons')?.values ?? []).map((v) => ('value' in v ? String(v.value) : '')),
    message: stringValue(get('job-state-message')) ?? '',
  };
}

const JOB_ATTRS = ['job-id', 'job-uuid', 'job-state', 'job-state-reasons', 'job-state-message'];

function requestedAttributes(): IppMessage['groups'][number]['attributes'][number] {
  return strings('requested-attributes', 'keyword', JOB_ATTRS);
}

/** Get-Job-Attributes; undefined when the printer says client-error-not-found. */
export async function getJob(uri: string, id: number): Promise<JobView | undefined> {
  const res = await ippCall(uri, printerRequest(uri, IppOp.GetJobAttributes, {
    operation: [attr('job-id', integer(id)), requestedAttributes()],
  }));
  if (statusKeyword(res.code) === 'client-error-not-found') return undefined;
  const group = res.groups.find((g) => g.tag === 'job');
  if (!group) throw new Error(`Get-Job-Attributes ${id}: ${statusKeyword(res.code)}`);
  return jobView(group.attributes);
}

/** Get-Jobs which-jobs=all. */
export async function getAllJobs(uri: string): Promise<JobView[]> {
  const res = await ippCall(uri, printerRequest(uri, IppOp.GetJobs, {
    operation: [attr('which-jobs', keyword('all')), requestedAttributes()],
  }));
  return res.groups.filter((g) => g.tag === 'job').map((g) => jobView(g.attributes));
}

/** The job-id of a successful job-creating response, else undefined (and the status keyword). */
function accepted(res: IppMessage): { id: number | undefined; status: string } {
  const status = statusKeyword(res.code);
  const ok = status === 'successful-ok' || status === 'successful-ok-ignored-or-substituted-attributes';
  return { id: ok ? numberValue(findAttr(res, 'job', 'job-id')) : undefined, status };
}

const PWG = attr('document-format', mimeMediaType('image/pwg-raster'));

/** Print-Job a PWG raster document. */
export async function printJob(uri: string, doc: Uint8Array, jobName: string): Promise<{ id: number | undefined; status: string }> {
  const req = printerRequest(uri, IppOp.PrintJob, { operation: [attr('job-name', name(jobName)), PWG] });
  return accepted(await ippCall(uri, req, doc));
}

/** Create-Job without a document. */
export async function createJob(uri: string, jobName: string): Promise<{ id: number | undefined; status: string }> {
  return accepted(await ippCall(uri, printerRequest(uri, IppOp.CreateJob, { operation: [attr('job-name', name(jobName))] })));
}

/** Send-Document (last-document true); returns the status keyword. */
export async function sendDocument(uri: string, id: number, doc: Uint8Array): Promise<string> {
  const req = printerRequest(uri, IppOp.SendDocument, { operation: [attr('job-id', integer(id)), PWG, attr('last-document', boolean(true))] });
  return statusKeyword((await ippCall(uri, req, doc)).code);
}

/** Get-Printer-Attributes printer-state-reasons (throws when the printer does not answer). */
export async function printerReasons(uri: string): Promise<string[]> {
  const res = await ippCall(uri, printerRequest(uri, IppOp.GetPrinterAttributes, {
    operation: [attr('requested-attributes', keyword('printer-state-reasons'))],
  }));
  if (statusKeyword(res.code) !== 'successful-ok') throw new Error(`Get-Printer-Attributes: ${statusKeyword(res.code)}`);
  return (findAttr(res, 'printer', 'printer-state-reasons')?.values ?? []).map((v) => ('value' in v ? String(v.value) : ''));
}
