// Test-only IPP client without a network: builds request messages (operation attributes in the required order)
// and hands them to dispatch() with a document as an async iterable; helpers read the responses.
// SPDX-License-Identifier: Apache-2.0
import { pino, type Logger } from 'pino';
import { attr, charset, findAttr, integer, name, naturalLanguage, uri } from '../../src/ipp/build.js';
import type { GroupTag, IppAttribute, IppGroup, IppMessage, IppValue } from '../../src/ipp/types.js';
import { statusKeyword } from '../../src/ipp/status.js';
import { dispatch } from '../../src/server/dispatch.js';
import type { Printer } from '../../src/printer/printer.js';

/** The host the fake client addresses. */
export const TEST_HOST = 'localhost:8631';
/** The printer-uri a client would send. */
export const PRINTER_URI = `ipp://${TEST_HOST}/ipp/print`;

/** What to put in a request. */
export interface RequestSpec {
  readonly requestId?: number;
  readonly version?: { readonly major: number; readonly minor: number };
  /** default PRINTER_URI; null leaves printer-uri out */
  readonly printerUri?: string | null;
  readonly jobId?: number;
  readonly jobUri?: string;
  /** requesting-user-name; default 'alice'; null leaves it out */
  readonly user?: string | null;
  /** extra operation attributes after the target and user */
  readonly operation?: readonly IppAttribute[];
  /** job template attributes (job group) */
  readonly job?: readonly IppAttribute[];
  /** replace the whole group list (for malformed requests) */
  readonly groups?: readonly IppGroup[];
}

/** The standard leading operation attributes: attributes-charset, attributes-natural-language. */
export function leadingAttributes(cs = 'utf-8', lang = 'en'): IppAttribute[] {
  return [attr('attributes-charset', charset(cs)), attr('attributes-natural-language', naturalLanguage(lang))];
}

/** A request message; operation attributes first in RFC 8011 §4.1.4 order. */
export function request(code: number, spec: RequestSpec = {}): IppMessage {
  const ops: IppAttribute[] = leadingAttributes();
  const printerUri = spec.printerUri === undefined ? PRINTER_URI : spec.printerUri;
  if (spec.jobUri !== undefined) ops.push(attr('job-uri', uri(spec.jobUri)));
  else if (printerUri !== null) ops.push(attr('printer-uri', uri(printerUri)));
  if (spec.jobId !== undefined) ops.push(attr('job-id', integer(spec.jobId)));
  const user = spec.user === undefined ? 'alice' : spec.user;
  if (user !== null) ops.push(attr('requesting-user-name', name(user)));
  ops.push(...(spec.operation ?? []));
  const groups: IppGroup[] = [{ tag: 'operation', attributes: ops }];
  if (spec.job && spec.job.length > 0) groups.push({ tag: 'job', attributes: spec.job });
  return {
    version: spec.version ?? { major: 2, minor: 0 },
    code,
    requestId: spec.requestId ?? 1,
    groups: spec.groups ?? groups,
  };
}

/** Options of {@link callDispatch}. */
export interface CallOptions {
  readonly signal?: AbortSignal;
  readonly log?: Logger;
  readonly host?: string;
}

/** A document as dispatch expects it: chunks of `size` bytes. */
export async function* documentOf(data: Uint8Array, size = 4096): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, Math.min(data.length, i + size));
}

/** Run one request through dispatch() against `printer`. */
export function callDispatch(
  printer: Printer,
  message: IppMessage,
  document?: Uint8Array | AsyncIterable<Uint8Array>,
  opts: CallOptions = {},
): Promise<IppMessage> {
  const doc = document instanceof Uint8Array ? documentOf(document) : document;
  return dispatch({
    message,
    document: doc,
    printer,
    host: opts.host ?? TEST_HOST,
    secure: false,
    remote: '127.0.0.1:40000',
    reqId: 1,
    signal: opts.signal ?? new AbortController().signal,
    log: opts.log ?? pino({ level: 'silent' }),
  });
}

/** The response's status keyword. */
export function statusOf(response: IppMessage): string {
  return statusKeyword(response.code);
}

/** Every group with `tag`, in order. */
export function groupsOf(response: IppMessage, tag: GroupTag): IppGroup[] {
  return response.groups.filter((g) => g.tag === tag);
}

/** The first value of an attribute of the first group with `tag`. */
export function valueOf(response: IppMessage, tag: GroupTag, attrName: string): IppValue | undefined {
  return findAttr(response, tag, attrName)?.values[0];
}

/** The attribute names of a group, in order. */
export function namesOf(group: IppGroup | undefined): string[] {
  return group ? group.attributes.map((a) => a.name) : [];
}

/** A plain JS value for a single IPP value (numbers, strings, booleans), for compact assertions. */
export function plain(v: IppValue | undefined): unknown {
  if (!v) return undefined;
  switch (v.syntax) {
    case 'integer':
    case 'enum':
    case 'boolean':
    case 'keyword':
    case 'uri':
    case 'uriScheme':
    case 'charset':
    case 'naturalLanguage':
    case 'mimeMediaType':
    case 'name':
    case 'text':
    case 'nameWithLanguage':
    case 'textWithLanguage':
    case 'out-of-band':
      return v.value;
    default:
      return v;
  }
}

/** The job-id in a job-creating response, or throws. */
export function jobIdOf(response: IppMessage): number {
  const v = valueOf(response, 'job', 'job-id');
  if (!v || v.syntax !== 'integer') throw new Error(`no job-id in response (${statusOf(response)})`);
  return v.value;
}
