// The operation table: op code -> handler and dispatcher metadata (operations-supported is derived from it).
// SPDX-License-Identifier: Apache-2.0
import { IppOp } from '../ipp/ops.js';
import type { OperationSpec } from './context.js';
import { printJob } from './print-job.js';
import { validateJob } from './validate-job.js';
import { createJob } from './create-job.js';
import { sendDocument } from './send-document.js';
import { closeJob } from './close-job.js';
import { cancelJob } from './cancel-job.js';
import { cancelJobs, cancelMyJobs } from './cancel-jobs.js';
import { getJobAttributes } from './get-job-attributes.js';
import { getJobs } from './get-jobs.js';
import { getPrinterAttributes } from './get-printer-attributes.js';
import { identifyPrinter } from './identify-printer.js';
import { holdJob, releaseJob } from './hold-release.js';
import { pausePrinter, resumePrinter } from './pause-resume.js';

const SPECS: readonly OperationSpec[] = [
  { code: IppOp.PrintJob, name: 'Print-Job', target: 'printer', acceptsDocument: true, access: 'create', handler: printJob },
  { code: IppOp.ValidateJob, name: 'Validate-Job', target: 'printer', acceptsDocument: false, access: 'create', handler: validateJob },
  { code: IppOp.CreateJob, name: 'Create-Job', target: 'printer', acceptsDocument: false, access: 'create', handler: createJob },
  { code: IppOp.SendDocument, name: 'Send-Document', target: 'job', acceptsDocument: true, handler: sendDocument },
  { code: IppOp.CancelJob, name: 'Cancel-Job', target: 'job', acceptsDocument: false, handler: cancelJob },
  { code: IppOp.GetJobAttributes, name: 'Get-Job-Attributes', target: 'job', acceptsDocument: false, handler: getJobAttributes },
  { code: IppOp.GetJobs, name: 'Get-Jobs', target: 'printer', acceptsDocument: false, handler: getJobs },
  { code: IppOp.GetPrinterAttributes, name: 'Get-Printer-Attributes', target: 'printer', acceptsDocument: false, handler: getPrinterAttributes },
  { code: IppOp.HoldJob, name: 'Hold-Job', target: 'job', acceptsDocument: false, handler: holdJob },
  { code: IppOp.ReleaseJob, name: 'Release-Job', target: 'job', acceptsDocument: false, handler: releaseJob },
  { code: IppOp.PausePrinter, name: 'Pause-Printer', target: 'printer', acceptsDocument: false, access: 'admin', handler: pausePrinter },
  { code: IppOp.ResumePrinter, name: 'Resume-Printer', target: 'printer', acceptsDocument: false, access: 'admin', handler: resumePrinter },
  { code: IppOp.CancelJobs, name: 'Cancel-Jobs', target: 'printer', acceptsDocument: false, access: 'admin', handler: cancelJobs },
  { code: IppOp.CancelMyJobs, name: 'Cancel-My-Jobs', target: 'printer', acceptsDocument: false, handler: cancelMyJobs },
  { code: IppOp.CloseJob, name: 'Close-Job', target: 'job', acceptsDocument: false, handler: closeJob },
  { code: IppOp.IdentifyPrinter, name: 'Identify-Printer', target: 'printer', acceptsDocument: false, handler: identifyPrinter },
];

/** Supported operations by code. */
export const operationTable: ReadonlyMap<number, OperationSpec> = new Map(SPECS.map((s) => [s.code, s]));

/** operations-supported, in code order. */
export const OPERATIONS_SUPPORTED: readonly number[] = SPECS.map((s) => s.code).sort((a, b) => a - b);
