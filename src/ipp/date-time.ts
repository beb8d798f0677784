// The 11-byte dateTime syntax (RFC 8010 §3.9, RFC 2579 DateAndTime): local time fields plus the UTC offset.
// SPDX-License-Identifier: Apache-2.0
import type { Buffer } from 'node:buffer';
import { FirmwareError } from '../errors.js';

/** Encoded size of a dateTime value. */
export const DATE_TIME_BYTES = 11;

const MAX_OFFSET_MINUTES = 14 * 60;
const PLUS = 0x2b;
const MINUS = 0x2d;

/** Writes `date` as seen at `utcOffsetMinutes` east of UTC into `buf` at `off`; deciseconds truncate. */
export function writeDateTime(buf: Buffer, off: number, date: Date, utcOffsetMinutes: number): void {
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new FirmwareError('ERR_IPP_ENCODE', 'dateTime value is an invalid Date');
  if (!Number.isInteger(utcOffsetMinutes) || Math.abs(utcOffsetMinutes) > MAX_OFFSET_MINUTES) {
    throw new FirmwareError('ERR_IPP_ENCODE', `dateTime UTC offset ${utcOffsetMinutes} is not whole minutes within ±14 h`);
  }
  // RFC 2579 fields are local time at the given offset.
  const local = new Date(ms + utcOffsetMinutes * 60_000);
  const year = local.getUTCFullYear();
  if (year < 0 || year > 0xffff) throw new FirmwareError('ERR_IPP_ENCODE', `dateTime year ${year} does not fit 16 bits`);
  const abs = Math.abs(utcOffsetMinutes);
  buf[off] = year >>> 8;
  buf[off + 1] = year & 0xff;
  buf[off + 2] = local.getUTCMonth() + 1;
  buf[off + 3] = local.getUTCDate();
  buf[off + 4] = local.getUTCHours();
  buf[off + 5] = local.getUTCMinutes();
  buf[off + 6] = local.getUTCSeconds();
  buf[off + 7] = Math.floor(local.getUTCMilliseconds() / 100);
  buf[off + 8] = utcOffsetMinutes < 0 ? MINUS : PLUS;
  buf[off + 9] = Math.floor(abs / 60);
  buf[off + 10] = abs % 60;
}

/** Reads an 11-byte dateTime at `off`; undefined when a field is out of its RFC 2579 range. */
export function readDateTime(buf: Buffer, off: number): { value: Date; utcOffsetMinutes: number } | undefined {
  const year = (buf[off]! << 8) | buf[off + 1]!;
  const month = buf[off + 2]!;
  const day = buf[off + 3]!;
  const hour = buf[off + 4]!;
  const minute = buf[off + 5]!;
  const second = buf[off + 6]!;
  const deci = buf[off + 7]!;
  const direction = buf[off + 8]!;
  const offHours = buf[off + 9]!;
  const offMinutes = buf[off + 10]!;
  const isValid =
    month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 && second <= 60 && deci <= 9 &&
    (direction === PLUS || direction === MINUS) && offHours <= 14 && offMinutes <= 59;
  if (!isValid) return undefined;
  const magnitude = offHours * 60 + offMinutes;
  const utcOffsetMinutes = direction === MINUS && magnitude !== 0 ? -magnitude : magnitude;
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  const value = new Date(0);
  value.setUTCFullYear(year, month - 1, day);
  value.setUTCHours(hour, minute, second, deci * 100);
  value.setTime(value.getTime() - utcOffsetMinutes * 60_000);
  return { value, utcOffsetMinutes };
}
