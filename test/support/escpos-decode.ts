// Test-only ESC/POS parser: turns the driver's output (ESC @, ESC J, GS v 0, GS V, DLE EOT) back into a bitmap per
// cut, so golden files are checked against the 1-bit page they should show.
// SPDX-License-Identifier: Apache-2.0

/** One command as parsed. */
export type EscposCommand =
  | { readonly op: 'init' }
  | { readonly op: 'feed'; readonly dots: number }
  | { readonly op: 'raster'; readonly bytesPerRow: number; readonly rows: number; readonly mode: number }
  | { readonly op: 'cut'; readonly m: number; readonly n: number }
  | { readonly op: 'status'; readonly n: number };

/** A stretch of paper between cuts: rows of bytesPerRow bytes (fed rows are all zero). */
export interface EscposSheet {
  readonly rows: Uint8Array[];
  readonly isCut: boolean;
}

/** The parsed stream. */
export interface EscposDecoded {
  readonly commands: EscposCommand[];
  readonly sheets: EscposSheet[];
  /** bytes per row of the raster commands (undefined when there was none) */
  readonly bytesPerRow: number | undefined;
}

/** Parse ESC/POS output; throws on any byte that is not one of the commands the driver emits. */
export function decodeEscpos(data: Uint8Array): EscposDecoded {
  const commands: EscposCommand[] = [];
  const sheets: EscposSheet[] = [];
  let rows: Uint8Array[] = [];
  let bytesPerRow: number | undefined;
  let pendingFeed = 0;
  const need = (i: number, n: number): void => {
    if (i + n > data.length) throw new Error(`truncated command at byte ${i}`);
  };
  const feedRows = (): void => {
    for (; pendingFeed > 0; pendingFeed--) rows.push(new Uint8Array(bytesPerRow ?? 0));
  };
  let i = 0;
  while (i < data.length) {
    const b0 = data[i]!;
    const b1 = data[i + 1];
    if (b0 === 0x1b && b1 === 0x40) {
      commands.push({ op: 'init' });
      i += 2;
    } else if (b0 === 0x1b && b1 === 0x4a) {
      need(i, 3);
      const dots = data[i + 2]!;
      commands.push({ op: 'feed', dots });
      pendingFeed += dots;
      i += 3;
    } else if (b0 === 0x1d && b1 === 0x76 && data[i + 2] === 0x30) {
      need(i, 8);
      const x = data[i + 4]! | (data[i + 5]! << 8);
      const y = data[i + 6]! | (data[i + 7]! << 8);
      commands.push({ op: 'raster', bytesPerRow: x, rows: y, mode: data[i + 3]! });
      if (bytesPerRow !== undefined && bytesPerRow !== x) throw new Error(`raster width changed from ${bytesPerRow} to ${x} bytes`);
      bytesPerRow = x;
      i += 8;
      need(i, x * y);
      feedRows();
      for (let r = 0; r < y; r++) rows.push(data.slice(i + r * x, i + (r + 1) * x));
      i += x * y;
    } else if (b0 === 0x1d && b1 === 0x56) {
      need(i, 4);
      commands.push({ op: 'cut', m: data[i + 2]!, n: data[i + 3]! });
      // Feeding to the cutter ends the sheet; trailing feeds before it are paper too.
      feedRows();
      sheets.push({ rows, isCut: true });
      rows = [];
      i += 4;
    } else if (b0 === 0x10 && b1 === 0x04) {
      need(i, 3);
      commands.push({ op: 'status', n: data[i + 2]! });
      i += 3;
    } else {
      throw new Error(`unexpected byte 0x${b0.toString(16)} at ${i}`);
    }
  }
  feedRows();
  if (rows.length > 0) sheets.push({ rows, isCut: false });
  return { commands, sheets, bytesPerRow };
}
