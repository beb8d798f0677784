// Tests for the WebAssembly PCL plane encoder: the embedded binary is the assembled pcl-rows.wat, and it writes
// exactly the bytes of the TypeScript path for every kind of row (delta row, PackBits, mode switches, long offsets,
// colour planes, odd widths), also when the caller marks repeated rows.
// SPDX-License-Identifier: Apache-2.0
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { PclBand } from '../../../drivers/languages/pcl-band.js';
import { hasWasmPlanes } from '../../../drivers/languages/pcl-plane-wasm.js';
import { PclRasterEncoder } from '../../../drivers/languages/pcl-raster.js';
import { seededRandom } from '../../support/raster-writer.js';
import { assemble, EMBEDDED_WASM, embeddedSource, projectRoot } from '../../tools/embed-wasm.js';

function hasWat2wasm(): boolean {
  try {
    execFileSync('wat2wasm', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

t.test('the embedded modules are the assembled .wat sources', async (t) => {
  if (!hasWat2wasm()) {
    const msg = 'wat2wasm missing (install Debian package wabt)';
    if (process.env['CI'] === 'true') t.fail(msg);
    else t.pass(msg, { skip: msg });
    return;
  }
  const root = projectRoot();
  for (const m of EMBEDDED_WASM) {
    const expected = embeddedSource(assemble(join(root, m.wat)), m.wat, m.name);
    t.equal(readFileSync(join(root, m.ts), 'utf8'), expected, `${m.ts} is current (run npm run wasm)`);
  }
});

t.test('this runtime runs the WebAssembly encoder', async (t) => {
  t.ok(hasWasmPlanes());
  t.ok(new PclRasterEncoder(1, 100).isWasm);
  t.notOk(new PclRasterEncoder(1, 100, false).isWasm);
});

type RowKind = (rnd: () => number, prev: Uint8Array) => Uint8Array<ArrayBuffer>;

/** Rows of every shape the encoder distinguishes. */
const KINDS: readonly RowKind[] = [
  // text-like: mostly the previous row with a few bytes changed
  (rnd, prev) => Uint8Array.from(prev, (v) => (rnd() < 0.05 ? Math.floor(rnd() * 256) : v)),
  // noise: delta loses, PackBits literal
  (rnd, prev) => Uint8Array.from(prev, () => Math.floor(rnd() * 256)),
  // solid runs: PackBits repeats
  (_rnd, prev) => Uint8Array.from(prev, (_, i) => ((i >> 5) % 2 === 0 ? 0xff : 0)),
  // blank
  (_rnd, prev) => new Uint8Array(prev.length),
  // same as before
  (_rnd, prev) => Uint8Array.from(prev),
  // one change far out (delta offset extension bytes), then trailing zeros
  (rnd, prev) => {
    const row = new Uint8Array(prev.length);
    row[Math.floor(rnd() * prev.length)] = 1 + Math.floor(rnd() * 255);
    return row;
  },
  // changed runs longer than eight bytes
  (rnd, prev) => {
    const row = Uint8Array.from(prev);
    const at = Math.floor(rnd() * prev.length);
    for (let i = at; i < Math.min(prev.length, at + 1 + Math.floor(rnd() * 40)); i++) row[i] = (row[i] as number) ^ 0x5a;
    return row;
  },
];

/** Encode the rows twice (two raster blocks); `markRepeats`: tell the encoder which rows repeat the one before. */
function encode(planes: number, rows: readonly Uint8Array[][], useWasm: boolean, markRepeats = false): Uint8Array {
  const n = rows[0]?.[0]?.length ?? 0;
  const band = new PclBand(1 << 30, 16 * 1024);
  const enc = new PclRasterEncoder(planes, n, useWasm);
  for (let block = 0; block < 2; block++) {
    enc.start();
    rows.forEach((row, i) => {
      const prev = rows[i - 1];
      const isRepeat = markRepeats && prev !== undefined && row.every((plane, p) => Buffer.compare(plane, prev[p] as Uint8Array) === 0);
      enc.row(row, band, isRepeat);
    });
  }
  return band.buf.slice(0, band.pos);
}

t.test('WebAssembly and TypeScript planes write the same bytes', async (t) => {
  const rnd = seededRandom(77);
  let bad = 0;
  let badRepeats = 0;
  let total = 0;
  for (let doc = 0; doc < 60; doc++) {
    const planes = doc % 3 === 0 ? 3 : 1;
    const n = 1 + Math.floor(rnd() * (doc % 5 === 0 ? 2000 : 300));
    let prev = Array.from({ length: planes }, () => new Uint8Array(n));
    const rows: Uint8Array[][] = [];
    for (let r = 0; r < 80; r++) {
      prev = prev.map((p) => (KINDS[Math.floor(rnd() * KINDS.length)] as RowKind)(rnd, p));
      rows.push(prev);
    }
    const ts = encode(planes, rows, false);
    const wasm = encode(planes, rows, true);
    total += ts.length;
    if (Buffer.compare(ts, wasm) !== 0) bad++;
    // Rows marked as repeats (no compare) give the same bytes on both paths.
    if (Buffer.compare(ts, encode(planes, rows, false, true)) !== 0) badRepeats++;
    if (Buffer.compare(ts, encode(planes, rows, true, true)) !== 0) badRepeats++;
  }
  t.equal(bad, 0, 'documents that differ');
  t.equal(badRepeats, 0, 'documents that differ when repeats are marked');
  t.ok(total > 100_000, 'the documents are not trivial');
});
