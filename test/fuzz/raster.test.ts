// Short seeded fuzz run of the document readers (issue 8): small real PWG/URF/JPEG files from the test writers,
// mutated and read page by page in random chunk sizes; only RasterError may escape. `npm run soak` runs it longer.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { readDocument } from '../../src/raster/document.js';
import { chunked } from '../support/raster-writer.js';
import { formatCrash, formatReport, runFuzz } from './engine.js';
import { rasterSeeds } from './seeds.js';
import { rasterTarget } from './targets/raster.js';

t.test('the seed documents read without error as sniffed application/octet-stream', async (t) => {
  const seeds = rasterSeeds();
  t.ok(seeds.length >= 10, `${seeds.length} seeds`);
  let pages = 0;
  for (const seed of seeds) {
    for await (const page of readDocument('application/octet-stream', chunked(seed, 1000))) {
      for await (const line of page.lines()) t.equal(line.length, page.header.bytesPerLine);
      pages++;
    }
  }
  t.ok(pages >= seeds.length, `${pages} pages read`);
});

t.test('1000 mutated PWG, URF and JPEG documents only ever raise RasterError', async (t) => {
  const report = await runFuzz(rasterTarget, rasterSeeds(), { seed: 0xd0c5, iterations: 1_000 });
  t.comment(formatReport(report));
  t.same(report.crashes.map(formatCrash), [], 'no crashes');
  t.ok(report.accepted > 20 && report.rejected > 200, 'a mix of accepted and rejected inputs');
});

