// ESC/POS real-time status (DLE EOT 1-4): ask the printer, read one byte per request with a short timeout, and map
// the bits to printer-state-reasons. An engine that does not answer yields no reasons.
// SPDX-License-Identifier: Apache-2.0
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { TransportPort } from '../transports/transport.js';
import { escposStatusRequest, type EscposStatusKind } from './escpos-commands.js';

/** How long to wait for each status byte. */
export const ESCPOS_STATUS_TIMEOUT_MS = 500;

/** The status bytes the printer returned (undefined: not answered or not a valid status byte). */
export interface EscposStatusBytes {
  readonly printer?: number;
  readonly offlineCause?: number;
  readonly errorCause?: number;
  readonly paperSensor?: number;
}

/** A DLE EOT reply always has bits 1 and 4 set and bits 0 and 7 clear. */
export function isEscposStatusByte(b: number): boolean {
  return (b & 0x93) === 0x12;
}

/** printer-state-reasons for the answered status bytes (PWG 5100.9 keywords with severity suffix). */
export function escposReasons(s: EscposStatusBytes): string[] {
  const reasons = new Set<string>();
  const bit = (b: number | undefined, mask: number): boolean => b !== undefined && (b & mask) !== 0;
  if (bit(s.paperSensor, 0x60) || bit(s.offlineCause, 0x20)) reasons.add('media-empty-error');
  else if (bit(s.paperSensor, 0x0c)) reasons.add('media-low-report');
  if (bit(s.offlineCause, 0x04)) reasons.add('cover-open-error');
  if (bit(s.errorCause, 0x08) || bit(s.errorCause, 0x20)) reasons.add('other-error');
  else if (bit(s.errorCause, 0x40)) reasons.add('other-warning');
  if (bit(s.printer, 0x08)) reasons.add('offline-report');
  return [...reasons];
}

async function readStatusByte(port: TransportPort, timeoutMs: number): Promise<number | undefined> {
  if (port.read === undefined) return undefined;
  const signal = AbortSignal.any([AbortSignal.timeout(timeoutMs), port.disconnected]);
  while (!signal.aborted) {
    const data = await port.read(1, signal);
    if (data.length > 0) return data[data.length - 1];
    // An empty read must not spin: give the timeout a chance to fire.
    await delay(5);
  }
  return undefined;
}

/**
 * Ask DLE EOT 1, 2, 3, 4 in turn. Stops at the first request without an answer, so a silent engine costs one
 * timeout. Rejections of the port (timeout, disconnect) count as "no answer".
 */
export async function queryEscposStatus(port: TransportPort, log: Logger, timeoutMs = ESCPOS_STATUS_TIMEOUT_MS): Promise<EscposStatusBytes> {
  const answers: Partial<Record<EscposStatusKind, number>> = {};
  for (const n of [1, 2, 3, 4] as const) {
    let b: number | undefined;
    try {
      await port.write(escposStatusRequest(n), AbortSignal.timeout(timeoutMs));
      b = await readStatusByte(port, timeoutMs);
    } catch (err) {
      log.debug({ err, request: n }, 'ESC/POS status request not answered');
      break;
    }
    if (b === undefined) break;
    if (!isEscposStatusByte(b)) {
      log.debug({ request: n, byte: b }, 'ESC/POS status reply is not a status byte');
      continue;
    }
    answers[n] = b;
  }
  return {
    ...(answers[1] !== undefined ? { printer: answers[1] } : {}),
    ...(answers[2] !== undefined ? { offlineCause: answers[2] } : {}),
    ...(answers[3] !== undefined ? { errorCause: answers[3] } : {}),
    ...(answers[4] !== undefined ? { paperSensor: answers[4] } : {}),
  };
}
