// Decoding of one attribute value by its value tag (RFC 8010 §3.9); framing lives in decode.ts.
// SPDX-License-Identifier: Apache-2.0
import type { Buffer } from 'node:buffer';
import { IppDecodeError } from '../errors.js';
import { DATE_TIME_BYTES, readDateTime } from './date-time.js';
import { OUT_OF_BAND_NAME, STRING_SYNTAX, ValueTag, tagName } from './tags.js';
import type { IppValue } from './types.js';

/** Copies bytes out of a (possibly shared, possibly large) input chunk so values never pin it. */
function copyBytes(buf: Buffer, start: number, len: number): Uint8Array {
  const out = new Uint8Array(len);
  out.set(buf.subarray(start, start + len));
  return out;
}

function expectLength(tag: number, len: number, size: number): void {
  if (len !== size) throw new IppDecodeError(`${tagName(tag)} value must be ${size} bytes, got ${len}`);
}

/** textWithLanguage / nameWithLanguage: two length-prefixed strings that must fill the value exactly. */
function withLanguage(tag: number, buf: Buffer, start: number, len: number): IppValue {
  const end = start + len;
  if (len < 4) throw new IppDecodeError(`${tagName(tag)} value too short (${len} bytes)`);
  const langLen = (buf[start]! << 8) | buf[start + 1]!;
  const textLenAt = start + 2 + langLen;
  if (textLenAt + 2 > end) throw new IppDecodeError(`${tagName(tag)} language length overruns the value`);
  const textLen = (buf[textLenAt]! << 8) | buf[textLenAt + 1]!;
  if (textLenAt + 2 + textLen !== end) throw new IppDecodeError(`${tagName(tag)} text length does not fill the value`);
  const language = buf.toString('utf8', start + 2, textLenAt);
  const value = buf.toString('utf8', textLenAt + 2, end);
  return { syntax: tag === ValueTag.TextWithLanguage ? 'textWithLanguage' : 'nameWithLanguage', value, language };
}

/**
 * Decodes the value bytes `buf[start, start + len)` of a value tag other than begCollection, endCollection and
 * memberAttrName. Unknown tags, and out-of-band tags carrying bytes, come back as `opaque` so they round-trip.
 */
export function decodeValue(tag: number, buf: Buffer, start: number, len: number): IppValue {
  switch (tag) {
    case ValueTag.Integer:
    case ValueTag.Enum:
      expectLength(tag, len, 4);
      return { syntax: tag === ValueTag.Integer ? 'integer' : 'enum', value: buf.readInt32BE(start) };
    case ValueTag.Boolean: {
      expectLength(tag, len, 1);
      const byte = buf[start]!;
      if (byte > 1) throw new IppDecodeError(`boolean value must be 0 or 1, got ${byte}`);
      return { syntax: 'boolean', value: byte === 1 };
    }
    case ValueTag.DateTime: {
      expectLength(tag, len, DATE_TIME_BYTES);
      const date = readDateTime(buf, start);
      if (!date) throw new IppDecodeError('dateTime value has a field out of range');
      return { syntax: 'dateTime', value: date.value, utcOffsetMinutes: date.utcOffsetMinutes };
    }
    case ValueTag.Resolution: {
      expectLength(tag, len, 9);
      const unitsByte = buf[start + 8]!;
      if (unitsByte !== 3 && unitsByte !== 4) throw new IppDecodeError(`resolution units must be 3 or 4, got ${unitsByte}`);
      const units = unitsByte === 3 ? 'dpi' : 'dpcm';
      return { syntax: 'resolution', x: buf.readInt32BE(start), y: buf.readInt32BE(start + 4), units };
    }
    case ValueTag.RangeOfInteger:
      expectLength(tag, len, 8);
      return { syntax: 'rangeOfInteger', lower: buf.readInt32BE(start), upper: buf.readInt32BE(start + 4) };
    case ValueTag.OctetString:
      return { syntax: 'octetString', value: copyBytes(buf, start, len) };
    case ValueTag.TextWithLanguage:
    case ValueTag.NameWithLanguage:
      return withLanguage(tag, buf, start, len);
    case ValueTag.Extension:
      // RFC 8010 §3.5.2: the value starts with the real 4-byte tag, whose high bit must be clear.
      if (len < 4 || buf[start]! >= 0x80) throw new IppDecodeError('extension value needs a 4-byte tag below 0x80000000');
      return { syntax: 'opaque', tag, bytes: copyBytes(buf, start, len) };
    default: {
      const stringSyntax = STRING_SYNTAX[tag];
      if (stringSyntax !== undefined) return { syntax: stringSyntax, value: buf.toString('utf8', start, start + len) };
      const outOfBand = OUT_OF_BAND_NAME[tag];
      if (outOfBand !== undefined && len === 0) return { syntax: 'out-of-band', value: outOfBand };
      return { syntax: 'opaque', tag, bytes: copyBytes(buf, start, len) };
    }
  }
}
