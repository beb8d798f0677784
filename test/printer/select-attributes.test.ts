// Tests for requested-attributes filtering (RFC 8011 §4.2.5.1 groups, media-col-database only when named).
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import type { DriverCapabilities } from '../../drivers/driver.js';
import type { IppAttribute } from '../../src/ipp/types.js';
import { JOB_TEMPLATE_ATTRIBUTES, PRINTER_DESCRIPTION_ATTRIBUTES } from '../../src/printer/attribute-groups.js';
import { buildPrinterAttributes, type PrinterConfig, type PrinterStatusView } from '../../src/printer/description.js';
import { selectAttributes } from '../../src/printer/select-attributes.js';

const caps: DriverCapabilities = {
  makeAndModel: 'Test Printer',
  deviceId: 'MFG:Test;MDL:Printer;',
  kind: ['document'],
  resolutions: [{ x: 300, y: 300 }],
  rasterTypes: ['black_1', 'sgray_8', 'srgb_8'],
  colorModes: ['auto', 'color', 'monochrome'],
  sides: ['one-sided', 'two-sided-long-edge'],
  media: {
    supported: ['iso_a4_210x297mm', 'na_letter_8.5x11in'],
    default: 'iso_a4_210x297mm',
    sources: ['main'],
    types: ['stationery'],
    ready: ['iso_a4_210x297mm'],
  },
  margins: { top: 300, bottom: 300, left: 300, right: 300 },
  outputBins: ['face-up'],
  passthroughFormats: [],
  ppm: 10,
  identifyActions: ['flash'],
};

const cfg: PrinterConfig = {
  name: 'Test',
  info: '',
  location: '',
  geoLocation: undefined,
  organization: 'Org',
  organizationalUnit: 'Unit',
  uuid: 'urn:uuid:00000000-0000-4000-8000-000000000001',
  dnsSdName: 'Test',
  multipleOperationTimeOut: 30,
  documentFormats: ['application/pdf', 'image/jpeg', 'image/pwg-raster', 'image/urf'],
  documentFormatDefault: 'application/octet-stream',
  compression: ['none'],
  operationsSupported: [0x02, 0x0b, 0x3c],
  jobCreationAttributes: ['copies'],
  printerDeviceId: 'MFG:Test;MDL:Printer;',
  firmwareVersion: '1.2.3-beta',
};

const status: PrinterStatusView = {
  state: 'stopped',
  reasons: ['media-empty-error', 'media-needed'],
  message: 'Stopped.',
  stateChangeTime: 1,
  stateChangeDate: new Date(0),
  configChangeTime: 1,
  configChangeDate: new Date(0),
  upTime: 5,
  currentTime: new Date(5000),
  isAcceptingJobs: true,
  queuedJobCount: 0,
  supplies: [{ type: 'ink', description: 'Ink', color: '#000000', level: 3, lowLevel: 5 }],
  mediaReady: ['iso_a4_210x297mm'],
  impressionsCompleted: 0,
};

const all = buildPrinterAttributes(caps, cfg, status, { host: 'localhost:631', secure: false, port: 631, tlsAvailable: true });
const names = (attrs: readonly IppAttribute[]): string[] => attrs.map((a) => a.name);

t.test('every emitted attribute except media-col-database belongs to exactly one group', async (t) => {
  for (const n of names(all)) {
    if (n === 'media-col-database') continue;
    t.equal(Number(JOB_TEMPLATE_ATTRIBUTES.has(n)) + Number(PRINTER_DESCRIPTION_ATTRIBUTES.has(n)), 1, n);
  }
});

t.test('absent requested-attributes means everything but media-col-database', async (t) => {
  const got = names(selectAttributes(all, undefined));
  t.equal(got.length, all.length - 1);
  t.notOk(got.includes('media-col-database'));
  t.same(names(selectAttributes(all, [])), got);
});

t.test('all does not include media-col-database', async (t) => {
  const got = names(selectAttributes(all, ['all']));
  t.equal(got.length, all.length - 1);
  t.notOk(got.includes('media-col-database'));
});

t.test('media-col-database is returned when named, alone or with all', async (t) => {
  t.same(names(selectAttributes(all, ['media-col-database'])), ['media-col-database']);
  const both = names(selectAttributes(all, ['all', 'media-col-database']));
  t.equal(both.length, all.length);
  t.ok(both.includes('media-col-database'));
});

t.test('job-template selects only Job Template attributes', async (t) => {
  const got = names(selectAttributes(all, ['job-template']));
  t.ok(got.length > 20);
  for (const n of got) t.ok(JOB_TEMPLATE_ATTRIBUTES.has(n), n);
  t.ok(got.includes('media-col-ready'));
  t.notOk(got.includes('printer-name'));
  t.notOk(got.includes('media-col-database'));
});

t.test('printer-description selects the description and status attributes', async (t) => {
  const got = names(selectAttributes(all, ['printer-description']));
  for (const n of got) t.ok(PRINTER_DESCRIPTION_ATTRIBUTES.has(n), n);
  for (const n of ['printer-name', 'printer-state', 'printer-uri-supported', 'printer-supply', 'printer-alert']) {
    t.ok(got.includes(n), n);
  }
  t.notOk(got.includes('copies-default'));
});

t.test('both group names together give the same as all', async (t) => {
  t.same(names(selectAttributes(all, ['printer-description', 'job-template'])), names(selectAttributes(all, ['all'])));
});

t.test('explicit names select just those and unknown names are ignored', async (t) => {
  t.same(names(selectAttributes(all, ['printer-uri-supported'])), ['printer-uri-supported']);
  t.same(names(selectAttributes(all, ['no-such-attribute', 'printer-state', 'copies-default'])).sort(), [
    'copies-default',
    'printer-state',
  ]);
});

t.test('a group plus an explicit name from the other group returns both', async (t) => {
  const got = names(selectAttributes(all, ['job-template', 'printer-state']));
  t.ok(got.includes('printer-state'));
  t.ok(got.includes('copies-default'));
  t.notOk(got.includes('printer-name'));
});
