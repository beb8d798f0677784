// Request processing of a read-only community agent: GET, GETNEXT, GETBULK, SET (RFC 3416 §4.2) with the
// SNMPv1 coexistence rules of RFC 3584 §4 and the response size caps of snmp-printer-mib.md §7. Pure.
// SPDX-License-Identifier: Apache-2.0
import { ErrorStatus, type CommunityMessage, type Oid, type Pdu, type SnmpValue, type VarBind } from './types.js';
import { encodeMessage } from './message.js';
import { compareOids } from './oid.js';

/** What respond() reads the MIB through (MibTree of mib.ts fits it); `V` is one captured view of the state. */
export interface MibReader<V> {
  /** The value of `oid`, or noSuchObject / noSuchInstance. */
  get(view: V, oid: Oid): SnmpValue;
  /** The first instance after `oid` in lexicographic order, or undefined at the end of the MIB. */
  next(view: V, oid: Oid): VarBind | undefined;
}

/** Limits and the encoder respond() measures responses with. */
export interface RespondOptions {
  /** largest encoded response message, in bytes */
  readonly maxResponseBytes: number;
  /** most varbinds in a GetBulk response */
  readonly maxBulkVarbinds: number;
  /** the message encoder, encodeMessage by default; it may throw on a value it cannot encode */
  readonly encode?: (msg: CommunityMessage) => Uint8Array;
}

/** Why respond() sends nothing. */
export type DropReason = 'not-a-request' | 'bulk-in-v1' | 'too-big' | 'unencodable';

/** The outcome of one request: bytes to send, or a silent drop; `failure` is a provider or encoder exception. */
export type RespondResult =
  | { readonly action: 'send'; readonly response: CommunityMessage; readonly bytes: Uint8Array; readonly failure?: unknown }
  | { readonly action: 'drop'; readonly reason: DropReason; readonly failure?: unknown };

/** A whole-PDU error: the response echoes the request varbinds with this status and 1-based index. */
interface PduError {
  readonly errorStatus: number;
  readonly errorIndex: number;
}

type Answer = { readonly varbinds: readonly VarBind[] } | PduError;

type RequestType = 'get' | 'getNext' | 'getBulk' | 'set';

const END_OF_MIB_VIEW: SnmpValue = { type: 'endOfMibView' };

/** Tracks the 1-based position of the varbind being processed, so a provider exception gets a genErr index. */
class Cursor {
  index = 0;
}

/**
 * Answer one request of an already authenticated community message from one view taken by `capture()`.
 * A v1 GetBulk is dropped (it is not a v1 PDU, RFC 1157 §4); response-class PDUs are dropped.
 */
export function respond<V>(tree: MibReader<V>, capture: () => V, request: CommunityMessage, opts: RespondOptions): RespondResult {
  const type = request.pdu.type;
  if (!isRequestType(type)) return { action: 'drop', reason: 'not-a-request' };
  if (type === 'getBulk' && request.version === 0) return { action: 'drop', reason: 'bulk-in-v1' };

  // Process from one captured view; any exception becomes genErr at the varbind being processed.
  const cursor = new Cursor();
  let answer: Answer;
  let failure: unknown;
  try {
    answer = answerRequest(type, tree, capture, request, opts, cursor);
  } catch (err) {
    failure = err;
    answer = { errorStatus: ErrorStatus.genErr, errorIndex: cursor.index };
  }
  return finish(request, answer, opts, failure);
}

/** Whether a received PDU is one an agent answers (RFC 3411 §2.8 Confirmed Class, less Inform). */
function isRequestType(type: Pdu['type']): type is RequestType {
  return type === 'get' || type === 'getNext' || type === 'getBulk' || type === 'set';
}

/** Dispatch on the PDU type. */
function answerRequest<V>(
  type: RequestType,
  tree: MibReader<V>,
  capture: () => V,
  request: CommunityMessage,
  opts: RespondOptions,
  cursor: Cursor,
): Answer {
  const { pdu, version } = request;
  switch (type) {
    case 'set':
      // Read-only agent: v1 has no notWritable (RFC 3584 §4 maps it to noSuchName).
      if (pdu.varbinds.length === 0) return { varbinds: [] };
      return { errorStatus: version === 0 ? ErrorStatus.noSuchName : ErrorStatus.notWritable, errorIndex: 1 };
    case 'get':
      return get(tree, capture(), pdu, version, cursor);
    case 'getNext':
      return getNext(tree, capture(), pdu, version, cursor);
    case 'getBulk':
      return getBulk(tree, capture(), pdu, opts.maxBulkVarbinds, cursor);
    default: {
      const never: never = type;
      throw new Error(`unexpected PDU type ${String(never)}`);
    }
  }
}

/** GET (RFC 3416 §4.2.1); for v1 a missing value or a Counter64 fails the whole PDU with noSuchName. */
function get<V>(tree: MibReader<V>, view: V, pdu: Pdu, version: 0 | 1, cursor: Cursor): Answer {
  const out: VarBind[] = [];
  for (const [i, vb] of pdu.varbinds.entries()) {
    cursor.index = i + 1;
    const value = tree.get(view, vb.oid);
    if (version === 0 && !isV1Value(value)) return { errorStatus: ErrorStatus.noSuchName, errorIndex: i + 1 };
    out.push({ oid: vb.oid, value });
  }
  return { varbinds: out };
}

/** GETNEXT (RFC 3416 §4.2.2); v1 skips Counter64 instances and answers noSuchName past the end. */
function getNext<V>(tree: MibReader<V>, view: V, pdu: Pdu, version: 0 | 1, cursor: Cursor): Answer {
  const out: VarBind[] = [];
  for (const [i, vb] of pdu.varbinds.entries()) {
    cursor.index = i + 1;
    const found = version === 0 ? nextV1(tree, view, vb.oid) : nextV2(tree, view, vb.oid);
    if (found === undefined) return { errorStatus: ErrorStatus.noSuchName, errorIndex: i + 1 };
    out.push(found);
  }
  return { varbinds: out };
}

/**
 * GETBULK (RFC 3416 §4.2.3): each of the N non-repeaters once, then up to M rounds over the R repeaters; a
 * column past the end repeats its name with endOfMibView; stops after a round where every column has ended, and
 * at `maxVarbinds` (the RFC lets a response carry fewer varbinds).
 */
function getBulk<V>(tree: MibReader<V>, view: V, pdu: Pdu, maxVarbinds: number, cursor: Cursor): Answer {
  const requested = pdu.varbinds;
  const n = Math.min(Math.max(pdu.errorStatus, 0), requested.length);
  const m = Math.max(pdu.errorIndex, 0);
  const r = requested.length - n;
  const out: VarBind[] = [];
  for (let i = 0; i < n && out.length < maxVarbinds; i++) {
    cursor.index = i + 1;
    out.push(nextV2(tree, view, at(requested, i).oid));
  }
  const columns = requested.slice(n).map((vb) => ({ oid: vb.oid, ended: false }));
  for (let round = 0; round < m && r > 0; round++) {
    for (const [j, column] of columns.entries()) {
      if (out.length >= maxVarbinds) return { varbinds: out };
      cursor.index = n + j + 1;
      const found = column.ended ? { oid: column.oid, value: END_OF_MIB_VIEW } : nextV2(tree, view, column.oid);
      column.oid = found.oid;
      column.ended = found.value.type === 'endOfMibView';
      out.push(found);
    }
    if (columns.every((c) => c.ended)) break;
  }
  return { varbinds: out };
}

/** The successor of `oid` for v2c: endOfMibView under the same name at the end. */
function nextV2<V>(tree: MibReader<V>, view: V, oid: Oid): VarBind {
  return checkedNext(tree, view, oid) ?? { oid, value: END_OF_MIB_VIEW };
}

/** The successor of `oid` for v1, skipping values v1 cannot carry (Counter64, RFC 3584 §4). */
function nextV1<V>(tree: MibReader<V>, view: V, oid: Oid): VarBind | undefined {
  let found = checkedNext(tree, view, oid);
  while (found !== undefined && !isV1Value(found.value)) found = checkedNext(tree, view, found.oid);
  return found;
}

/** tree.next, refusing a result that does not increase (a provider bug would loop a walk forever). */
function checkedNext<V>(tree: MibReader<V>, view: V, oid: Oid): VarBind | undefined {
  const found = tree.next(view, oid);
  if (found !== undefined && compareOids(found.oid, oid) <= 0) {
    throw new Error(`MIB successor ${found.oid.join('.')} does not follow ${oid.join('.')}`);
  }
  return found;
}

/** Whether an SNMPv1 message can carry `value` (no exceptions, no Counter64). */
function isV1Value(value: SnmpValue): boolean {
  switch (value.type) {
    case 'noSuchObject':
    case 'noSuchInstance':
    case 'endOfMibView':
    case 'counter64':
      return false;
    default:
      return true;
  }
}

/** Element `i` of a list the caller has bounds-checked. */
function at<T>(list: readonly T[], i: number): T {
  const item = list[i];
  if (item === undefined) throw new RangeError(`index ${i} out of range`);
  return item;
}

/**
 * Encode the answer within maxResponseBytes: GetBulk drops trailing varbinds; other PDUs fall back to tooBig
 * (v2c: empty varbinds, RFC 3416 §4.2.1; v1: the request varbinds, RFC 1157 §4.1.2); what still does not fit is
 * dropped (snmpSilentDrops). An encoder exception turns a normal answer into genErr.
 */
function finish(request: CommunityMessage, answer: Answer, opts: RespondOptions, failure: unknown): RespondResult {
  const withFailure = failure === undefined ? {} : { failure };
  const response = build(request, answer);
  const bytes = tryEncode(response, opts);
  if (bytes instanceof Error) {
    if (!('varbinds' in answer)) return { action: 'drop', reason: 'unencodable', failure: bytes.cause };
    return finish(request, { errorStatus: ErrorStatus.genErr, errorIndex: 0 }, opts, bytes.cause);
  }
  if (bytes.length <= opts.maxResponseBytes) return { action: 'send', response, bytes, ...withFailure };
  if (request.pdu.type === 'getBulk' && 'varbinds' in answer) {
    return { ...trimBulk(request, answer.varbinds, opts), ...withFailure };
  }
  const tooBig = build(request, { errorStatus: ErrorStatus.tooBig, errorIndex: 0 });
  const alternate: CommunityMessage =
    request.version === 0 ? tooBig : { ...tooBig, pdu: { ...tooBig.pdu, varbinds: [] } };
  const alternateBytes = tryEncode(alternate, opts);
  if (alternateBytes instanceof Error) return { action: 'drop', reason: 'unencodable', failure: alternateBytes.cause };
  if (alternateBytes.length <= opts.maxResponseBytes) {
    return { action: 'send', response: alternate, bytes: alternateBytes, ...withFailure };
  }
  return { action: 'drop', reason: 'too-big', ...withFailure };
}

/** opts.encode, with an exception wrapped in an Error whose cause is what the encoder threw. */
function tryEncode(msg: CommunityMessage, opts: RespondOptions): Uint8Array | Error {
  try {
    return (opts.encode ?? encodeMessage)(msg);
  } catch (err) {
    return new Error('response cannot be encoded', { cause: err });
  }
}

/** The largest prefix of `varbinds` whose response fits (binary search over the encoded size). */
function trimBulk(request: CommunityMessage, varbinds: readonly VarBind[], opts: RespondOptions): RespondResult {
  let best: { response: CommunityMessage; bytes: Uint8Array } | undefined;
  let low = 0;
  let high = varbinds.length - 1;
  while (low <= high) {
    const count = Math.floor((low + high) / 2);
    const response = build(request, { varbinds: varbinds.slice(0, count) });
    const bytes = tryEncode(response, opts);
    if (!(bytes instanceof Error) && bytes.length <= opts.maxResponseBytes) {
      best = { response, bytes };
      low = count + 1;
    } else {
      high = count - 1;
    }
  }
  return best === undefined ? { action: 'drop', reason: 'too-big' } : { action: 'send', ...best };
}

/** The response message for an answer; an error echoes the request varbinds (RFC 3416 §4.2.1). */
function build(request: CommunityMessage, answer: Answer): CommunityMessage {
  const { pdu } = request;
  const fields =
    'varbinds' in answer
      ? { errorStatus: ErrorStatus.noError, errorIndex: 0, varbinds: answer.varbinds }
      : { errorStatus: answer.errorStatus, errorIndex: answer.errorIndex, varbinds: pdu.varbinds };
  return { version: request.version, community: request.community, pdu: { type: 'response', requestId: pdu.requestId, ...fields } };
}
