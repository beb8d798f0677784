// ZPL II ASCII graphic compression (the "alternative data compression scheme" of ~DG/^GF type A): hex nibbles,
// repeat counts G-Y (1-19) and g-z (20-400), ',' zero-fills and '!' one-fills the rest of a row, ':' repeats the
// previous row. Pure.
// SPDX-License-Identifier: Apache-2.0
import { DriverError } from '../../src/errors.js';

const HEX = Buffer.from('0123456789ABCDEF', 'latin1');
/** Longest run one repeat prefix describes here: 'z' (400) + 'Y' (19). */
export const MAX_ZPL_REPEAT = 419;

const CH_COMMA = 0x2c;
const CH_BANG = 0x21;
const CH_COLON = 0x3a;

/** Encodes the rows of one graphic field, remembering the previous row for ':'. */
export class ZplRowEncoder {
  readonly bytesPerRow: number;
  readonly #previous: Uint8Array;
  #hasPrevious = false;
  /** worst case: every nibble literal, plus one fill character */
  readonly #out: Uint8Array;

  constructor(bytesPerRow: number) {
    if (!Number.isInteger(bytesPerRow) || bytesPerRow < 1 || bytesPerRow > 0xffff) {
      throw new DriverError(`ZPL graphic: ${bytesPerRow} bytes per row is out of range`);
    }
    this.bytesPerRow = bytesPerRow;
    this.#previous = new Uint8Array(bytesPerRow);
    this.#out = new Uint8Array(bytesPerRow * 2 + 1);
  }

  /** The compressed form of one row (a view valid until the next call). */
  encode(row: Uint8Array): Uint8Array {
    if (row.length !== this.bytesPerRow) throw new DriverError(`ZPL graphic: row has ${row.length} bytes, expected ${this.bytesPerRow}`);
    const out = this.#out;
    if (this.#hasPrevious && Buffer.compare(row, this.#previous) === 0) {
      out[0] = CH_COLON;
      return out.subarray(0, 1);
    }
    this.#previous.set(row);
    this.#hasPrevious = true;
    const nibbles = this.bytesPerRow * 2;
    const nibble = (i: number): number => ((row[i >> 1] ?? 0) >> ((i & 1) === 0 ? 4 : 0)) & 0x0f;
    // Trailing zeros become ',', else trailing ones become '!'.
    let end = nibbles;
    while (end > 0 && nibble(end - 1) === 0) end--;
    let fill = end < nibbles ? CH_COMMA : 0;
    if (fill === 0) {
      while (end > 0 && nibble(end - 1) === 0x0f) end--;
      if (end < nibbles) fill = CH_BANG;
    }
    let o = 0;
    let i = 0;
    while (i < end) {
      const v = nibble(i);
      let run = 1;
      while (i + run < end && nibble(i + run) === v) run++;
      o = writeRun(out, o, v, run);
      i += run;
    }
    if (fill !== 0) out[o++] = fill;
    return out.subarray(0, o);
  }
}

/** Write `count` copies of nibble `v` at `o`: literal for 1-2, else repeat prefixes of at most 419. */
function writeRun(out: Uint8Array, o: number, v: number, count: number): number {
  const ch = HEX[v]!;
  let left = count;
  while (left > 0) {
    if (left < 3) {
      out[o++] = ch;
      left--;
      continue;
    }
    const n = Math.min(left, MAX_ZPL_REPEAT);
    const twenties = Math.floor(n / 20);
    const ones = n % 20;
    if (twenties > 0) out[o++] = 0x66 + twenties; // 'g' = 20 … 'z' = 400
    if (ones > 0) out[o++] = 0x46 + ones; // 'G' = 1 … 'Y' = 19
    out[o++] = ch;
    left -= n;
  }
  return o;
}
