// SNMP value codec (RFC 3416 §3, RFC 2578 §7.1): one ObjectSyntax or exception value to and from BER.
// SPDX-License-Identifier: Apache-2.0
import { SnmpDecodeError } from '../errors.js';
import {
  BerReader,
  Tag,
  copyBytes,
  decodeInt32,
  decodeOid,
  decodeUint32,
  decodeUint64,
  encodeError,
  int32Size,
  oidSize,
  uint32Size,
  uint64Size,
  writeHeader,
  writeIntContent,
  writeOidContent,
  writeUint64Content,
} from './ber.js';
import type { SnmpValue } from './types.js';

/** Decodes one ObjectSyntax or exception value (RFC 3416 §3, RFC 2578 §7.1). */
export function decodeValue(r: BerReader, end: number, version: 0 | 1): SnmpValue {
  const start = r.pos;
  const valueEnd = r.header(end);
  const tag = r.tag;
  const bytes = r.bytes;
  const s = r.pos;
  r.pos = valueEnd;
  const fail = (what: string): never => {
    throw new SnmpDecodeError(`${what} at offset ${start}`);
  };
  if (version === 0 && (tag === Tag.counter64 || (tag >= Tag.noSuchObject && tag <= Tag.endOfMibView))) {
    fail(`tag 0x${tag.toString(16)} in an SNMPv1 message`);
  }
  switch (tag) {
    case Tag.integer:
      return { type: 'integer', value: decodeInt32(bytes, s, valueEnd) };
    case Tag.octetString:
      return { type: 'octets', value: copyBytes(bytes, s, valueEnd) };
    case Tag.null:
      if (valueEnd !== s) fail('NULL with contents');
      return { type: 'null' };
    case Tag.oid:
      return { type: 'oid', value: decodeOid(bytes, s, valueEnd) };
    case Tag.ipAddress:
      if (valueEnd - s !== 4) fail(`IpAddress of ${valueEnd - s} octets`);
      return { type: 'ipAddress', value: copyBytes(bytes, s, valueEnd) };
    case Tag.counter32:
      return { type: 'counter32', value: decodeUint32(bytes, s, valueEnd) };
    case Tag.gauge32:
      return { type: 'gauge32', value: decodeUint32(bytes, s, valueEnd) };
    case Tag.timeticks:
      return { type: 'timeticks', value: decodeUint32(bytes, s, valueEnd) };
    case Tag.opaque:
      return { type: 'opaque', value: copyBytes(bytes, s, valueEnd) };
    case Tag.counter64:
      return { type: 'counter64', value: decodeUint64(bytes, s, valueEnd) };
    case Tag.noSuchObject:
    case Tag.noSuchInstance:
    case Tag.endOfMibView:
      if (valueEnd !== s) fail('exception value with contents');
      return { type: tag === Tag.noSuchObject ? 'noSuchObject' : tag === Tag.noSuchInstance ? 'noSuchInstance' : 'endOfMibView' };
    default:
      return fail(`value tag 0x${tag.toString(16)} not supported`);
  }
}

/** Content size of a value; validates it (throws ERR_SNMP_ENCODE). */
export function valueSize(value: SnmpValue): number {
  switch (value.type) {
    case 'integer':
      return int32Size(value.value);
    case 'octets':
    case 'opaque':
      return value.value.length;
    case 'ipAddress':
      if (value.value.length !== 4) encodeError(`IpAddress of ${value.value.length} octets`);
      return 4;
    case 'oid':
      return oidSize(value.value);
    case 'counter32':
    case 'gauge32':
    case 'timeticks':
      return uint32Size(value.value);
    case 'counter64':
      return uint64Size(value.value);
    case 'null':
    case 'noSuchObject':
    case 'noSuchInstance':
    case 'endOfMibView':
      return 0;
    default: {
      const unknown: { readonly type: string } = value satisfies never;
      return encodeError(`unknown value type ${unknown.type}`);
    }
  }
}

function writeBytes(buf: Buffer, pos: number, tag: number, bytes: Uint8Array): number {
  pos = writeHeader(buf, pos, tag, bytes.length);
  buf.set(bytes, pos);
  return pos + bytes.length;
}

/** Writes one value TLV whose content size valueSize computed. */
export function writeValue(buf: Buffer, pos: number, value: SnmpValue, size: number): number {
  switch (value.type) {
    case 'integer':
      return writeIntContent(buf, writeHeader(buf, pos, Tag.integer, size), value.value, size);
    case 'octets':
      return writeBytes(buf, pos, Tag.octetString, value.value);
    case 'opaque':
      return writeBytes(buf, pos, Tag.opaque, value.value);
    case 'ipAddress':
      return writeBytes(buf, pos, Tag.ipAddress, value.value);
    case 'oid':
      return writeOidContent(buf, writeHeader(buf, pos, Tag.oid, size), value.value);
    case 'counter32':
    case 'gauge32':
    case 'timeticks':
      return writeIntContent(buf, writeHeader(buf, pos, Tag[value.type], size), value.value, size);
    case 'counter64':
      return writeUint64Content(buf, writeHeader(buf, pos, Tag.counter64, size), value.value, size);
    case 'null':
    case 'noSuchObject':
    case 'noSuchInstance':
    case 'endOfMibView':
      return writeHeader(buf, pos, Tag[value.type], 0);
    default: {
      const unknown: { readonly type: string } = value satisfies never;
      return encodeError(`unknown value type ${unknown.type}`);
    }
  }
}
