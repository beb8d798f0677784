// Conformance: CUPS ipptool ipp-1.1.test (Debian copy) against the built server, with a PWG raster and a JPEG.
// SPDX-License-Identifier: Apache-2.0
import { join } from 'node:path';
import t from 'tap';
import { IPPTOOL_SUITES, checkSuiteAgainstServer } from '../support/ipptool.js';

t.test('ipp-1.1.test passes with PWG raster and JPEG documents', async (t) => {
  await checkSuiteAgainstServer(t, {
    minPassed: 30,
    testFile: join(IPPTOOL_SUITES, 'ipp-1.1.test'),
    files: ['pwg-raster-samples-300dpi/sgray-8/onepage-letter-sgray-8-300dpi.pwg', 'color.jpg'],
  });
});
