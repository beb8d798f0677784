// Test-only PCL 3/5 raster decoder: parses escape sequences, decompresses raster modes 0, 2 and 3 (with seed rows)
// and rebuilds each page's bitmap per plane, so golden files can be checked for meaning, not only for equality.
// SPDX-License-Identifier: Apache-2.0

/** One parsed command: ESC + group chars + value + terminator ('E' for ESC E, 'UEL', 'FF', 'PJL'). */
export interface PclCommand {
  readonly name: string;
  readonly value: number;
  /** byte offset in the stream */
  readonly at: number;
  /** transfer data length (V/W) */
  readonly dataBytes?: number;
}

/** A decoded page: the raster block's rows per plane (bytesPerRow bytes each). */
export interface PclPage {
  readonly resolution: number;
  readonly width: number;
  readonly height: number;
  readonly planes: number;
  readonly bytesPerRow: number;
  /** planes[p][y] */
  readonly rows: Uint8Array[][];
  readonly pageSize: number | undefined;
  readonly duplex: number | undefined;
  /** compression modes used, in order of ESC*b#M */
  readonly modes: number[];
}

export interface PclDocument {
  readonly commands: PclCommand[];
  readonly pages: PclPage[];
  readonly resets: number;
}

/** Decoding failed: the stream is not what the driver should send. */
export class PclDecodeError extends Error {}

/** Expand TIFF PackBits data into `out` (extra bytes dropped, the rest left as it was). */
export function unpackBits(data: Uint8Array, out: Uint8Array): void {
  let i = 0;
  let o = 0;
  while (i < data.length) {
    const n = data[i++] as number;
    if (n < 128) {
      for (let k = 0; k <= n; k++) {
        if (i >= data.length) throw new PclDecodeError('packbits literal runs past the data');
        if (o < out.length) out[o] = data[i] as number;
        o++;
        i++;
      }
    } else if (n > 128) {
      if (i >= data.length) throw new PclDecodeError('packbits repeat without a byte');
      const v = data[i++] as number;
      for (let k = 0; k < 257 - n; k++) if (o < out.length) out[o++] = v;
    }
  }
}

/** Apply PCL mode 3 delta-row data to `row` (which holds the seed row). */
export function applyDelta(data: Uint8Array, row: Uint8Array): void {
  let i = 0;
  let pos = 0;
  while (i < data.length) {
    const cmd = data[i++] as number;
    const count = (cmd >> 5) + 1;
    let offset = cmd & 31;
    if (offset === 31) {
      let more: number;
      do {
        if (i >= data.length) throw new PclDecodeError('delta row offset runs past the data');
        more = data[i++] as number;
        offset += more;
      } while (more === 255);
    }
    pos += offset;
    for (let k = 0; k < count; k++) {
      if (i >= data.length) throw new PclDecodeError('delta row replacement runs past the data');
      if (pos < row.length) row[pos] = data[i] as number;
      pos++;
      i++;
    }
  }
}

interface Raster {
  width: number;
  height: number;
  planes: number;
  resolution: number;
  pageSize: number | undefined;
  duplex: number | undefined;
  modes: number[];
  mode: number;
  y: number;
  plane: number;
  seeds: Uint8Array[];
  rows: Uint8Array[][];
  isActive: boolean;
}

/** Decode a PCL byte stream as the driver writes it. */
export function decodePcl(data: Uint8Array): PclDocument {
  const commands: PclCommand[] = [];
  const pages: PclPage[] = [];
  let resets = 0;
  const st: Raster = {
    width: 0, height: 0, planes: 1, resolution: 75, pageSize: undefined, duplex: undefined,
    modes: [], mode: 0, y: 0, plane: 0, seeds: [], rows: [], isActive: false,
  };
  const bytesPerRow = (): number => Math.ceil(st.width / 8);
  const newRow = (): Uint8Array => new Uint8Array(bytesPerRow());
  const startRaster = (): void => {
    st.isActive = true;
    st.y = 0;
    st.plane = 0;
    st.seeds = Array.from({ length: st.planes }, newRow);
    st.rows = Array.from({ length: st.planes }, () => []);
  };
  const transfer = (bytes: Uint8Array, isLastPlane: boolean): void => {
    if (!st.isActive) throw new PclDecodeError('raster data outside raster graphics');
    if (st.plane >= st.planes) throw new PclDecodeError(`plane ${st.plane} of ${st.planes}`);
    const seed = st.seeds[st.plane] as Uint8Array;
    const row = newRow();
    if (st.mode === 0) row.set(bytes.subarray(0, row.length));
    else if (st.mode === 2) unpackBits(bytes, row);
    else if (st.mode === 3) {
      row.set(seed);
      applyDelta(bytes, row);
    } else throw new PclDecodeError(`compression mode ${st.mode} not decoded`);
    seed.set(row);
    const planeRows = st.rows[st.plane] as Uint8Array[];
    while (planeRows.length < st.y) planeRows.push(newRow());
    planeRows.push(row);
    if (isLastPlane) {
      if (st.plane !== st.planes - 1) throw new PclDecodeError(`W after ${st.plane + 1} of ${st.planes} planes`);
      st.plane = 0;
      st.y++;
    } else st.plane++;
  };
  const endPage = (): void => {
    if (st.rows.length === 0) return;
    const rows = st.rows.map((planeRows) => {
      const out = planeRows.slice(0, st.height);
      while (out.length < st.height) out.push(newRow());
      return out;
    });
    pages.push({
      resolution: st.resolution, width: st.width, height: st.height, planes: st.planes, bytesPerRow: bytesPerRow(),
      rows, pageSize: st.pageSize, duplex: st.duplex, modes: st.modes,
    });
    st.rows = [];
    st.modes = [];
  };
  let i = 0;
  while (i < data.length) {
    const b = data[i] as number;
    if (b === 0x0c) {
      commands.push({ name: 'FF', value: 0, at: i });
      endPage();
      i++;
      continue;
    }
    if (b !== 0x1b) {
      // PJL lines between a UEL and the PCL data.
      const text = Buffer.from(data.subarray(i, Math.min(data.length, i + 5))).toString('latin1');
      if (text !== '@PJL ') throw new PclDecodeError(`stray byte 0x${b.toString(16)} at ${i}`);
      const end = data.indexOf(0x0a, i);
      if (end < 0) throw new PclDecodeError('unterminated PJL line');
      commands.push({ name: 'PJL', value: 0, at: i });
      i = end + 1;
      continue;
    }
    const start = i;
    const g1 = data[i + 1] as number;
    if (g1 === 0x45) {
      commands.push({ name: 'E', value: 0, at: i });
      resets++;
      st.isActive = false;
      i += 2;
      continue;
    }
    if (Buffer.from(data.subarray(i, i + 9)).toString('latin1') === '\x1b%-12345X') {
      commands.push({ name: 'UEL', value: 0, at: i });
      i += 9;
      continue;
    }
    if (g1 < 0x21 || g1 > 0x2f) throw new PclDecodeError(`unknown escape 0x${g1.toString(16)} at ${i}`);
    const g2 = data[i + 2] as number;
    i += 3;
    // Value and terminator; a lowercase terminator combines the next command of the same group.
    for (;;) {
      let num = '';
      while (i < data.length && /[-+0-9.]/.test(String.fromCharCode(data[i] as number))) num += String.fromCharCode(data[i++] as number);
      const term = data[i++];
      if (term === undefined) throw new PclDecodeError(`truncated command at ${start}`);
      const upper = String.fromCharCode(term).toUpperCase();
      const name = String.fromCharCode(g1, g2) + upper;
      const value = num === '' ? 0 : Number(num);
      let dataBytes: number | undefined;
      switch (name) {
        case '*tR': st.resolution = value; break;
        case '*rS': st.width = value; break;
        case '*rT': st.height = value; break;
        case '*rU': st.planes = Math.abs(value); break;
        case '*rA': startRaster(); break;
        case '*rB':
        case '*rC': st.isActive = false; break;
        case '*bM': st.mode = value; st.modes.push(value); break;
        case '*bY':
          st.y += value;
          for (const seed of st.seeds) seed.fill(0);
          break;
        case '*bV':
        case '*bW': {
          dataBytes = value;
          const bytes = data.subarray(i, i + value);
          if (bytes.length !== value) throw new PclDecodeError(`transfer of ${value} bytes truncated at ${start}`);
          i += value;
          transfer(bytes, name === '*bW');
          break;
        }
        case '&lA': st.pageSize = value; break;
        case '&lS': st.duplex = value; break;
        default: break;
      }
      commands.push({ name, value, at: start, ...(dataBytes !== undefined ? { dataBytes } : {}) });
      if (term >= 0x60 && term <= 0x7e && name !== '*bV' && name !== '*bW') continue;
      break;
    }
  }
  return { commands, pages, resets };
}
