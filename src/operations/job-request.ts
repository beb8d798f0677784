// Shared checks of job-creating requests (Print-Job, Validate-Job, Create-Job, Send-Document): operation attributes,
// document format, compression, the job template, and ipp-attribute-fidelity.
// SPDX-License-Identifier: Apache-2.0
import type { IppAttribute } from '../ipp/types.js';
import { booleanValue, findAttr, groupAttrs, stringValue } from '../ipp/build.js';
import { IppError } from '../errors.js';
import { parseJobTemplate, type JobTemplate } from '../job/options.js';
import type { OperationContext } from './context.js';

/** compression-supported. */
export const COMPRESSION_SUPPORTED = ['none', 'deflate', 'gzip'] as const;

/** A checked job-creation request. */
export interface JobRequest {
  readonly name: string;
  readonly format: string;
  readonly compression: string;
  readonly template: JobTemplate;
  readonly unsupported: readonly IppAttribute[];
}

function typed(ctx: OperationContext, attrName: string, syntaxes: readonly string[]): IppAttribute | undefined {
  const a = ctx.operation.get(attrName);
  if (!a) return undefined;
  const v = a.values[0];
  if (a.values.length !== 1 || !v || !syntaxes.includes(v.syntax)) {
    throw new IppError('client-error-bad-request', `Bad ${attrName} value.`, { unsupported: [attrName] });
  }
  return a;
}

/** The document-format a request names (default: the printer's), checked against document-format-supported. */
export function documentFormat(ctx: OperationContext): string {
  const format = stringValue(typed(ctx, 'document-format', ['mimeMediaType'])) ?? ctx.printer.config.documentFormatDefault;
  if (!ctx.printer.config.documentFormats.includes(format.toLowerCase())) {
    throw new IppError('client-error-document-format-not-supported', `Unsupported document-format "${format}".`, {
      unsupported: ['document-format'],
    });
  }
  return format.toLowerCase();
}

/** The compression a request names (default none), checked against compression-supported. */
export function compression(ctx: OperationContext): string {
  const value = stringValue(typed(ctx, 'compression', ['keyword'])) ?? 'none';
  if (!(COMPRESSION_SUPPORTED as readonly string[]).includes(value)) {
    throw new IppError('client-error-compression-not-supported', `Unsupported compression "${value}".`, {
      unsupported: ['compression'],
    });
  }
  return value;
}

/** Check a job-creating request; with ipp-attribute-fidelity true any unsupported attribute rejects it. */
export function checkJobRequest(ctx: OperationContext, withDocument: boolean): JobRequest {
  const fidelity = booleanValue(typed(ctx, 'ipp-attribute-fidelity', ['boolean'])) ?? false;
  const name =
    stringValue(typed(ctx, 'job-name', ['name', 'nameWithLanguage'])) ??
    stringValue(findAttr(ctx.request, 'job', 'job-name')) ??
    stringValue(typed(ctx, 'document-name', ['name', 'nameWithLanguage'])) ??
    'Untitled';
  const format = withDocument ? documentFormat(ctx) : ctx.printer.config.documentFormatDefault;
  const comp = withDocument ? compression(ctx) : 'none';
  const template = parseJobTemplate(groupAttrs(ctx.request, 'job'), ctx.printer.capabilities, ctx.printer.jobDefaults);
  if (fidelity && template.unsupported.length > 0) {
    throw new IppError('client-error-attributes-or-values-not-supported', 'Unsupported attributes or values.', {
      unsupportedAttributes: template.unsupported,
    });
  }
  return { name: name.slice(0, 255), format, compression: comp, template, unsupported: template.unsupported };
}
