// IPP request validation in ippeveprinter's order, target resolution and the call of the operation handler.
// SPDX-License-Identifier: Apache-2.0
import type { Logger } from 'pino';
import type { IppAttribute, IppGroup, IppMessage } from '../ipp/types.js';
import { charset, naturalLanguage, text } from '../ipp/build.js';
import { statusCode } from '../ipp/status.js';
import { HttpError, IppError } from '../errors.js';
import type { Printer } from '../printer/printer.js';
import type { Job } from '../job/job.js';
import type { ClientIdentity, OperationResult, OperationSpec } from '../operations/context.js';
import { operationTable } from '../operations/index.js';
import { checkAccess } from '../operations/owner.js';
import { anonymousRequestAuth, type RequestAuth } from '../security/authenticate.js';

const GROUP_ORDER: Readonly<Record<string, number>> = {
  operation: 1,
  job: 2,
  printer: 4,
  unsupported: 5,
  subscription: 6,
  'event-notification': 7,
  resource: 8,
  document: 9,
  system: 10,
};

/** One request as the HTTP layer hands it over. */
export interface DispatchRequest {
  readonly message: IppMessage;
  readonly document: AsyncIterable<Uint8Array> | undefined;
  readonly printer: Printer;
  readonly host: string;
  readonly secure: boolean;
  readonly remote: string;
  readonly signal: AbortSignal;
  /** the HTTP layer's logger; the request's child logger { reqId, op } is made here */
  readonly log: Logger;
  readonly reqId: number;
  /** the HTTP layer's authentication result; absent: no credentials, loopback clients administer */
  readonly auth?: RequestAuth;
}

/** Who the client is: a verified login, else its unverified requesting-user-name (security.md §8). */
function identify(req: DispatchRequest, auth: RequestAuth, claimed: string | undefined): ClientIdentity {
  const proven = auth.authenticated;
  if (proven) {
    return { user: proven.user, secure: req.secure, isAdmin: proven.isAdmin, isAuthenticated: true, method: proven.method, remote: req.remote };
  }
  // A store account's name counts only with its password; claimed without one, the job is anonymous.
  const user = claimed && claimed.length > 0 && !auth.isRegistered(claimed) ? claimed : 'anonymous';
  const isAdmin = auth.policy.localAdmin && auth.isLocal;
  return { user, secure: req.secure, isAdmin, isAuthenticated: false, method: claimed ? 'requesting-user-name' : 'none', remote: req.remote };
}

function single(attr: IppAttribute | undefined, syntax: string): string | undefined {
  const v = attr?.values[0];
  if (!attr || attr.values.length !== 1 || !v || v.syntax !== syntax) return undefined;
  return 'value' in v && typeof v.value === 'string' ? v.value : undefined;
}

/** Steps 3-4 of the validation order: group order and the leading operation attributes. */
function checkStructure(msg: IppMessage): readonly IppAttribute[] {
  let last = 0;
  for (const g of msg.groups) {
    const order = GROUP_ORDER[g.tag] ?? 0;
    if (order < last) throw new IppError('client-error-bad-request', `Attribute groups are out of order (${g.tag}).`);
    last = order;
  }
  const first = msg.groups[0];
  if (!first || first.tag !== 'operation') throw new IppError('client-error-bad-request', 'Missing operation attributes.');
  const attrs = first.attributes;
  if (msg.groups.filter((g) => g.tag === 'operation').length > 1) {
    throw new IppError('client-error-bad-request', 'More than one operation attribute group.');
  }
  const cs = attrs[0];
  const lang = attrs[1];
  if (cs?.name !== 'attributes-charset' || single(cs, 'charset') === undefined) {
    throw new IppError('client-error-bad-request', 'Missing or bad attributes-charset as first attribute.');
  }
  if (lang?.name !== 'attributes-natural-language' || single(lang, 'naturalLanguage') === undefined) {
    throw new IppError('client-error-bad-request', 'Missing or bad attributes-natural-language as second attribute.');
  }
  const names = new Set<string>();
  for (const a of attrs) {
    if (names.has(a.name)) throw new IppError('client-error-bad-request', `Repeated operation attribute ${a.name}.`);
    names.add(a.name);
  }
  return attrs;
}

/** The job a job-targeted request names (job-uri, or printer-uri + job-id). */
function resolveJob(printer: Printer, ops: ReadonlyMap<string, IppAttribute>): Job {
  const jobUri = single(ops.get('job-uri'), 'uri');
  let id: number | undefined;
  if (jobUri !== undefined) {
    const match = /\/ipp\/print\/(\d+)$/.exec(jobUri);
    if (!match) throw new IppError('client-error-not-found', 'job-uri does not name a job of this printer.');
    id = Number(match[1]);
  } else {
    const v = ops.get('job-id')?.values[0];
    if (!v || v.syntax !== 'integer') throw new IppError('client-error-bad-request', 'Missing job-id.');
    id = v.value;
  }
  const job = printer.jobs.get(id);
  if (!job) throw new IppError('client-error-not-found', `Job #${id} does not exist.`);
  return job;
}

/** Steps 4-6: target URI, charset, target existence, operation support. */
function resolveTarget(
  msg: IppMessage,
  ops: ReadonlyMap<string, IppAttribute>,
  printer: Printer,
): { spec: OperationSpec; job: Job | undefined } {
  const printerUri = single(ops.get('printer-uri'), 'uri');
  const jobUri = single(ops.get('job-uri'), 'uri');
  if (printerUri === undefined && jobUri === undefined) {
    throw new IppError('client-error-bad-request', 'Missing printer-uri or job-uri.');
  }
  const cs = single(ops.get('attributes-charset'), 'charset')?.toLowerCase();
  if (cs !== 'utf-8' && cs !== 'us-ascii') {
    throw new IppError('client-error-charset-not-supported', `Unsupported character set "${cs ?? ''}".`);
  }
  if (printerUri !== undefined && !isOurPrinterUri(printerUri)) {
    throw new IppError('client-error-not-found', 'printer-uri does not name this printer.');
  }
  const spec = operationTable.get(msg.code);
  if (!spec) throw new IppError('server-error-operation-not-supported', 'Operation not supported.');
  if (spec.target === 'job') return { spec, job: resolveJob(printer, ops) };
  if (printerUri === undefined) throw new IppError('client-error-bad-request', 'Missing printer-uri.');
  return { spec, job: undefined };
}

function isOurPrinterUri(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  if (!['ipp:', 'ipps:', 'http:', 'https:'].includes(url.protocol)) return false;
  const path = url.pathname.replace(/\/+$/, '');
  return path === '/ipp/print' || path === '';
}

/** Build the response message for a result. */
export function buildResponse(request: Pick<IppMessage, 'version' | 'requestId'>, result: OperationResult): IppMessage {
  const opAttrs: IppAttribute[] = [
    { name: 'attributes-charset', values: [charset('utf-8')] },
    { name: 'attributes-natural-language', values: [naturalLanguage('en')] },
  ];
  if (result.message) opAttrs.push({ name: 'status-message', values: [text(result.message.slice(0, 255))] });
  const groups: IppGroup[] = [{ tag: 'operation', attributes: opAttrs }];
  if (result.unsupported && result.unsupported.length > 0) groups.push({ tag: 'unsupported', attributes: result.unsupported });
  groups.push(...(result.groups ?? []));
  const major = request.version.major === 1 || request.version.major === 2 ? request.version.major : 2;
  const minor = request.version.major === major ? request.version.minor : 0;
  return { version: { major, minor }, code: statusCode(result.status), requestId: request.requestId, groups };
}

/** An error result for an IppError. */
function errorResult(err: IppError): OperationResult {
  return {
    status: err.status,
    message: err.message,
    unsupported: [
      ...err.unsupportedAttributes,
      ...err.unsupported.map((n): IppAttribute => ({ name: n, values: [{ syntax: 'out-of-band', value: 'unsupported' }] })),
    ],
  };
}

/** Validate and run one IPP request; errors become IPP statuses, except HttpError (401) which the HTTP layer sends. */
export async function dispatch(req: DispatchRequest): Promise<IppMessage> {
  const msg = req.message;
  let opName = `0x${msg.code.toString(16)}`;
  try {
    if (msg.version.major !== 1 && msg.version.major !== 2) {
      throw new IppError('server-error-version-not-supported', `Bad request version ${msg.version.major}.${msg.version.minor}.`);
    }
    if (msg.requestId <= 0) throw new IppError('client-error-bad-request', 'Bad request-id.');
    const attrs = checkStructure(msg);
    const ops = new Map(attrs.map((a) => [a.name, a] as const));
    const { spec, job } = resolveTarget(msg, ops, req.printer);
    opName = spec.name;
    const user = single(ops.get('requesting-user-name'), 'name') ?? single(ops.get('requesting-user-name'), 'nameWithLanguage');
    const auth = req.auth ?? anonymousRequestAuth(req.remote);
    const identity = identify(req, auth, user);
    checkAccess(spec, identity, { anonymousPrinting: auth.policy.anonymousPrinting, challenge: auth.challenge });
    const log = req.log.child({ reqId: req.reqId, op: spec.name });
    const result = await spec.handler({
      request: msg,
      operation: ops,
      printer: req.printer,
      job,
      identity,
      document: spec.acceptsDocument ? req.document : undefined,
      signal: req.signal,
      log,
      host: req.host,
      jobPrivacy: auth.policy.jobPrivacy,
    });
    return buildResponse(msg, result);
  } catch (err) {
    // An HTTP-level refusal (401 with a challenge) has no IPP body: the HTTP layer sends it.
    if (err instanceof HttpError) throw err;
    if (err instanceof IppError) {
      req.log.debug({ reqId: req.reqId, op: opName, status: err.status, reason: err.message }, 'request refused');
      return buildResponse(msg, errorResult(err));
    }
    req.log.error({ err, reqId: req.reqId, op: opName }, 'operation failed');
    return buildResponse(msg, { status: 'server-error-internal-error', message: 'Internal error.' });
  }
}
