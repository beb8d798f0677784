// A large PWG raster file for Print-Job throughput benchmarks (300 dpi Letter srgb_8, photo-like noise that PWG
// run-length coding cannot shrink), generated once by streaming to disk and cached in os.tmpdir().
// SPDX-License-Identifier: Apache-2.0
import { existsSync, renameSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesPerLine, seededRandom, type StreamPage } from '../support/raster-writer.js';
import { SAMPLE_MEDIA, writePwgFile } from '../support/samples.js';

/** The cached benchmark document. */
export interface BenchRaster {
  readonly path: string;
  readonly bytes: number;
  readonly pages: number;
  readonly description: string;
}

const VERSION = 'v1';

/** Pages of smooth colour with per-pixel noise: every row differs and almost no pixel repeats its neighbour. */
function noisyPages(pages: number, dpi: number): StreamPage[] {
  const media = SAMPLE_MEDIA.letter;
  const width = Math.round(media.widthIn * dpi);
  const height = Math.round(media.heightIn * dpi);
  const bpl = bytesPerLine('srgb_8', width);
  // A pool of distinct noisy rows, cycled with a stride so adjacent rows never match.
  const rand = seededRandom(42);
  const pool = Array.from({ length: 61 }, (_, k) => {
    const row = new Uint8Array(bpl);
    for (let x = 0; x < width; x++) {
      const base = Math.round((x * 200) / width) + k;
      row[x * 3] = (base + rand() * 40) & 255;
      row[x * 3 + 1] = (255 - base + rand() * 40) & 255;
      row[x * 3 + 2] = (128 + rand() * 60) & 255;
    }
    return row;
  });
  return Array.from({ length: pages }, (_, p) => ({
    page: { width, height, type: 'srgb_8' as const, xDpi: dpi, yDpi: dpi, pageSizeName: media.name },
    row: (y: number) => pool[(y * 7 + p) % pool.length]!,
  }));
}

/** The benchmark raster (about 25 MB per page); generated on first use. */
export function benchRaster(pages = 8): BenchRaster {
  const dpi = 300;
  const path = join(tmpdir(), `ippbridge-bench-${VERSION}-${pages}p.pwg`);
  const description = `${pages} pages, 300 dpi Letter srgb_8, noisy photo content`;
  if (!existsSync(path)) {
    const work = `${path}.tmp-${process.pid}`;
    writePwgFile(work, noisyPages(pages, dpi));
    renameSync(work, path);
  }
  return { path, bytes: statSync(path).size, pages, description };
}
