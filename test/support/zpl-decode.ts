// Test-only ZPL II parser for the driver's output: labels (^XA…^XZ) with their commands, and the ^GFA graphic
// decoded from ZPL ASCII compression back into 1-bit rows.
// SPDX-License-Identifier: Apache-2.0

/** One ^GF graphic field. */
export interface ZplGraphic {
  readonly format: string;
  readonly binaryBytes: number;
  readonly fieldBytes: number;
  readonly bytesPerRow: number;
  readonly rows: Uint8Array[];
  /** the compressed data as sent */
  readonly data: string;
}

/** One label: the commands in order (name + parameters, e.g. ['^PW', '832']) and its graphic. */
export interface ZplLabel {
  /** tilde commands received before the ^XA */
  readonly before: [string, string][];
  readonly commands: [string, string][];
  readonly graphic: ZplGraphic | undefined;
}

/** Decode ZPL ASCII compressed data of `bytesPerRow` bytes per row. Throws on malformed data. */
export function decodeZplAscii(data: string, bytesPerRow: number): Uint8Array[] {
  const nibbles = bytesPerRow * 2;
  const rows: Uint8Array[] = [];
  let row = new Uint8Array(bytesPerRow);
  let pos = 0;
  let count = 0;
  const put = (v: number): void => {
    row[pos >> 1]! |= (pos & 1) === 0 ? v << 4 : v;
    pos++;
    if (pos === nibbles) endRow();
  };
  const endRow = (): void => {
    rows.push(row);
    row = new Uint8Array(bytesPerRow);
    pos = 0;
  };
  for (const ch of data) {
    if (ch === '\r' || ch === '\n') continue;
    const c = ch.charCodeAt(0);
    if (c >= 0x47 && c <= 0x59) count += c - 0x46;
    else if (c >= 0x67 && c <= 0x7a) count += (c - 0x66) * 20;
    else if (/[0-9A-Fa-f]/.test(ch)) {
      const n = count === 0 ? 1 : count;
      count = 0;
      for (let k = 0; k < n; k++) put(parseInt(ch, 16));
    } else if (ch === ',' || ch === '!') {
      if (count !== 0) throw new Error(`repeat count before '${ch}'`);
      const v = ch === ',' ? 0 : 0x0f;
      do put(v);
      while (pos !== 0);
    } else if (ch === ':') {
      if (count !== 0 || pos !== 0) throw new Error("':' in the middle of a row");
      const prev = rows.at(-1);
      if (prev === undefined) throw new Error("':' on the first row");
      rows.push(prev.slice());
    } else {
      throw new Error(`unexpected character '${ch}' in graphic data`);
    }
  }
  if (pos !== 0 || count !== 0) throw new Error('graphic data ends inside a row');
  return rows;
}

/** Split ZPL text into commands: '^XX' or '~XX' plus parameters up to the next '^' or '~' (line breaks dropped). */
function commands(text: string): [string, string][] {
  const out: [string, string][] = [];
  const re = /([\^~][A-Z@][A-Z0-9@])([^^~]*)/gy;
  const clean = text.replace(/[\r\n]/g, '');
  let m: RegExpExecArray | null;
  let last = 0;
  while ((m = re.exec(clean)) !== null) {
    out.push([m[1]!, m[2]!]);
    last = re.lastIndex;
  }
  if (last !== clean.length) throw new Error(`unparsed ZPL at ${last}: ${clean.slice(last, last + 20)}`);
  return out;
}

function graphic(params: string): ZplGraphic {
  const m = /^([ABC]),(\d+),(\d+),(\d+),(.*)$/s.exec(params);
  if (m === null) throw new Error(`bad ^GF parameters ${params.slice(0, 40)}`);
  const bytesPerRow = Number(m[4]);
  const rows = decodeZplAscii(m[5]!, bytesPerRow);
  return { format: m[1]!, binaryBytes: Number(m[2]), fieldBytes: Number(m[3]), bytesPerRow, rows, data: m[5]! };
}

/** Parse a ZPL stream into labels; throws on text outside commands or unbalanced ^XA/^XZ. */
export function decodeZpl(text: string): ZplLabel[] {
  const labels: ZplLabel[] = [];
  let before: [string, string][] = [];
  let current: { commands: [string, string][]; graphic: ZplGraphic | undefined } | undefined;
  for (const [name, params] of commands(text)) {
    if (name === '^XA') {
      if (current !== undefined) throw new Error('^XA inside a label');
      current = { commands: [], graphic: undefined };
    } else if (name === '^XZ') {
      if (current === undefined) throw new Error('^XZ outside a label');
      labels.push({ before, ...current });
      before = [];
      current = undefined;
    } else if (current === undefined) {
      before.push([name, params]);
    } else {
      current.commands.push([name, params]);
      if (name === '^GF') current.graphic = graphic(params);
    }
  }
  if (current !== undefined) throw new Error('label without ^XZ');
  return labels;
}
