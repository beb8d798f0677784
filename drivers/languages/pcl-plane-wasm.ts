// The PCL plane encoder of pcl-rows.wat: one WebAssembly instance per raster block holds the row being encoded, the
// seed rows, the PackBits scratch and the output of one plane row. It writes exactly the bytes of the TypeScript
// path in pcl-raster.ts (a test holds them equal) about 2.4 times faster on text pages (SIMD compares 16 bytes at a
// time, no bounds checks), which matters on the one core that drives the engine. Where WebAssembly SIMD is missing
// (e.g. node --jitless) the TypeScript path is used.
// SPDX-License-Identifier: Apache-2.0
import { deltaRowBound } from './delta-row.js';
import { packBitsBound } from './packbits.js';
import { PCL_ROWS_WASM } from './pcl-rows-wasm.js';

/** The part of the WebAssembly JS API used here (TypeScript's node typings do not declare it). */
interface WasmModule {
  readonly wasmModule: true;
}
interface WasmApi {
  readonly Module: new (bytes: Uint8Array) => WasmModule;
  readonly Instance: new (module: WasmModule, imports: object) => { readonly exports: unknown };
}
const wasmApi = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

interface PlaneExports {
  readonly memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  /** the compression mode in effect (-1 unknown, 2, 3) */
  readonly mode: { readonly value: number };
  /** forget the compression mode (a new raster block) */
  readonly reset: () => void;
  /** encode the row at `row` against the seed at `seed` into `out`; returns the bytes written */
  readonly plane: (row: number, seed: number, n: number, out: number, pack: number, term: number) => number;
}

/** WebAssembly pages are 64 KiB. */
const PAGE_BYTES = 65536;
/** Bytes before the delta data in the output area, for ESC*b#M and ESC*b#W (the module's own constant). */
const COMMAND_ROOM = 24;
/** Slack after each area for the module's 8-byte moves and 16-byte loads. */
const SLACK = 16;

let compiled: WasmModule | null | undefined;

/** The compiled module, or null where this runtime cannot compile it (no WebAssembly, no SIMD). */
function planeModule(): WasmModule | null {
  if (compiled === undefined) {
    try {
      compiled = wasmApi === undefined ? null : new wasmApi.Module(Buffer.from(PCL_ROWS_WASM, 'base64'));
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** True when this runtime runs the WebAssembly encoder (else PclRasterEncoder encodes in TypeScript). */
export function hasWasmPlanes(): boolean {
  return planeModule() !== null;
}

function roundUp16(n: number): number {
  return (n + 15) & ~15;
}

/** The memory of one raster block: row, one seed per plane, PackBits scratch, output. */
export class WasmPlanes {
  /** seed rows (views into the module's memory; zero them to restart the seeds) */
  readonly seeds: Uint8Array[];
  readonly #exports: PlaneExports;
  readonly #bytesPerRow: number;
  readonly #row: Uint8Array;
  readonly #memory: Uint8Array;
  readonly #seedAt: number[];
  readonly #packAt: number;
  readonly #outAt: number;

  private constructor(api: WasmApi, module: WasmModule, planes: number, bytesPerRow: number) {
    const exports = new api.Instance(module, {}).exports as PlaneExports;
    const area = roundUp16(bytesPerRow + SLACK);
    this.#seedAt = Array.from({ length: planes }, (_, p) => area * (1 + p));
    this.#packAt = area * (1 + planes);
    this.#outAt = this.#packAt + roundUp16(packBitsBound(bytesPerRow) + SLACK);
    const outBytes = COMMAND_ROOM + Math.max(deltaRowBound(bytesPerRow), packBitsBound(bytesPerRow)) + SLACK;
    const total = this.#outAt + roundUp16(outBytes);
    const pages = Math.ceil(total / PAGE_BYTES);
    const have = exports.memory.buffer.byteLength / PAGE_BYTES;
    if (pages > have) exports.memory.grow(pages - have);
    this.#exports = exports;
    this.#bytesPerRow = bytesPerRow;
    this.#memory = new Uint8Array(exports.memory.buffer);
    this.#row = this.#memory.subarray(0, bytesPerRow);
    this.seeds = this.#seedAt.map((at) => this.#memory.subarray(at, at + bytesPerRow));
  }

  /** The encoder for `planes` planes of `bytesPerRow`, or undefined where WebAssembly SIMD is unavailable. */
  static create(planes: number, bytesPerRow: number): WasmPlanes | undefined {
    const module = planeModule();
    return module === null || wasmApi === undefined ? undefined : new WasmPlanes(wasmApi, module, planes, bytesPerRow);
  }

  /** The compression mode in effect: -1 before the first row of a block, else 2 or 3. */
  get mode(): number {
    return this.#exports.mode.value;
  }

  /** A new raster block: the compression mode is unknown again (the caller zeroes the seeds). */
  reset(): void {
    this.#exports.reset();
  }

  /**
   * Encode `row` as plane `p` (mode switch if any, ESC*b#<term>, data) into `out` at `at` (room for
   * COMMAND_ROOM + the larger bound must be there); returns the bytes written.
   */
  /** The input row buffer: a row rendered here is encoded without a copy. */
  get row(): Uint8Array {
    return this.#row;
  }

  encode(row: Uint8Array, p: number, term: number, out: Uint8Array, at: number): number {
    if (row !== this.#row) this.#row.set(row);
    const n = this.#exports.plane(0, this.#seedAt[p] as number, this.#bytesPerRow, this.#outAt, this.#packAt, term);
    out.set(this.#memory.subarray(this.#outAt, this.#outAt + n), at);
    return n;
  }
}
