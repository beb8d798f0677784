// SNMPv3 message layout (RFC 3412 §6: header data, scopedPDU) and USM security parameters (RFC 3414 §2.4): decode
// from and encode to BER with the ber.ts primitives and the PDU codec of message.ts. No cryptography here.
// SPDX-License-Identifier: Apache-2.0
import { SnmpDecodeError } from '../errors.js';
import { BerReader, Tag, copyBytes, encodeError, int32Size, tlvSize, viewBytes, writeHeader, writeIntContent } from './ber.js';
import { decodePdu, sizePdu, writePdu } from './message.js';
import type { Pdu } from './types.js';

/** msgFlags bits (RFC 3412 §6.4). */
export const MsgFlags = { auth: 0x01, priv: 0x02, reportable: 0x04 } as const;
/** msgSecurityModel of the User-based Security Model (RFC 3411 §5). */
export const USM_SECURITY_MODEL = 3;
/** Smallest msgMaxSize a v3 engine must accept (RFC 3412 §6.2). */
export const MIN_MSG_MAX_SIZE = 484;

/** HeaderData (RFC 3412 §6). */
export interface V3Header {
  readonly msgId: number;
  readonly msgMaxSize: number;
  readonly msgFlags: number;
  readonly securityModel: number;
}

/** UsmSecurityParameters (RFC 3414 §2.4). */
export interface UsmSecurityParameters {
  readonly engineId: Uint8Array;
  readonly engineBoots: number;
  readonly engineTime: number;
  readonly userName: Uint8Array;
  readonly authParams: Uint8Array;
  readonly privParams: Uint8Array;
}

/** ScopedPDU (RFC 3412 §6.8). */
export interface ScopedPdu {
  readonly contextEngineId: Uint8Array;
  readonly contextName: Uint8Array;
  readonly pdu: Pdu;
}

/** ScopedPduData: a plaintext ScopedPDU (still BER, decoded later) or the encryptedPDU octets. */
export type ScopedPduData = { readonly kind: 'plaintext'; readonly bytes: Uint8Array } | { readonly kind: 'encrypted'; readonly bytes: Uint8Array };

/**
 * A decoded SNMPv3 message; the security parameters stay raw so the security model parses them (RFC 3412 §7.2 step
 * 3). `securityParameters` and `data.bytes` are views into the packet, not copies (the parsers that read them copy
 * what they keep): the packet must not change while they are in use.
 */
export interface V3Message {
  readonly header: V3Header;
  readonly securityParameters: Uint8Array;
  /** offset of the securityParameters contents in the packet, to locate msgAuthenticationParameters */
  readonly securityParametersOffset: number;
  readonly data: ScopedPduData;
}

/** Whether a packet claims msgVersion 3 (a SEQUENCE whose first element is INTEGER 3); never throws. */
export function isV3Packet(packet: Uint8Array): boolean {
  try {
    const r = new BerReader(packet);
    const end = r.expect(Tag.sequence, packet.length, 'message');
    return r.int32(end, 'version') === 3;
  } catch {
    return false;
  }
}

function fail(message: string): never {
  throw new SnmpDecodeError(message);
}

function octets(r: BerReader, end: number, what: string): Uint8Array {
  const contentEnd = r.expect(Tag.octetString, end, what);
  const value = copyBytes(r.bytes, r.pos, contentEnd);
  r.pos = contentEnd;
  return value;
}

function nonNegative(r: BerReader, end: number, what: string): number {
  const value = r.int32(end, what);
  if (value < 0) fail(`negative ${what}`);
  return value;
}

/** Decodes the SNMPv3Message wrapper (RFC 3412 §6); throws SnmpDecodeError. */
export function decodeV3Message(packet: Uint8Array): V3Message {
  const r = new BerReader(packet);
  const end = r.expect(Tag.sequence, packet.length, 'message');
  if (end !== packet.length) fail(`${packet.length - end} trailing octets after the message`);
  if (r.int32(end, 'msgVersion') !== 3) fail('msgVersion is not 3');
  const headerEnd = r.expect(Tag.sequence, end, 'msgGlobalData');
  const msgId = nonNegative(r, headerEnd, 'msgID');
  const msgMaxSize = nonNegative(r, headerEnd, 'msgMaxSize');
  const flags = octets(r, headerEnd, 'msgFlags');
  if (flags.length !== 1) fail(`msgFlags of ${flags.length} octets`);
  const securityModel = nonNegative(r, headerEnd, 'msgSecurityModel');
  r.atEnd(headerEnd, 'msgGlobalData');
  const spEnd = r.expect(Tag.octetString, end, 'msgSecurityParameters');
  const securityParametersOffset = r.pos;
  const securityParameters = viewBytes(packet, r.pos, spEnd);
  r.pos = spEnd;
  let data: ScopedPduData;
  if (r.pos < end && packet[r.pos] === Tag.octetString) {
    const dataEnd = r.expect(Tag.octetString, end, 'encryptedPDU');
    data = { kind: 'encrypted', bytes: viewBytes(packet, r.pos, dataEnd) };
    r.pos = dataEnd;
  } else {
    const start = r.pos;
    r.pos = r.expect(Tag.sequence, end, 'scopedPDU');
    data = { kind: 'plaintext', bytes: viewBytes(packet, start, r.pos) };
  }
  r.atEnd(end, 'msgData');
  return { header: { msgId, msgMaxSize, msgFlags: flags[0]!, securityModel }, securityParameters, securityParametersOffset, data };
}

/** Decodes UsmSecurityParameters; `authParamsOffset` is relative to `bytes`. Throws SnmpDecodeError. */
export function decodeUsmParameters(bytes: Uint8Array): { params: UsmSecurityParameters; authParamsOffset: number } {
  const r = new BerReader(bytes);
  const end = r.expect(Tag.sequence, bytes.length, 'UsmSecurityParameters');
  if (end !== bytes.length) fail(`${bytes.length - end} trailing octets after UsmSecurityParameters`);
  const engineId = octets(r, end, 'msgAuthoritativeEngineID');
  if (engineId.length > 32) fail(`msgAuthoritativeEngineID of ${engineId.length} octets`);
  const engineBoots = nonNegative(r, end, 'msgAuthoritativeEngineBoots');
  const engineTime = nonNegative(r, end, 'msgAuthoritativeEngineTime');
  const userName = octets(r, end, 'msgUserName');
  if (userName.length > 32) fail(`msgUserName of ${userName.length} octets`);
  const authEnd = r.expect(Tag.octetString, end, 'msgAuthenticationParameters');
  const authParamsOffset = r.pos;
  const authParams = copyBytes(bytes, r.pos, authEnd);
  r.pos = authEnd;
  const privParams = octets(r, end, 'msgPrivacyParameters');
  r.atEnd(end, 'UsmSecurityParameters');
  return { params: { engineId, engineBoots, engineTime, userName, authParams, privParams }, authParamsOffset };
}

/**
 * Decodes a ScopedPDU with SNMPv2 PDU rules. `allowTrailing` accepts octets after it (decrypted data may carry
 * padding, RFC 3414 §8.3.2 for DES; harmless for AES).
 */
export function decodeScopedPdu(bytes: Uint8Array, allowTrailing: boolean): ScopedPdu {
  const r = new BerReader(bytes);
  const end = r.expect(Tag.sequence, bytes.length, 'scopedPDU');
  if (!allowTrailing && end !== bytes.length) fail(`${bytes.length - end} trailing octets after the scopedPDU`);
  const contextEngineId = octets(r, end, 'contextEngineID');
  const contextName = octets(r, end, 'contextName');
  const pdu = decodePdu(r, end, 1);
  r.atEnd(end, 'the PDU');
  return { contextEngineId, contextName, pdu };
}

function octetsSize(bytes: Uint8Array): number {
  return tlvSize(bytes.length);
}

function writeOctets(buf: Buffer, pos: number, bytes: Uint8Array): number {
  pos = writeHeader(buf, pos, Tag.octetString, bytes.length);
  buf.set(bytes, pos);
  return pos + bytes.length;
}

function writeInt(buf: Buffer, pos: number, value: number): number {
  const size = int32Size(value);
  return writeIntContent(buf, writeHeader(buf, pos, Tag.integer, size), value, size);
}

/** Encodes a ScopedPDU (throws ERR_SNMP_ENCODE for a value that cannot be encoded). */
export function encodeScopedPdu(scoped: ScopedPdu): Buffer {
  const sized = sizePdu(scoped.pdu);
  const content = octetsSize(scoped.contextEngineId) + octetsSize(scoped.contextName) + tlvSize(sized.pduContent);
  const buf = Buffer.allocUnsafe(tlvSize(content));
  let pos = writeHeader(buf, 0, Tag.sequence, content);
  pos = writeOctets(buf, pos, scoped.contextEngineId);
  pos = writeOctets(buf, pos, scoped.contextName);
  pos = writePdu(buf, pos, scoped.pdu, sized);
  if (pos !== buf.length) encodeError(`scopedPDU encoder wrote ${pos} of ${buf.length} octets`);
  return buf;
}

/** What encodeV3Message writes: msgData is an encoded ScopedPDU (plaintext) or the encryptedPDU octets. */
export interface V3MessageOut {
  readonly header: V3Header;
  readonly security: UsmSecurityParameters;
  readonly data: ScopedPduData;
}

/** Encodes an SNMPv3Message; returns the bytes and the offset of msgAuthenticationParameters' contents in them. */
export function encodeV3Message(msg: V3MessageOut): { bytes: Buffer; authParamsOffset: number } {
  const { header, security: s, data } = msg;
  const flags = Uint8Array.of(header.msgFlags);
  const headerContent =
    tlvSize(int32Size(header.msgId)) + tlvSize(int32Size(header.msgMaxSize)) + octetsSize(flags) + tlvSize(int32Size(header.securityModel));
  const spContent =
    octetsSize(s.engineId) +
    tlvSize(int32Size(s.engineBoots)) +
    tlvSize(int32Size(s.engineTime)) +
    octetsSize(s.userName) +
    octetsSize(s.authParams) +
    octetsSize(s.privParams);
  const dataSize = data.kind === 'plaintext' ? data.bytes.length : octetsSize(data.bytes);
  const content = 3 + tlvSize(headerContent) + tlvSize(tlvSize(spContent)) + dataSize;
  const buf = Buffer.allocUnsafe(tlvSize(content));
  let pos = writeHeader(buf, 0, Tag.sequence, content);
  pos = writeInt(buf, pos, 3);
  pos = writeHeader(buf, pos, Tag.sequence, headerContent);
  pos = writeInt(buf, pos, header.msgId);
  pos = writeInt(buf, pos, header.msgMaxSize);
  pos = writeOctets(buf, pos, flags);
  pos = writeInt(buf, pos, header.securityModel);
  pos = writeHeader(buf, pos, Tag.octetString, tlvSize(spContent));
  pos = writeHeader(buf, pos, Tag.sequence, spContent);
  pos = writeOctets(buf, pos, s.engineId);
  pos = writeInt(buf, pos, s.engineBoots);
  pos = writeInt(buf, pos, s.engineTime);
  pos = writeOctets(buf, pos, s.userName);
  pos = writeHeader(buf, pos, Tag.octetString, s.authParams.length);
  const authParamsOffset = pos;
  buf.set(s.authParams, pos);
  pos += s.authParams.length;
  pos = writeOctets(buf, pos, s.privParams);
  if (data.kind === 'plaintext') {
    buf.set(data.bytes, pos);
    pos += data.bytes.length;
  } else {
    pos = writeOctets(buf, pos, data.bytes);
  }
  if (pos !== buf.length) encodeError(`v3 encoder wrote ${pos} of ${buf.length} octets`);
  return { bytes: buf, authParamsOffset };
}
