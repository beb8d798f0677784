// Conformance: CUPS ipptool ipp-2.0.test (Debian copy; it includes ipp-1.1.test) against the built server.
// SPDX-License-Identifier: Apache-2.0
import { join } from 'node:path';
import t from 'tap';
import { IPPTOOL_SUITES, checkSuiteAgainstServer } from '../support/ipptool.js';

t.test('ipp-2.0.test passes as an IPP/2.0 client', async (t) => {
  await checkSuiteAgainstServer(t, {
    minPassed: 30,
    testFile: join(IPPTOOL_SUITES, 'ipp-2.0.test'),
    files: ['pwg-raster-samples-150dpi/srgb-8/onepage-a4-srgb-8-150dpi.pwg'],
    version: '2.0',
  });
});
