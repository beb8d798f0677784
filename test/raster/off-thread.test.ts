// Tests for readDocumentOffThread: PWG and Apple raster decoded on the decoder thread give the same pages, lines
// and errors as readDocument in this thread, repeated lines keep their identity, and a stream that fails or a
// consumer that stops early leaves nothing behind.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { RasterError } from '../../src/errors.js';
import { readDocument } from '../../src/raster/document.js';
import { decoderThread } from '../../src/raster/decoder-thread.js';
import { readDocumentOffThread } from '../../src/raster/off-thread.js';
import { LineReader } from '../../src/raster/line-reader.js';
import { lineRevision } from '../../src/raster/page-lines.js';
import type { RasterDocument, RasterPage } from '../../src/raster/types.js';
import { bytesPerLine, chunked, encodePwgRaster, encodeUrf, seededRandom, type TestPage } from '../support/raster-writer.js';

/** A page of random blocks with runs of repeated lines (the encoder turns them into line repeats). */
function testPage(type: TestPage['type'], width: number, height: number, seed: number): TestPage {
  const bpl = bytesPerLine(type, width);
  const pixels = new Uint8Array(bpl * height);
  const random = seededRandom(seed);
  let y = 0;
  while (y < height) {
    const run = 1 + Math.floor(random() * 40);
    const row = Uint8Array.from({ length: bpl }, () => (random() < 0.3 ? Math.floor(random() * 256) : type === 'black_1' ? 0 : 0xff));
    for (let k = 0; k < run && y < height; k++, y++) pixels.set(row, y * bpl);
  }
  return { type, width, height, xDpi: 300, yDpi: 300, pixels };
}

interface Seen {
  readonly headers: RasterPage['header'][];
  readonly lines: string[];
  /** per line: true when it is the same buffer, unrewritten, as the line before */
  readonly repeats: boolean[];
}

/** Every page header and line, pulling lines the way the pipeline does (takeLine first, then the iterator). */
async function collect(doc: RasterDocument): Promise<Seen> {
  const seen: Seen = { headers: [], lines: [], repeats: [] };
  for await (const page of doc) {
    seen.headers.push(page.header);
    const reader = new LineReader(page);
    let last: Uint8Array | undefined;
    let lastRevision = -1;
    for (;;) {
      const line = reader.take() ?? (await reader.next());
      if (line === undefined) break;
      const revision = lineRevision(line);
      seen.repeats.push(line === last && revision === lastRevision && revision >= 0);
      last = line;
      lastRevision = revision;
      seen.lines.push(Buffer.from(line).toString('hex'));
    }
  }
  return seen;
}

t.test('PWG and Apple raster decode to the same pages and lines on the thread as here, at any chunk size', async (t) => {
  const pwg = encodePwgRaster([testPage('black_1', 1203, 700, 1), testPage('sgray_8', 333, 90, 2), testPage('srgb_8', 120, 1400, 3)]);
  const urf = encodeUrf([testPage('srgb_8', 200, 300, 4), testPage('sgray_8', 64, 64, 5)]);
  for (const [format, data] of [
    ['image/pwg-raster', pwg],
    ['image/urf', urf],
    ['application/octet-stream', pwg],
  ] as const) {
    const here = await collect(readDocument(format, chunked(data, 65536)));
    for (const size of [7, 4096, 1 << 20]) {
      const there = await collect(readDocumentOffThread(format, chunked(data, size)));
      t.same(there.headers, here.headers, `${format}, ${size}-byte chunks: headers`);
      t.equal(there.lines.length, here.lines.length, `${format}, ${size}-byte chunks: line count`);
      t.ok(
        there.lines.every((l, i) => l === here.lines[i]),
        `${format}, ${size}-byte chunks: every line`,
      );
      // A repeat is only ever reported for a line equal to the one before.
      t.ok(
        there.repeats.every((r, i) => !r || there.lines[i] === there.lines[i - 1]),
        'a line reported as repeated is unchanged',
      );
    }
    t.ok(
      (await collect(readDocumentOffThread(format, chunked(data, 4096)))).repeats.some((r) => r),
      `${format}: repeated lines come as the same buffer`,
    );
  }
});

t.test('a broken document fails with the same RasterError after the same good lines', async (t) => {
  const good = encodePwgRaster([testPage('black_1', 800, 300, 6), testPage('black_1', 800, 300, 7)]);
  const cut = good.subarray(0, Math.floor(good.length * 0.8));
  const run = async (doc: RasterDocument): Promise<{ lines: number; err: unknown }> => {
    let lines = 0;
    try {
      for await (const page of doc) for await (const line of page.lines()) lines += line.length > 0 ? 1 : 0;
    } catch (err) {
      return { lines, err };
    }
    return { lines, err: undefined };
  };
  const here = await run(readDocument('image/pwg-raster', chunked(cut, 4096)));
  const there = await run(readDocumentOffThread('image/pwg-raster', chunked(cut, 4096)));
  t.type(there.err, RasterError);
  t.equal((there.err as RasterError).message, (here.err as RasterError).message);
  t.equal(there.lines, here.lines, 'every line before the break');
  const bad = await run(readDocumentOffThread('image/pwg-raster', chunked(Buffer.from('not raster at all'), 4)));
  t.type(bad.err, RasterError, 'a stream without the sync word');
});

t.test("the document's own stream failing reaches the consumer as that error", async (t) => {
  const data = encodePwgRaster([testPage('black_1', 800, 2000, 8)]);
  class Gone extends Error {}
  async function* failing(): AsyncGenerator<Uint8Array> {
    yield data.subarray(0, 20_000);
    throw new Gone('client went away');
  }
  const err = await (async () => {
    try {
      for await (const page of readDocumentOffThread('image/pwg-raster', failing())) for await (const line of page.lines()) void line;
    } catch (e) {
      return e;
    }
    return undefined;
  })();
  t.type(err, Gone);
});

t.test('a consumer that stops early closes the source, and the thread goes on decoding other documents', async (t) => {
  const data = encodePwgRaster([testPage('black_1', 800, 3000, 9), testPage('black_1', 800, 3000, 10)]);
  let closed = false;
  async function* source(): AsyncGenerator<Uint8Array> {
    try {
      yield* chunked(data, 1024);
    } finally {
      closed = true;
    }
  }
  for await (const page of readDocumentOffThread('image/pwg-raster', source())) {
    let n = 0;
    for await (const line of page.lines()) if (++n > 10 && line.length > 0) break;
    break;
  }
  for (let i = 0; i < 100 && !closed; i++) await new Promise((r) => setTimeout(r, 10));
  t.ok(closed, 'the source was closed');
  const again = await collect(readDocumentOffThread('image/pwg-raster', chunked(data, 65536)));
  t.equal(again.lines.length, 6000, 'the next document decodes in full');
});

t.test('lines a consumer skips are skipped: the next page still starts at its first line', async (t) => {
  const pages = [testPage('black_1', 640, 1500, 11), testPage('black_1', 640, 1500, 12)];
  const data = encodePwgRaster(pages);
  const firstLines: string[] = [];
  for await (const page of readDocumentOffThread('image/pwg-raster', chunked(data, 4096))) {
    for await (const line of page.lines()) {
      firstLines.push(Buffer.from(line).toString('hex'));
      break;
    }
  }
  const bpl = bytesPerLine('black_1', 640);
  t.same(
    firstLines,
    pages.map((p) => Buffer.from(p.pixels.subarray(0, bpl)).toString('hex')),
  );
});

t.test('a decoder thread that dies fails the document being decoded, and the next document gets a new thread', async (t) => {
  const data = encodePwgRaster([testPage('black_1', 800, 3000, 13), testPage('black_1', 800, 3000, 14)]);
  const first = decoderThread();
  let lines = 0;
  const err = await (async () => {
    try {
      for await (const page of readDocumentOffThread('image/pwg-raster', chunked(data, 4096))) {
        for await (const line of page.lines()) {
          if (++lines === 100) await first.terminate();
          void line;
        }
      }
    } catch (e) {
      return e;
    }
    return undefined;
  })();
  t.type(err, Error);
  t.match((err as Error).message, /decoder thread stopped/);
  t.ok(lines < 6000, 'the document did not complete');
  t.not(decoderThread(), first, 'a new thread');
  const again = await collect(readDocumentOffThread('image/pwg-raster', chunked(data, 65536)));
  t.equal(again.lines.length, 6000, 'the next document decodes in full');
});
