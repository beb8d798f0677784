// Tests for lineRevision: the streamed page's line buffer is the same for repeated lines and gets a new revision
// whenever the reader rewrites it, so consumers may reuse work done for an unchanged line.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { lineRevision } from '../../src/raster/page-lines.js';
import { readPwgRaster } from '../../src/raster/pwg.js';
import { chunked, encodePwgRaster, type TestPage } from '../support/raster-writer.js';

function page(lines: number[][]): TestPage {
  const width = 16;
  const pixels = Uint8Array.from(lines.flat());
  return { type: 'black_1', width, height: lines.length, xDpi: 600, yDpi: 600, pixels };
}

t.test('a repeated line keeps its revision and a new line bumps it, at any chunk size', async (t) => {
  const lines = [
    [1, 2],
    [1, 2],
    [3, 4],
    [0, 0],
    [0, 0],
    [0, 0],
  ];
  for (const size of [1, 5, 4096]) {
    const seen: { rev: number; bytes: number[] }[] = [];
    for await (const p of readPwgRaster(chunked(encodePwgRaster([page(lines)]), size))) {
      for await (const line of p.lines()) seen.push({ rev: lineRevision(line), bytes: [...line] });
    }
    t.same(
      seen.map((s) => s.bytes),
      lines,
      `pixels with ${size}-byte chunks`,
    );
    const revs = seen.map((s) => s.rev);
    t.ok(revs.every((r) => r > 0), 'reader buffers have a revision');
    t.equal(revs[1], revs[0], 'repeat keeps the revision');
    t.not(revs[2], revs[1], 'new line, new revision');
    t.not(revs[3], revs[2]);
    t.equal(revs[5], revs[3]);
  }
});

t.test('a buffer no reader owns has revision -1', async (t) => {
  t.equal(lineRevision(new Uint8Array(4)), -1);
});
