// SNMPv1/v2c message layout (RFC 1157 §4, RFC 1901 §3, RFC 3416 §3): decode from and encode to BER, plus exact
// encoded sizes so the agent can budget a response (tooBig, GetBulk trimming) before it encodes.
// SPDX-License-Identifier: Apache-2.0
import { SnmpDecodeError } from '../errors.js';
import {
  BerReader,
  Tag,
  copyBytes,
  decodeOid,
  encodeError,
  int32Size,
  oidSize,
  tlvSize,
  writeHeader,
  writeIntContent,
  writeOidContent,
} from './ber.js';
import type { CommunityMessage, Pdu, PduType, SnmpValue, VarBind } from './types.js';
import { decodeValue, valueSize, writeValue } from './value-codec.js';

/** PDU context tags (RFC 3416 §3); 'trap' is the SNMPv1 Trap-PDU, which the codec rejects. */
export const PduTag: Readonly<Record<PduType, number>> = {
  get: 0xa0,
  getNext: 0xa1,
  response: 0xa2,
  set: 0xa3,
  trap: 0xa4,
  getBulk: 0xa5,
  inform: 0xa6,
  trapV2: 0xa7,
  report: 0xa8,
};

const PDU_BY_TAG: readonly (PduType | undefined)[] = ['get', 'getNext', 'response', 'set', undefined, 'getBulk', 'inform', 'trapV2', 'report'];

/** PDUs the SNMPv1 grammar has (RFC 1157 §4.1), the Trap-PDU excepted. */
function isV1Pdu(type: PduType): boolean {
  return type === 'get' || type === 'getNext' || type === 'response' || type === 'set';
}

/** Values SMIv1 and RFC 1157 lack: Counter64 and the SNMPv2 exceptions (RFC 3584 §4.2). */
function isV2OnlyValue(value: SnmpValue): boolean {
  switch (value.type) {
    case 'counter64':
    case 'noSuchObject':
    case 'noSuchInstance':
    case 'endOfMibView':
      return true;
    default:
      return false;
  }
}

/** A message without its varbinds: what messageLength needs besides their encoded size. */
export interface MessageHeader {
  readonly version: 0 | 1;
  readonly community: Uint8Array;
  readonly pdu: Omit<Pdu, 'varbinds'>;
}

/**
 * Decodes one SNMPv1/v2c message. Throws SnmpDecodeError, with kind 'badVersion' for a well-formed version other
 * than 0 or 1 and 'parse' for everything else malformed (RFC 3412 §4.2.1 counts the two apart).
 */
export function decodeMessage(packet: Uint8Array): CommunityMessage {
  const r = new BerReader(packet);
  const messageEnd = r.expect(Tag.sequence, packet.length, 'message');
  if (messageEnd !== packet.length) {
    throw new SnmpDecodeError(`${packet.length - messageEnd} trailing octets after the message at offset ${messageEnd}`);
  }
  const versionNumber = r.int32(messageEnd, 'version');
  if (versionNumber !== 0 && versionNumber !== 1) {
    throw new SnmpDecodeError(`SNMP version ${versionNumber} not supported`, 'badVersion');
  }
  const version: 0 | 1 = versionNumber;
  const communityEnd = r.expect(Tag.octetString, messageEnd, 'community');
  const community = copyBytes(packet, r.pos, communityEnd);
  r.pos = communityEnd;
  const pdu = decodePdu(r, messageEnd, version);
  r.atEnd(messageEnd, 'the PDU');
  return { version, community, pdu };
}

/** Decodes one PDU TLV at the reader's position inside [pos, end); `version` 0 applies the SNMPv1 grammar. */
export function decodePdu(r: BerReader, end: number, version: 0 | 1): Pdu {
  const start = r.pos;
  const pduEnd = r.header(end);
  const type = r.tag >= 0xa0 ? PDU_BY_TAG[r.tag - 0xa0] : undefined;
  if (type === undefined) throw new SnmpDecodeError(`PDU tag 0x${r.tag.toString(16)} not supported at offset ${start}`);
  if (version === 0 && !isV1Pdu(type)) throw new SnmpDecodeError(`${type} PDU in an SNMPv1 message at offset ${start}`);
  const requestId = r.int32(pduEnd, 'request-id');
  const errorStatus = r.int32(pduEnd, 'error-status');
  const errorIndex = r.int32(pduEnd, 'error-index');
  const listEnd = r.expect(Tag.sequence, pduEnd, 'variable-bindings');
  const varbinds: VarBind[] = [];
  while (r.pos < listEnd) {
    const vbEnd = r.expect(Tag.sequence, listEnd, 'VarBind');
    const oidEnd = r.expect(Tag.oid, vbEnd, 'VarBind name');
    const oid = decodeOid(r.bytes, r.pos, oidEnd);
    r.pos = oidEnd;
    const value = decodeValue(r, vbEnd, version);
    r.atEnd(vbEnd, 'a VarBind value');
    varbinds.push({ oid, value });
  }
  r.atEnd(pduEnd, 'variable-bindings');
  return { type, requestId, errorStatus, errorIndex, varbinds };
}

/** Exact encoded size in octets of one VarBind SEQUENCE; throws ERR_SNMP_ENCODE for a value that cannot be encoded. */
export function varbindLength(vb: VarBind): number {
  return tlvSize(tlvSize(oidSize(vb.oid)) + tlvSize(valueSize(vb.value)));
}

/** Content size of the PDU given the summed varbindLength of its varbinds. */
function pduContentSize(pdu: Omit<Pdu, 'varbinds'>, varbindBytes: number): number {
  return tlvSize(int32Size(pdu.requestId)) + tlvSize(int32Size(pdu.errorStatus)) + tlvSize(int32Size(pdu.errorIndex)) + tlvSize(varbindBytes);
}

/** Content size of the message SEQUENCE given the PDU content size. */
function messageContentSize(header: MessageHeader, pduContent: number): number {
  return 3 + tlvSize(header.community.length) + tlvSize(pduContent);
}

/**
 * Exact encoded size of a message whose varbinds add up to `varbindBytes` (sum of varbindLength). Lets the agent
 * fill a response up to a byte budget before encoding it.
 */
export function messageLength(header: MessageHeader, varbindBytes: number): number {
  return tlvSize(messageContentSize(header, pduContentSize(header.pdu, varbindBytes)));
}

/** Exact encoded size of a whole message. */
export function encodedLength(msg: CommunityMessage): number {
  let varbindBytes = 0;
  for (const vb of msg.pdu.varbinds) varbindBytes += varbindLength(vb);
  return messageLength(msg, varbindBytes);
}

function checkEncodable(msg: CommunityMessage): void {
  const { version, pdu } = msg;
  if (version !== 0 && version !== 1) encodeError(`SNMP version ${String(version)} cannot be encoded`);
  if (pdu.type === 'trap') encodeError('SNMPv1 Trap-PDU is not supported');
  if (version === 0) {
    if (!isV1Pdu(pdu.type)) encodeError(`${pdu.type} PDU in an SNMPv1 message`);
    for (const vb of pdu.varbinds) {
      if (isV2OnlyValue(vb.value)) encodeError(`${vb.value.type} value in an SNMPv1 message`);
    }
  }
}

/**
 * Encodes a message with minimal definite lengths into one Buffer (sizes computed first, then one forward write).
 * Throws FirmwareError 'ERR_SNMP_ENCODE' for values that cannot be encoded, SNMPv1 Trap-PDUs, and SNMPv2-only
 * PDUs or values (Counter64, exceptions) in an SNMPv1 message (RFC 3584 §4.2).
 */
export function encodeMessage(msg: CommunityMessage): Buffer {
  checkEncodable(msg);
  const sized = sizePdu(msg.pdu);
  const messageContent = messageContentSize(msg, sized.pduContent);
  const buf = Buffer.allocUnsafe(tlvSize(messageContent));
  let pos = writeHeader(buf, 0, Tag.sequence, messageContent);
  pos = writeHeader(buf, pos, Tag.integer, 1);
  buf[pos++] = msg.version;
  pos = writeHeader(buf, pos, Tag.octetString, msg.community.length);
  buf.set(msg.community, pos);
  pos += msg.community.length;
  pos = writePdu(buf, pos, msg.pdu, sized);
  if (pos !== buf.length) encodeError(`encoder wrote ${pos} of ${buf.length} octets`);
  return buf;
}

/** A PDU measured for encoding: OID and value content sizes per varbind, and the totals. */
export interface SizedPdu {
  readonly sizes: readonly number[];
  readonly varbindBytes: number;
  readonly pduContent: number;
}

/** Size pass over a PDU (validates every value; throws ERR_SNMP_ENCODE). The PDU TLV takes tlvSize(pduContent). */
export function sizePdu(pdu: Pdu): SizedPdu {
  if (pdu.type === 'trap') encodeError('SNMPv1 Trap-PDU is not supported');
  const count = pdu.varbinds.length;
  const sizes = new Array<number>(count * 2);
  let varbindBytes = 0;
  for (let i = 0; i < count; i++) {
    const vb = pdu.varbinds[i]!;
    const oidLen = oidSize(vb.oid);
    const valueLen = valueSize(vb.value);
    sizes[2 * i] = oidLen;
    sizes[2 * i + 1] = valueLen;
    varbindBytes += tlvSize(tlvSize(oidLen) + tlvSize(valueLen));
  }
  return { sizes, varbindBytes, pduContent: pduContentSize(pdu, varbindBytes) };
}

/** Write pass of a PDU TLV measured by sizePdu; returns the offset after it. */
export function writePdu(buf: Buffer, pos: number, pdu: Pdu, sized: SizedPdu): number {
  const { sizes, varbindBytes } = sized;
  pos = writeHeader(buf, pos, PduTag[pdu.type], sized.pduContent);
  pos = writeInt32(buf, pos, pdu.requestId);
  pos = writeInt32(buf, pos, pdu.errorStatus);
  pos = writeInt32(buf, pos, pdu.errorIndex);
  pos = writeHeader(buf, pos, Tag.sequence, varbindBytes);
  for (let i = 0; i < pdu.varbinds.length; i++) {
    const vb = pdu.varbinds[i]!;
    const oidLen = sizes[2 * i]!;
    const valueLen = sizes[2 * i + 1]!;
    pos = writeHeader(buf, pos, Tag.sequence, tlvSize(oidLen) + tlvSize(valueLen));
    pos = writeHeader(buf, pos, Tag.oid, oidLen);
    pos = writeOidContent(buf, pos, vb.oid);
    pos = writeValue(buf, pos, vb.value, valueLen);
  }
  return pos;
}

function writeInt32(buf: Buffer, pos: number, value: number): number {
  const size = int32Size(value);
  return writeIntContent(buf, writeHeader(buf, pos, Tag.integer, size), value, size);
}

