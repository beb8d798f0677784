// PCL raster row encoder: per plane, TIFF PackBits (mode 2, trailing zeros dropped) or delta row (mode 3) against
// that plane's seed row, whichever is shorter counting the ESC*b#M switch (PackBits only tried where the delta is
// large); blank rows collected into ESC*b#Y. Planes are encoded by the WebAssembly module of pcl-plane-wasm.ts
// where the runtime has it, else by #plane here: the same bytes either way.
// SPDX-License-Identifier: Apache-2.0
import { deltaRow, deltaRowBound } from './delta-row.js';
import { isBlankRow } from './mono-page.js';
import { packBitsBound, packBitsWithin } from './packbits.js';
import { WasmPlanes } from './pcl-plane-wasm.js';
import { wordsOf } from './row-words.js';
import type { PclBand } from './pcl-band.js';

const ESC = 0x1b;
const STAR = 0x2a;
const ZERO = 0x30;
const LOWER_B = 0x62;
const M = 0x4d;
const V = 0x56;
const W = 0x57;
const Y = 0x59;
/** Bytes of an ESC*b#M command, the cost of switching modes. */
const MODE_SWITCH_BYTES = 5;
/** Room left for ESC*b#M and ESC*b#W (at most 5 + 13 bytes) before a plane's delta row encoded in the band. */
const COMMAND_ROOM = 24;

/** PackBits is tried only on rows whose delta-row cost exceeds used bytes / this. */
const PACKBITS_TRY_RATIO = 4;

/** PCL raster compression methods this encoder uses (ESC*b#M). */
export const PclCompression = { PackBits: 2, DeltaRow: 3 } as const;

/** Encodes rows of 1-bit planes for one raster graphics block (ESC*r1A .. ESC*rB). */
export class PclRasterEncoder {
  readonly planes: number;
  readonly bytesPerRow: number;
  readonly #seeds: Uint8Array[];
  readonly #packed: Uint8Array;
  readonly #wasm: WasmPlanes | undefined;
  #mode = -1;
  #blankRows = 0;
  /** the last row given was blank (a block starts after a blank row as far as repeats go) */
  #isLastBlank = true;

  /** `useWasm` false forces the TypeScript path (tests compare the two). */
  constructor(planes: number, bytesPerRow: number, useWasm = true) {
    this.planes = planes;
    this.bytesPerRow = bytesPerRow;
    this.#wasm = useWasm ? WasmPlanes.create(planes, bytesPerRow) : undefined;
    this.#seeds = this.#wasm?.seeds ?? Array.from({ length: planes }, () => new Uint8Array(bytesPerRow));
    this.#packed = new Uint8Array(this.#wasm === undefined ? packBitsBound(bytesPerRow) : 0);
  }

  /** A buffer a one-plane row may be rendered into to spare a copy (the module's input), or undefined. */
  get rowBuffer(): Uint8Array | undefined {
    return this.planes === 1 ? this.#wasm?.row : undefined;
  }

  /** True when planes are encoded by the WebAssembly module. */
  get isWasm(): boolean {
    return this.#wasm !== undefined;
  }

  /** Most bytes one row (all planes, with commands) can add to the band, with room to encode the last plane. */
  get rowBound(): number {
    return this.planes * (Math.max(packBitsBound(this.bytesPerRow), deltaRowBound(this.bytesPerRow)) + 2 * 16) + 16 + COMMAND_ROOM;
  }

  /** Start of a raster block: seed rows are zero and the compression mode is unknown. */
  start(): void {
    for (const seed of this.#seeds) seed.fill(0);
    this.#mode = -1;
    this.#wasm?.reset();
    this.#blankRows = 0;
    this.#isLastBlank = true;
  }

  /** Rows skipped but not yet sent (trailing blank rows of a page need never be sent). */
  get pendingBlankRows(): number {
    return this.#blankRows;
  }

  /**
   * Encode one output row given as one buffer per plane (bytesPerRow each). `isRepeat`: the caller knows the row
   * is the previous one again, unchanged; a one-plane repeat under delta row is then the empty transfer without a
   * compare (the bytes the compare would give).
   */
  row(planes: readonly Uint8Array[], band: PclBand, isRepeat = false): void {
    if (isRepeat && this.planes === 1) {
      if (this.#isLastBlank) {
        this.#blankRows++;
        return;
      }
      if ((this.#wasm?.mode ?? this.#mode) === PclCompression.DeltaRow) {
        // ESC*b0W, written directly: a third of the rows of a text page come here.
        band.reserve(8);
        const b = band.buf;
        const at = band.pos;
        b[at] = ESC;
        b[at + 1] = STAR;
        b[at + 2] = LOWER_B;
        b[at + 3] = ZERO;
        b[at + 4] = W;
        band.pos = at + 5;
        return;
      }
    }
    let isBlank = true;
    for (let p = 0; p < planes.length && isBlank; p++) isBlank = isBlankRow(planes[p] as Uint8Array);
    this.#isLastBlank = isBlank;
    if (isBlank) {
      this.#blankRows++;
      return;
    }
    band.reserve(this.rowBound);
    if (this.#blankRows > 0) {
      // ESC*b#Y moves down and clears every seed row.
      band.cmd(STAR, LOWER_B, this.#blankRows, Y);
      this.#blankRows = 0;
      for (const seed of this.#seeds) seed.fill(0);
    }
    const last = planes.length - 1;
    const wasm = this.#wasm;
    if (wasm !== undefined) {
      for (let p = 0; p <= last; p++) band.pos += wasm.encode(planes[p] as Uint8Array, p, p === last ? W : V, band.buf, band.pos);
      return;
    }
    for (let p = 0; p <= last; p++) this.#plane(planes[p] as Uint8Array, this.#seeds[p] as Uint8Array, band, p === last ? W : V);
  }

  #plane(row: Uint8Array, seed: Uint8Array, band: PclBand, transfer: number): void {
    const n = this.bytesPerRow;
    // Delta row first, straight into the band after room for the commands (the caller reserved rowBound);
    // PackBits (which wins ties) only while it can still be no longer.
    const dataAt = band.pos + COMMAND_ROOM;
    const deltaLen = deltaRow(row, seed, n, band.buf, dataAt) - dataAt;
    const cost3 = deltaLen + (this.#mode === PclCompression.DeltaRow ? 0 : MODE_SWITCH_BYTES);
    const switch2 = this.#mode === PclCompression.PackBits ? 0 : MODE_SWITCH_BYTES;
    const used = usedBytes(row, n);
    // PackBits writes at least two bytes per 128 input bytes, and it is only tried when the delta is not already
    // small: on text pages it wins under 3% of rows, adding 0.01% to the output when skipped below a quarter.
    const isWorthTrying = cost3 * PACKBITS_TRY_RATIO > used && 2 * Math.ceil(used / 128) + switch2 <= cost3;
    const packedLen = isWorthTrying ? packBitsWithin(row, used, this.#packed, 0, cost3 - switch2) : -1;
    const mode = packedLen < 0 ? PclCompression.DeltaRow : PclCompression.PackBits;
    if (mode !== this.#mode) {
      band.cmd(STAR, LOWER_B, mode, M);
      this.#mode = mode;
    }
    const len = mode === PclCompression.DeltaRow ? deltaLen : packedLen;
    band.cmd(STAR, LOWER_B, len, transfer);
    const buf = band.buf;
    if (mode === PclCompression.DeltaRow) buf.copyWithin(band.pos, dataAt, dataAt + len);
    else buf.set(this.#packed.subarray(0, len), band.pos);
    band.pos += len;
    if (mode === PclCompression.PackBits || deltaLen > 0) seed.set(row);
  }
}

/** Length of the row without its trailing zero bytes (PackBits drops them; the engine pads with zeros). */
function usedBytes(row: Uint8Array, n: number): number {
  let used = n;
  const base = row.byteOffset;
  while (used > 0 && ((base + used) & 3) !== 0 && row[used - 1] === 0) used--;
  if (used >= 16 && ((base + used) & 3) === 0) {
    const words = wordsOf(row);
    let w = (base + used) >> 2;
    const first = (base + 3) >> 2;
    while (w > first && words[w - 1] === 0) w--;
    used = w * 4 - base;
  }
  while (used > 0 && row[used - 1] === 0) used--;
  return used;
}
