// IPP message encoder (RFC 8010 §3). One pass into a reused scratch buffer, then one exact-size copy out.
// SPDX-License-Identifier: Apache-2.0
import { Buffer } from 'node:buffer';
import { FirmwareError } from '../errors.js';
import { DATE_TIME_BYTES, writeDateTime } from './date-time.js';
import { DelimiterTag, FIRST_VALUE_TAG, GROUP_TAG, OUT_OF_BAND_TAG, STRING_TAG, ValueTag } from './tags.js';
import type { IppAttribute, IppGroup, IppMessage, IppValue } from './types.js';

const INITIAL_SCRATCH = 64 * 1024;
/** A scratch buffer grown past this is dropped after use so one huge message does not pin memory. */
const MAX_KEPT_SCRATCH = 1024 * 1024;
/** Strings shorter than this are written by a JS loop when ASCII (cheaper than a native call). */
const SHORT_STRING = 128;
const MAX_LENGTH = 0xffff;

let scratch = Buffer.allocUnsafe(INITIAL_SCRATCH);

function fail(message: string): never {
  throw new FirmwareError('ERR_IPP_ENCODE', message);
}

function checkInt32(value: number, what: string): void {
  if ((value | 0) !== value) fail(`${what} ${value} is not a 32-bit integer`);
}

/** Append-only writer over the scratch buffer; every write is preceded by `ensure`. */
class Writer {
  buf = scratch;
  off = 0;

  ensure(n: number): void {
    if (this.off + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.off + n) size *= 2;
    const bigger = Buffer.allocUnsafe(size);
    this.buf.copy(bigger, 0, 0, this.off);
    this.buf = bigger;
  }

  u8(v: number): void {
    this.buf[this.off++] = v;
  }

  u16(v: number): void {
    this.buf[this.off] = v >>> 8;
    this.buf[this.off + 1] = v & 0xff;
    this.off += 2;
  }

  i32(v: number): void {
    const b = this.buf;
    const o = this.off;
    b[o] = v >>> 24;
    b[o + 1] = (v >>> 16) & 0xff;
    b[o + 2] = (v >>> 8) & 0xff;
    b[o + 3] = v & 0xff;
    this.off = o + 4;
  }

  /** A 2-byte length then the UTF-8 bytes of `s`. */
  string(s: string, what: string): void {
    // UTF-8 needs at least one byte and at most three per UTF-16 code unit.
    if (s.length > MAX_LENGTH) fail(`${what} is more than ${MAX_LENGTH} bytes`);
    this.ensure(2 + s.length * 3);
    const b = this.buf;
    const start = this.off + 2;
    let n = 0;
    if (s.length < SHORT_STRING) {
      while (n < s.length) {
        const c = s.charCodeAt(n);
        if (c >= 0x80) break;
        b[start + n] = c;
        n++;
      }
    }
    if (n < s.length) n = b.write(s, start, 'utf8');
    if (n > MAX_LENGTH) fail(`${what} is ${n} bytes, more than ${MAX_LENGTH}`);
    this.u16(n);
    this.off += n;
  }

  /** A 2-byte length then `bytes`. */
  bytes(bytes: Uint8Array, what: string): void {
    if (bytes.length > MAX_LENGTH) fail(`${what} is ${bytes.length} bytes, more than ${MAX_LENGTH}`);
    this.ensure(2 + bytes.length);
    this.u16(bytes.length);
    this.buf.set(bytes, this.off);
    this.off += bytes.length;
  }

  /** value-tag and name (RFC 8010 §3.1.4); the value follows. */
  head(tag: number, name: string): void {
    this.ensure(1);
    this.u8(tag);
    this.string(name, 'attribute name');
  }

  /** A fixed-size value: its length, then `size` bytes the caller writes. */
  fixed(tag: number, name: string, size: number): void {
    this.head(tag, name);
    this.ensure(2 + size);
    this.u16(size);
  }
}

/** *WithLanguage: an outer length around a length-prefixed language and a length-prefixed string. */
function writeWithLanguage(w: Writer, tag: number, name: string, language: string, value: string): void {
  w.head(tag, name);
  w.ensure(2);
  const lengthAt = w.off;
  w.off += 2;
  w.string(language, 'language');
  w.string(value, 'string');
  const length = w.off - lengthAt - 2;
  if (length > MAX_LENGTH) fail(`value of ${length} bytes is more than ${MAX_LENGTH}`);
  w.buf[lengthAt] = length >>> 8;
  w.buf[lengthAt + 1] = length & 0xff;
}

/** begCollection, memberAttrName + value(s) per member, endCollection (RFC 8010 §3.1.6). */
function writeCollection(w: Writer, name: string, members: readonly IppAttribute[]): void {
  w.fixed(ValueTag.BegCollection, name, 0);
  for (const member of members) {
    if (member.name === '') fail('collection member with an empty name');
    if (member.values.length === 0) fail(`collection member "${member.name}" has no values`);
    w.ensure(3);
    w.u8(ValueTag.MemberAttrName);
    w.u16(0);
    w.string(member.name, 'member name');
    for (const value of member.values) writeValue(w, '', value);
  }
  w.fixed(ValueTag.EndCollection, '', 0);
}

function writeOpaque(w: Writer, name: string, tag: number, bytes: Uint8Array): void {
  if (!Number.isInteger(tag) || tag < FIRST_VALUE_TAG || tag > 0xff) fail(`opaque tag ${tag} is not a value tag`);
  if (tag === ValueTag.BegCollection || tag === ValueTag.EndCollection || tag === ValueTag.MemberAttrName) {
    fail(`opaque value cannot use the collection tag 0x${tag.toString(16)}`);
  }
  if (tag === ValueTag.Extension && (bytes.length < 4 || bytes[0]! >= 0x80)) {
    fail('extension value needs a 4-byte tag below 0x80000000');
  }
  w.head(tag, name);
  w.bytes(bytes, 'opaque value');
}

/** One value; `name` is empty for the additional values of a 1setOf and inside collections. */
function writeValue(w: Writer, name: string, v: IppValue): void {
  switch (v.syntax) {
    case 'integer':
    case 'enum':
      checkInt32(v.value, v.syntax);
      w.fixed(v.syntax === 'integer' ? ValueTag.Integer : ValueTag.Enum, name, 4);
      w.i32(v.value);
      return;
    case 'boolean':
      w.fixed(ValueTag.Boolean, name, 1);
      w.u8(v.value ? 1 : 0);
      return;
    case 'keyword':
    case 'uri':
    case 'uriScheme':
    case 'charset':
    case 'naturalLanguage':
    case 'mimeMediaType':
    case 'name':
    case 'text':
      w.head(STRING_TAG[v.syntax], name);
      w.string(v.value, v.syntax);
      return;
    case 'nameWithLanguage':
    case 'textWithLanguage': {
      const tag = v.syntax === 'nameWithLanguage' ? ValueTag.NameWithLanguage : ValueTag.TextWithLanguage;
      writeWithLanguage(w, tag, name, v.language, v.value);
      return;
    }
    case 'rangeOfInteger':
      checkInt32(v.lower, 'rangeOfInteger lower bound');
      checkInt32(v.upper, 'rangeOfInteger upper bound');
      w.fixed(ValueTag.RangeOfInteger, name, 8);
      w.i32(v.lower);
      w.i32(v.upper);
      return;
    case 'resolution':
      checkInt32(v.x, 'resolution x');
      checkInt32(v.y, 'resolution y');
      w.fixed(ValueTag.Resolution, name, 9);
      w.i32(v.x);
      w.i32(v.y);
      w.u8(v.units === 'dpi' ? 3 : 4);
      return;
    case 'dateTime':
      w.fixed(ValueTag.DateTime, name, DATE_TIME_BYTES);
      writeDateTime(w.buf, w.off, v.value, v.utcOffsetMinutes);
      w.off += DATE_TIME_BYTES;
      return;
    case 'octetString':
      w.head(ValueTag.OctetString, name);
      w.bytes(v.value, 'octetString value');
      return;
    case 'collection':
      writeCollection(w, name, v.members);
      return;
    case 'out-of-band':
      w.fixed(OUT_OF_BAND_TAG[v.value], name, 0);
      return;
    case 'opaque':
      writeOpaque(w, name, v.tag, v.bytes);
      return;
    default: {
      const unknown: never = v;
      return fail(`unknown value syntax ${JSON.stringify(unknown)}`);
    }
  }
}

function writeHeader(w: Writer, msg: IppMessage): void {
  const { major, minor } = msg.version;
  if ((major & 0xff) !== major || (minor & 0xff) !== minor) fail(`version ${major}.${minor} does not fit two bytes`);
  if ((msg.code & 0xffff) !== msg.code) fail(`operation or status code ${msg.code} does not fit 16 bits`);
  checkInt32(msg.requestId, 'request-id');
  w.ensure(8);
  w.u8(major);
  w.u8(minor);
  w.u16(msg.code);
  w.i32(msg.requestId);
}

/**
 * Encoded bytes of objects seen more than once. IppAttribute and IppGroup objects are immutable, and the printer
 * reuses the same objects for its static attributes and for unchanged Get-Printer-Attributes answers, so their
 * encoding is computed once (the hot path); objects built per request are only marked as seen and collected with them.
 */
class EncodingMemo<T extends object> {
  readonly #bytes = new WeakMap<T, Buffer>();
  readonly #seen = new WeakSet<T>();

  /** Write `obj` with `encode`, or copy its bytes when it was encoded before. */
  write(w: Writer, obj: T, encode: () => void): void {
    const cached = this.#bytes.get(obj);
    if (cached) {
      w.ensure(cached.length);
      cached.copy(w.buf, w.off);
      w.off += cached.length;
      return;
    }
    const start = w.off;
    encode();
    if (this.#seen.has(obj)) this.#bytes.set(obj, Buffer.from(w.buf.subarray(start, w.off)));
    else this.#seen.add(obj);
  }
}

const attributeMemo = new EncodingMemo<IppAttribute>();
const groupMemo = new EncodingMemo<IppGroup>();

function writeAttribute(w: Writer, attr: IppAttribute): void {
  attributeMemo.write(w, attr, () => {
    if (attr.name === '') fail('attribute with an empty name');
    if (attr.values.length === 0) fail(`attribute "${attr.name}" has no values`);
    for (let i = 0; i < attr.values.length; i++) writeValue(w, i === 0 ? attr.name : '', attr.values[i]!);
  });
}

/** A group: delimiter tag and attributes. */
function writeGroup(w: Writer, group: IppGroup): void {
  groupMemo.write(w, group, () => {
    w.ensure(1);
    w.u8(GROUP_TAG[group.tag]);
    for (const attr of group.attributes) writeAttribute(w, attr);
  });
}

/** Encodes a message (header, groups in order, end-of-attributes-tag); throws FirmwareError ERR_IPP_ENCODE. */
export function encodeMessage(msg: IppMessage): Buffer {
  const w = new Writer();
  try {
    writeHeader(w, msg);
    for (const group of msg.groups) writeGroup(w, group);
    w.ensure(1);
    w.u8(DelimiterTag.End);
    const out = Buffer.allocUnsafe(w.off);
    w.buf.copy(out, 0, 0, w.off);
    return out;
  } finally {
    // Keep a grown scratch buffer for the next call unless it became too large.
    scratch = w.buf.length <= MAX_KEPT_SCRATCH ? w.buf : Buffer.allocUnsafe(INITIAL_SCRATCH);
  }
}
