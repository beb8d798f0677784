// Conformance: CUPS ipptool ipp-everywhere.test (our copy with the overrides-supported spelling fix) against the
// built server; it includes ipp-2.0.test and ipp-1.1.test and prints every generated PWG raster sample it can.
// SPDX-License-Identifier: Apache-2.0
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { IPPTOOL_SUITES, checkSuiteAgainstServer } from '../support/ipptool.js';
import { samplesDir } from '../support/samples.js';

const SUITE = fileURLToPath(new URL('../fixtures/ipptool/ipp-everywhere.test', import.meta.url));

t.test('every document the suites name with FILE exists in the samples dir', async (t) => {
  const dir = samplesDir();
  const suites = [SUITE, join(IPPTOOL_SUITES, 'ipp-2.0.test'), join(IPPTOOL_SUITES, 'ipp-1.1.test')];
  const named = new Set<string>();
  for (const suite of suites) {
    if (!existsSync(suite)) continue;
    for (const m of readFileSync(suite, 'utf8').matchAll(/^\s*FILE\s+(\S+)/gm)) {
      if (m[1] !== undefined && !m[1].startsWith('$')) named.add(m[1]);
    }
  }
  t.ok(named.size >= 150 || !existsSync(join(IPPTOOL_SUITES, 'ipp-1.1.test')), `suites name ${named.size} documents`);
  const missing = [...named].filter((f) => !existsSync(join(dir, f)));
  t.same(missing, [], 'no named document is missing');
});

t.test('ipp-everywhere.test passes with a PWG raster and with a JPEG as -f document', async (t) => {
  await checkSuiteAgainstServer(t, {
    minPassed: 130,
    testFile: SUITE,
    files: ['pwg-raster-samples-300dpi/black-1/onepage-a4-black-1-300dpi.pwg', 'color.jpg'],
    version: '2.0',
    // Our copy INCLUDEs "ipp-2.0.test" (which INCLUDEs "ipp-1.1.test"): use the Debian copies.
    includes: [join(IPPTOOL_SUITES, 'ipp-2.0.test'), join(IPPTOOL_SUITES, 'ipp-1.1.test')],
  });
});
