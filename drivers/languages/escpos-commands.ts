// ESC/POS command encoders for raster receipt printing: ESC @ init, ESC J feed, GS v 0 raster bands, GS V cut,
// DLE EOT real-time status requests (Epson ESC/POS command reference).
// SPDX-License-Identifier: Apache-2.0
import { DriverError } from '../../src/errors.js';

/** Control bytes used by the commands below. */
export const EscPos = {
  DLE: 0x10,
  EOT: 0x04,
  ESC: 0x1b,
  GS: 0x1d,
} as const;

/** Largest feed one `ESC J n` moves (n is one byte). */
export const MAX_FEED_DOTS = 255;
/** Largest x (bytes per row) and y (rows) a `GS v 0` header can state (two bytes each). */
export const MAX_RASTER_BYTES_PER_ROW = 0xffff;
export const MAX_RASTER_ROWS = 0xffff;

/** `ESC @`: initialise the printer (clears the buffer and modes, not the receive buffer). */
export function escposInit(): Uint8Array {
  return Uint8Array.of(EscPos.ESC, 0x40);
}

/** `ESC J n` commands that feed `dots` dots (0 gives no bytes); each moves at most 255. */
export function escposFeed(dots: number): Uint8Array {
  const n = Math.max(0, Math.floor(dots));
  const count = Math.ceil(n / MAX_FEED_DOTS);
  const out = new Uint8Array(count * 3);
  let left = n;
  for (let i = 0; i < count; i++) {
    const step = Math.min(MAX_FEED_DOTS, left);
    out.set([EscPos.ESC, 0x4a, step], i * 3);
    left -= step;
  }
  return out;
}

/** `GS v 0 m xL xH yL yH` header (m = 0, normal density) for a band of `rows` rows of `bytesPerRow` bytes. */
export function escposRasterHeader(bytesPerRow: number, rows: number): Uint8Array {
  if (!Number.isInteger(bytesPerRow) || bytesPerRow < 1 || bytesPerRow > MAX_RASTER_BYTES_PER_ROW) {
    throw new DriverError(`GS v 0: ${bytesPerRow} bytes per row is out of range`);
  }
  if (!Number.isInteger(rows) || rows < 1 || rows > MAX_RASTER_ROWS) throw new DriverError(`GS v 0: ${rows} rows is out of range`);
  return Uint8Array.of(EscPos.GS, 0x76, 0x30, 0, bytesPerRow & 0xff, bytesPerRow >> 8, rows & 0xff, rows >> 8);
}

/** Cut kinds of `GS V m n` (function B: feed to the cutter plus n motion units, then cut). */
export type EscposCutKind = 'partial' | 'full';

/** `GS V 65|66 n`: feed to the cutting position plus `feed` motion units, then cut fully (65) or partially (66). */
export function escposCut(kind: EscposCutKind, feed: number): Uint8Array {
  const n = Math.max(0, Math.min(255, Math.floor(feed)));
  return Uint8Array.of(EscPos.GS, 0x56, kind === 'full' ? 65 : 66, n);
}

/** DLE EOT n status kinds: 1 printer, 2 offline cause, 3 error cause, 4 roll paper sensor. */
export type EscposStatusKind = 1 | 2 | 3 | 4;

/** `DLE EOT n`: real-time status request, answered with one byte. */
export function escposStatusRequest(n: EscposStatusKind): Uint8Array {
  return Uint8Array.of(EscPos.DLE, EscPos.EOT, n);
}
