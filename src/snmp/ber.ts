// BER primitives for SNMP (X.690 §8, the subset RFC 1157 / RFC 3416 use): a bounded reader that never trusts a
// declared length, and size-first writers that fill one preallocated buffer.
// SPDX-License-Identifier: Apache-2.0
import { FirmwareError, SnmpDecodeError } from '../errors.js';
import type { Oid } from './types.js';

/** BER tags of SNMP messages (X.690 §8, RFC 2578 §7.1.12, RFC 3416 §3). */
export const Tag = {
  integer: 0x02,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  sequence: 0x30,
  ipAddress: 0x40,
  counter32: 0x41,
  gauge32: 0x42,
  timeticks: 0x43,
  opaque: 0x44,
  counter64: 0x46,
  noSuchObject: 0x80,
  noSuchInstance: 0x81,
  endOfMibView: 0x82,
} as const;

/** Largest value of one OID arc (RFC 2578 §7.1.3). */
export const MAX_ARC = 0xffffffff;
/** Most arcs an OID may have (RFC 2578 §3.5). */
export const MAX_OID_ARCS = 128;
const MAX_UINT64 = (1n << 64n) - 1n;

/** Throws the codec's encode error (a programming error: the caller built an impossible value). */
export function encodeError(message: string): never {
  throw new FirmwareError('ERR_SNMP_ENCODE', message);
}

function parseError(message: string, offset: number): never {
  throw new SnmpDecodeError(`${message} at offset ${offset}`);
}

/** Sequential reader over one packet. Every declared length is checked against the enclosing end before use. */
export class BerReader {
  readonly bytes: Uint8Array;
  /** offset of the next unread byte */
  pos = 0;
  /** tag byte of the last header read */
  tag = 0;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }

  /** Reads a tag and a definite length (short form, or long form with 1-4 octets) inside [pos, end); returns the end of the contents. */
  header(end: number): number {
    const b = this.bytes;
    let p = this.pos;
    if (end - p < 2) parseError('truncated tag and length', p);
    this.tag = b[p]!;
    let len = b[p + 1]!;
    p += 2;
    if (len >= 0x80) {
      const n = len & 0x7f;
      if (n === 0) parseError('indefinite length', p - 1);
      if (n > 4) parseError(`length of ${n} octets`, p - 1);
      if (end - p < n) parseError('truncated length', p);
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + b[p++]!;
    }
    if (len > end - p) parseError(`length ${len} beyond the enclosing data`, this.pos);
    this.pos = p;
    return p + len;
  }

  /** Reads a header that must carry `tag`; returns the end of the contents. */
  expect(tag: number, end: number, what: string): number {
    const start = this.pos;
    const contentEnd = this.header(end);
    if (this.tag !== tag) parseError(`${what}: tag 0x${this.tag.toString(16)} where 0x${tag.toString(16)} belongs`, start);
    return contentEnd;
  }

  /** Reads an INTEGER that must fit int32. */
  int32(end: number, what: string): number {
    const contentEnd = this.expect(Tag.integer, end, what);
    const value = decodeInt32(this.bytes, this.pos, contentEnd);
    this.pos = contentEnd;
    return value;
  }

  /** Fails unless the reader stands exactly at `end`. */
  atEnd(end: number, what: string): void {
    if (this.pos !== end) parseError(`${end - this.pos} unexpected octets after ${what}`, this.pos);
  }
}

/** Copies contents into a fresh Uint8Array (never aliases the packet). */
export function copyBytes(bytes: Uint8Array, start: number, end: number): Uint8Array {
  // A plain Uint8Array: a Buffer's subarray or slice goes through Buffer's constructor, slow for the many short
  // fields of a message (engine IDs, names, salts), which a loop copies fastest.
  const length = end - start;
  const out = new Uint8Array(length);
  if (length <= 32) {
    for (let i = 0; i < length; i++) out[i] = bytes[start + i]!;
  } else {
    out.set(new Uint8Array(bytes.buffer, bytes.byteOffset + start, length));
  }
  return out;
}

/**
 * A plain Uint8Array view of bytes[start, end) sharing the packet's memory: no copy and no Buffer constructor, for
 * long fields read once (a copy of more than 64 octets gets its own off-heap backing store).
 */
export function viewBytes(bytes: Uint8Array, start: number, end: number): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset + start, end - start);
}

/** Fails unless an integer content of `len` octets starting at `start` is minimal (X.690 §8.3.2). */
function checkMinimal(bytes: Uint8Array, start: number, end: number): void {
  if (end === start) parseError('empty INTEGER', start);
  if (end - start > 1) {
    const b0 = bytes[start]!;
    const b1 = bytes[start + 1]!;
    if ((b0 === 0x00 && b1 < 0x80) || (b0 === 0xff && b1 >= 0x80)) parseError('INTEGER not in minimal form', start);
  }
}

/** Decodes INTEGER contents that must fit int32. */
export function decodeInt32(bytes: Uint8Array, start: number, end: number): number {
  checkMinimal(bytes, start, end);
  if (end - start > 4) parseError('INTEGER beyond int32', start);
  let value = (bytes[start]! << 24) >> 24;
  for (let p = start + 1; p < end; p++) value = (value << 8) | bytes[p]!;
  return value;
}

/** Decodes unsigned 32-bit contents (Counter32, Gauge32, TimeTicks; RFC 2578 §7.1.6-8). */
export function decodeUint32(bytes: Uint8Array, start: number, end: number): number {
  checkMinimal(bytes, start, end);
  if (bytes[start]! >= 0x80) parseError('negative unsigned value', start);
  if (end - start > 5) parseError('unsigned value beyond 32 bits', start);
  let value = 0;
  for (let p = start; p < end; p++) value = value * 256 + bytes[p]!;
  if (value > 0xffffffff) parseError('unsigned value beyond 32 bits', start);
  return value;
}

/** Decodes Counter64 contents (RFC 2578 §7.1.10). */
export function decodeUint64(bytes: Uint8Array, start: number, end: number): bigint {
  checkMinimal(bytes, start, end);
  if (bytes[start]! >= 0x80) parseError('negative Counter64', start);
  if (end - start > 9) parseError('Counter64 beyond 64 bits', start);
  let value = 0n;
  for (let p = start; p < end; p++) value = (value << 8n) | BigInt(bytes[p]!);
  if (value > MAX_UINT64) parseError('Counter64 beyond 64 bits', start);
  return value;
}

/** Decodes OBJECT IDENTIFIER contents (X.690 §8.19): first subidentifier 40*X+Y, then base-128 arcs. */
export function decodeOid(bytes: Uint8Array, start: number, end: number): number[] {
  if (end === start) parseError('empty OBJECT IDENTIFIER', start);
  const arcs: number[] = [];
  let p = start;
  while (p < end) {
    if (arcs.length >= MAX_OID_ARCS) parseError(`OBJECT IDENTIFIER longer than ${MAX_OID_ARCS} arcs`, start);
    const isFirst = p === start;
    const limit = isFirst ? MAX_ARC + 80 : MAX_ARC;
    if (bytes[p] === 0x80) parseError('OBJECT IDENTIFIER arc with a leading 0x80 octet', p);
    let value = 0;
    let b: number;
    do {
      if (p === end) parseError('truncated OBJECT IDENTIFIER arc', p);
      b = bytes[p++]!;
      value = value * 128 + (b & 0x7f);
      if (value > limit) parseError('OBJECT IDENTIFIER arc beyond 2^32-1', p - 1);
    } while (b >= 0x80);
    if (!isFirst) arcs.push(value);
    else if (value < 80) arcs.push(Math.floor(value / 40), value % 40);
    else arcs.push(2, value - 80);
  }
  if (arcs.length > MAX_OID_ARCS) parseError(`OBJECT IDENTIFIER longer than ${MAX_OID_ARCS} arcs`, start);
  return arcs;
}

/** Octets a definite length takes (X.690 §8.1.3): short form below 128, else 0x8n plus n octets. */
export function lengthOfLength(len: number): number {
  if (len < 0x80) return 1;
  if (len < 0x100) return 2;
  if (len < 0x10000) return 3;
  return len < 0x1000000 ? 4 : 5;
}

/** Encoded size of a TLV whose contents take `contentLength` octets (one tag octet). */
export function tlvSize(contentLength: number): number {
  return 1 + lengthOfLength(contentLength) + contentLength;
}

/** Writes a tag and a minimal definite length; returns the offset after them. */
export function writeHeader(buf: Buffer, pos: number, tag: number, len: number): number {
  buf[pos++] = tag;
  if (len < 0x80) {
    buf[pos++] = len;
    return pos;
  }
  const n = lengthOfLength(len) - 1;
  buf[pos++] = 0x80 | n;
  for (let shift = (n - 1) * 8; shift >= 0; shift -= 8) buf[pos++] = (len >>> shift) & 0xff;
  return pos;
}

/** Content size of a minimal two's-complement int32; throws ERR_SNMP_ENCODE outside int32. */
export function int32Size(value: number): number {
  if (!Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) encodeError(`INTEGER ${value} outside int32`);
  if (value >= -0x80 && value < 0x80) return 1;
  if (value >= -0x8000 && value < 0x8000) return 2;
  return value >= -0x800000 && value < 0x800000 ? 3 : 4;
}

/** Content size of an unsigned 32-bit value with its leading 0x00 when the top bit is set. */
export function uint32Size(value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) encodeError(`unsigned value ${value} outside 0..2^32-1`);
  if (value < 0x80) return 1;
  if (value < 0x8000) return 2;
  if (value < 0x800000) return 3;
  return value < 0x80000000 ? 4 : 5;
}

/** Content size of a Counter64. */
export function uint64Size(value: bigint): number {
  if (value < 0n || value > MAX_UINT64) encodeError(`Counter64 ${value} outside 0..2^64-1`);
  let size = 1;
  while (size < 9 && value >= 1n << BigInt(size * 8 - 1)) size++;
  return size;
}

/** Writes `size` big-endian two's-complement octets of an int32 or uint32 (size 5 gives the leading 0x00). */
export function writeIntContent(buf: Buffer, pos: number, value: number, size: number): number {
  if (size === 5) {
    buf[pos++] = 0;
    size = 4;
  }
  for (let shift = (size - 1) * 8; shift >= 0; shift -= 8) buf[pos++] = (value >> shift) & 0xff;
  return pos;
}

/** Writes `size` big-endian octets of a Counter64. */
export function writeUint64Content(buf: Buffer, pos: number, value: bigint, size: number): number {
  for (let i = size - 1; i >= 0; i--) buf[pos++] = Number((value >> BigInt(i * 8)) & 0xffn);
  return pos;
}

function subidSize(value: number): number {
  if (value < 0x80) return 1;
  if (value < 0x4000) return 2;
  if (value < 0x200000) return 3;
  return value < 0x10000000 ? 4 : 5;
}

/** Content size of an OID; throws ERR_SNMP_ENCODE unless it has 2-128 arcs of 0..2^32-1, X in 0..2 and Y < 40 when X < 2. */
export function oidSize(oid: Oid): number {
  const count = oid.length;
  if (count < 2 || count > MAX_OID_ARCS) encodeError(`OID with ${count} arcs (2 to ${MAX_OID_ARCS} allowed)`);
  const x = oid[0]!;
  const y = oid[1]!;
  if (!(x === 0 || x === 1 || x === 2)) encodeError(`OID first arc ${x} (0, 1 or 2 allowed)`);
  if (!Number.isInteger(y) || y < 0 || y > MAX_ARC || (x < 2 && y > 39)) encodeError(`OID second arc ${y} not allowed under ${x}`);
  let size = subidSize(x * 40 + y);
  for (let i = 2; i < count; i++) {
    const arc = oid[i]!;
    if (!Number.isInteger(arc) || arc < 0 || arc > MAX_ARC) encodeError(`OID arc ${arc} outside 0..2^32-1`);
    size += subidSize(arc);
  }
  return size;
}

function writeSubid(buf: Buffer, pos: number, value: number): number {
  const size = subidSize(value);
  const last = pos + size - 1;
  buf[last] = value % 128;
  for (let p = last - 1; p >= pos; p--) {
    value = Math.floor(value / 128);
    buf[p] = 0x80 | value % 128;
  }
  return last + 1;
}

/** Writes OID contents already validated by oidSize. */
export function writeOidContent(buf: Buffer, pos: number, oid: Oid): number {
  pos = writeSubid(buf, pos, oid[0]! * 40 + oid[1]!);
  for (let i = 2; i < oid.length; i++) pos = writeSubid(buf, pos, oid[i]!);
  return pos;
}
