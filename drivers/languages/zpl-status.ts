// ZPL II host status (~HS): three STX…ETX CR LF strings; parse the flags and map them to printer-state-reasons.
// Zebra firmware may stay silent while media or ribbon is out or the head is open: no answer gives no reasons.
// SPDX-License-Identifier: Apache-2.0
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { TransportPort } from '../transports/transport.js';

/** How long to wait for the whole ~HS answer. */
export const ZPL_STATUS_TIMEOUT_MS = 1000;
/** Longest ~HS answer accepted (the real one is under 100 bytes). */
const MAX_REPLY_BYTES = 1024;
const STX = 0x02;
const ETX = 0x03;

/** The ~HS flags this driver uses. */
export interface ZplHostStatus {
  readonly paperOut: boolean;
  readonly paused: boolean;
  readonly bufferFull: boolean;
  readonly corruptRam: boolean;
  readonly underTemperature: boolean;
  readonly overTemperature: boolean;
  readonly headUp: boolean;
  readonly ribbonOut: boolean;
  readonly thermalTransfer: boolean;
  /** label length in dots (string 1, dddd) */
  readonly labelLength: number;
}

/** The text of each complete STX…ETX frame in `data`. */
function frames(data: Uint8Array): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i < data.length; i++) {
    if (data[i] === STX) start = i + 1;
    else if (data[i] === ETX && start >= 0) {
      out.push(Buffer.from(data.subarray(start, i)).toString('latin1'));
      start = -1;
    }
  }
  return out;
}

function numericFields(text: string, count: number): number[] | undefined {
  const parts = text.split(',');
  if (parts.length < count || !parts.slice(0, count).every((p) => /^\s*\d+\s*$/.test(p))) return undefined;
  return parts.map((p) => Number(p.trim()));
}

/** Parse a ~HS answer (the bytes read); undefined when the first two strings are not there or malformed. */
export function parseZplHostStatus(data: Uint8Array): ZplHostStatus | undefined {
  const [one, two] = frames(data);
  if (one === undefined || two === undefined) return undefined;
  const a = numericFields(one, 12);
  const b = numericFields(two, 11);
  if (a === undefined || b === undefined) return undefined;
  const flag = (v: number | undefined): boolean => v === 1;
  return {
    paperOut: flag(a[1]),
    paused: flag(a[2]),
    labelLength: a[3] ?? 0,
    bufferFull: flag(a[5]),
    corruptRam: flag(a[9]),
    underTemperature: flag(a[10]),
    overTemperature: flag(a[11]),
    headUp: flag(b[2]),
    ribbonOut: flag(b[3]),
    thermalTransfer: flag(b[4]),
  };
}

/** printer-state-reasons for a host status (PWG 5100.9 / IANA keywords). */
export function zplReasons(s: ZplHostStatus): string[] {
  const reasons: string[] = [];
  if (s.paperOut) reasons.push('media-empty-error');
  if (s.headUp) reasons.push('cover-open-error');
  if (s.ribbonOut) reasons.push('marker-print-ribbon-empty-error');
  // A Zebra paused from its panel (or by ~PP) prints nothing until resumed there: the engine is paused.
  if (s.paused) reasons.push('paused');
  if (s.overTemperature) reasons.push('other-error');
  else if (s.underTemperature || s.corruptRam) reasons.push('other-warning');
  return reasons;
}

/** True once `data` holds the three ~HS strings. */
function isComplete(data: Uint8Array): boolean {
  return frames(data).length >= 3;
}

/** Send ~HS and collect the answer until three strings arrived or `timeoutMs` passed; undefined when none came. */
export async function queryZplHostStatus(port: TransportPort, log: Logger, timeoutMs = ZPL_STATUS_TIMEOUT_MS): Promise<ZplHostStatus | undefined> {
  if (port.read === undefined) return undefined;
  const signal = AbortSignal.any([AbortSignal.timeout(timeoutMs), port.disconnected]);
  const parts: Uint8Array[] = [];
  let size = 0;
  try {
    await port.write(Buffer.from('~HS', 'latin1'), signal);
    while (!signal.aborted && size < MAX_REPLY_BYTES) {
      const chunk = await port.read(MAX_REPLY_BYTES - size, signal);
      // An empty read must not spin: give the timeout a chance to fire.
      if (chunk.length === 0) await delay(5);
      parts.push(chunk);
      size += chunk.length;
      if (isComplete(Buffer.concat(parts, size))) break;
    }
  } catch (err) {
    log.debug({ err }, 'ZPL host status not answered');
  }
  const status = size > 0 ? parseZplHostStatus(Buffer.concat(parts, size)) : undefined;
  if (status === undefined && size > 0) log.debug({ bytes: size }, 'ZPL host status answer not understood');
  return status;
}
