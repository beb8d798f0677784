// Tests for the Printer Description/Status builder: the PWG 5100.14 required set, conditional attributes,
// parallel arrays, state/time values and the extra expectations of CUPS' ipp-*.test files.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import type { DriverCapabilities } from '../../drivers/driver.js';
import type { IppAttribute, IppValue } from '../../src/ipp/types.js';
import {
  buildDynamicPrinterAttributes,
  buildPrinterAttributes,
  buildStaticPrinterAttributes,
  type PrinterConfig,
  type PrinterStatusView,
  type UriContext,
} from '../../src/printer/description.js';

const colorCaps: DriverCapabilities = {
  makeAndModel: 'ippbridge Virtual Colour',
  deviceId: 'MFG:ippbridge;MDL:Virtual;CMD:PWGRaster;',
  kind: ['document', 'photo'],
  resolutions: [{ x: 300, y: 300 }, { x: 600, y: 600 }],
  rasterTypes: ['black_1', 'sgray_8', 'srgb_8'],
  colorModes: ['auto', 'color', 'monochrome'],
  sides: ['one-sided', 'two-sided-long-edge', 'two-sided-short-edge'],
  sheetBack: 'flipped',
  media: {
    supported: ['iso_a4_210x297mm', 'na_letter_8.5x11in', 'na_index-4x6_4x6in'],
    default: 'iso_a4_210x297mm',
    sources: ['main', 'manual'],
    types: ['stationery', 'photographic-glossy'],
    ready: ['iso_a4_210x297mm', 'na_index-4x6_4x6in'],
  },
  margins: { top: 423, bottom: 423, left: 318, right: 318 },
  outputBins: ['face-down'],
  passthroughFormats: [],
  ppm: 20,
  ppmColor: 12,
  identifyActions: ['display', 'sound'],
};

const monoCaps: DriverCapabilities = {
  makeAndModel: 'Label Engine',
  deviceId: 'MFG:Acme;MDL:Label;CMD:ZPL;',
  kind: ['label', 'roll'],
  resolutions: [{ x: 203, y: 203 }],
  rasterTypes: ['black_1', 'sgray_8', 'srgb_8', 'cmyk_8'],
  colorModes: ['bi-level', 'monochrome'],
  sides: [],
  media: {
    supported: ['oe_4x6-label_4x6in', 'roll_min_1x0.25in', 'roll_max_4.25x22in'],
    default: 'oe_4x6-label_4x6in',
    sources: [],
    types: [],
    ready: ['oe_4x6-label_4x6in'],
  },
  margins: { top: 0, bottom: 0, left: 0, right: 0 },
  outputBins: [],
  passthroughFormats: ['application/vnd.zebra-zpl'],
  ppm: 6,
  identifyActions: [],
};

const cfg: PrinterConfig = {
  name: 'ippbridge Virtual Printer',
  info: 'Virtual',
  location: 'Lab',
  geoLocation: 'geo:48.1,11.5',
  organization: '',
  organizationalUnit: '',
  uuid: 'urn:uuid:0b6e3c2e-8d3f-4a6b-9f37-2f6a1d2c3b4a',
  dnsSdName: 'ippbridge Virtual Printer',
  multipleOperationTimeOut: 60,
  documentFormats: ['application/octet-stream', 'image/jpeg', 'image/pwg-raster', 'image/urf'],
  documentFormatDefault: 'application/octet-stream',
  compression: ['none', 'deflate', 'gzip'],
  operationsSupported: [0x02, 0x04, 0x05, 0x06, 0x08, 0x09, 0x0a, 0x0b, 0x39, 0x3b, 0x3c],
  jobCreationAttributes: ['copies', 'media', 'media-col', 'print-color-mode', 'sides'],
  printerDeviceId: 'MFG:ippbridge;MDL:Virtual;CMD:PWGRaster,URF,JPEG;',
  firmwareVersion: '0.1.0',
};

const status: PrinterStatusView = {
  state: 'processing',
  reasons: ['media-low-warning', 'toner-low-report'],
  message: 'Printing.',
  stateChangeTime: 42,
  stateChangeDate: new Date('2024-05-01T10:00:42Z'),
  configChangeTime: 3,
  configChangeDate: new Date('2024-05-01T10:00:03Z'),
  upTime: 100,
  currentTime: new Date('2024-05-01T10:01:40Z'),
  isAcceptingJobs: true,
  queuedJobCount: 2,
  supplies: [{ type: 'toner', description: 'Black Toner', color: '#000000', level: 60, lowLevel: 10 }],
  mediaReady: ['iso_a4_210x297mm', 'na_index-4x6_4x6in'],
  impressionsCompleted: 17,
};

const uris: UriContext = { host: 'printer.local:8631', secure: false, port: 8631, tlsAvailable: false };

const all = buildPrinterAttributes(colorCaps, cfg, status, uris);
const mono = buildPrinterAttributes(monoCaps, cfg, { ...status, reasons: [], supplies: [] }, uris);

function get(attrs: readonly IppAttribute[], name: string): IppAttribute | undefined {
  return attrs.find((a) => a.name === name);
}

function strs(attrs: readonly IppAttribute[], name: string): string[] {
  return (get(attrs, name)?.values ?? []).map((v) => ('value' in v && typeof v.value === 'string' ? v.value : `<${v.syntax}>`));
}

const syntaxOf = (v: IppValue): string => (v.syntax === 'out-of-band' ? v.value : v.syntax);

/** PWG 5100.14 Table 6 as listed in ipp-everywhere.md §3: name, allowed syntaxes, exactly one value? */
const REQUIRED: readonly (readonly [string, readonly string[], boolean])[] = [
  ['charset-configured', ['charset'], true],
  ['charset-supported', ['charset'], false],
  ['natural-language-configured', ['naturalLanguage'], true],
  ['generated-natural-language-supported', ['naturalLanguage'], false],
  ['ipp-versions-supported', ['keyword'], false],
  ['ipp-features-supported', ['keyword'], false],
  ['operations-supported', ['enum'], false],
  ['pdl-override-supported', ['keyword'], true],
  ['preferred-attributes-supported', ['boolean'], true],
  ['printer-get-attributes-supported', ['keyword'], false],
  ['job-ids-supported', ['boolean'], true],
  ['job-creation-attributes-supported', ['keyword'], false],
  ['which-jobs-supported', ['keyword'], false],
  ['multiple-document-jobs-supported', ['boolean'], true],
  ['multiple-operation-time-out', ['integer'], true],
  ['multiple-operation-time-out-action', ['keyword'], true],
  ['compression-supported', ['keyword'], false],
  ['queued-job-count', ['integer'], true],
  ['document-format-default', ['mimeMediaType'], true],
  ['document-format-supported', ['mimeMediaType'], false],
  ['pwg-raster-document-resolution-supported', ['resolution'], false],
  ['pwg-raster-document-type-supported', ['keyword'], false],
  ['printer-name', ['name'], true],
  ['printer-info', ['text'], true],
  ['printer-location', ['text'], true],
  ['printer-make-and-model', ['text'], true],
  ['printer-more-info', ['uri'], true],
  ['printer-icons', ['uri'], false],
  ['printer-geo-location', ['uri', 'unknown'], true],
  ['printer-organization', ['text'], false],
  ['printer-organizational-unit', ['text'], false],
  ['printer-uuid', ['uri'], true],
  ['printer-uri-supported', ['uri'], false],
  ['uri-security-supported', ['keyword'], false],
  ['uri-authentication-supported', ['keyword'], false],
  ['color-supported', ['boolean'], true],
  ['pages-per-minute', ['integer'], true],
  ['printer-state', ['enum'], true],
  ['printer-state-reasons', ['keyword'], false],
  ['printer-state-message', ['text'], true],
  ['printer-state-change-time', ['integer'], true],
  ['printer-state-change-date-time', ['dateTime', 'unknown', 'no-value'], true],
  ['printer-is-accepting-jobs', ['boolean'], true],
  ['printer-up-time', ['integer'], true],
  ['printer-current-time', ['dateTime', 'unknown', 'no-value'], true],
  ['printer-config-change-time', ['integer'], true],
  ['printer-config-change-date-time', ['dateTime', 'unknown', 'no-value'], true],
  ['copies-default', ['integer'], true],
  ['copies-supported', ['rangeOfInteger'], true],
  ['media-default', ['keyword', 'name', 'no-value'], true],
  ['media-supported', ['keyword', 'name'], false],
  ['media-ready', ['keyword', 'name', 'no-value'], false],
  ['media-col-default', ['collection'], true],
  ['media-col-ready', ['collection', 'no-value'], false],
  ['media-col-supported', ['keyword'], false],
  ['media-size-supported', ['collection'], false],
  ['media-top-margin-supported', ['integer'], false],
  ['media-bottom-margin-supported', ['integer'], false],
  ['media-left-margin-supported', ['integer'], false],
  ['media-right-margin-supported', ['integer'], false],
  ['orientation-requested-default', ['enum', 'no-value'], true],
  ['orientation-requested-supported', ['enum'], false],
  ['output-bin-default', ['keyword', 'name'], true],
  ['output-bin-supported', ['keyword', 'name'], false],
  ['print-color-mode-default', ['keyword'], true],
  ['print-color-mode-supported', ['keyword'], false],
  ['print-quality-default', ['enum'], true],
  ['print-quality-supported', ['enum'], false],
  ['printer-resolution-default', ['resolution'], true],
  ['printer-resolution-supported', ['resolution'], false],
  ['sides-default', ['keyword'], true],
  ['sides-supported', ['keyword'], false],
];

t.test('the required table has the 72 attributes of PWG 5100.14 Table 6', async (t) => {
  t.equal(new Set(REQUIRED.map(([n]) => n)).size, 72);
});

t.test('every unconditionally required attribute is present with the right syntax and count', async (t) => {
  for (const attrs of [all, mono]) {
    for (const [name, syntaxes, single] of REQUIRED) {
      const a = get(attrs, name);
      if (!a) {
        t.fail(`${name} missing`);
        continue;
      }
      t.ok(a.values.length > 0, `${name} has values`);
      if (single) t.equal(a.values.length, 1, `${name} has one value`);
      for (const v of a.values) t.ok(syntaxes.includes(syntaxOf(v)), `${name} syntax ${syntaxOf(v)}`);
    }
  }
});

t.test('no attribute name appears twice', async (t) => {
  for (const attrs of [all, mono]) {
    const names = attrs.map((a) => a.name);
    t.same(
      names.filter((n, i) => names.indexOf(n) !== i),
      [],
    );
  }
});

t.test('the static part plus the dynamic part is the whole set', async (t) => {
  const parts = [...buildStaticPrinterAttributes(colorCaps, cfg, uris), ...buildDynamicPrinterAttributes(colorCaps, status)];
  t.same(parts, all);
});

t.test('protocol values are what IPP Everywhere requires', async (t) => {
  t.same(strs(all, 'ipp-versions-supported'), ['1.1', '2.0']);
  t.same(strs(all, 'ipp-features-supported'), ['ipp-everywhere']);
  t.same(strs(all, 'charset-configured'), ['utf-8']);
  t.ok(strs(all, 'charset-supported').includes('utf-8'));
  t.ok(strs(all, 'printer-get-attributes-supported').includes('document-format'));
  t.same(strs(all, 'which-jobs-supported'), ['completed', 'not-completed']);
  t.same(strs(all, 'multiple-operation-time-out-action'), ['abort-job']);
  t.same(get(all, 'multiple-operation-time-out')?.values, [{ syntax: 'integer', value: 60 }]);
  t.same(get(all, 'job-ids-supported')?.values, [{ syntax: 'boolean', value: true }]);
  t.same(strs(all, 'compression-supported'), ['none', 'deflate', 'gzip']);
  t.same(
    get(all, 'operations-supported')?.values.map((v) => (v.syntax === 'enum' ? v.value : -1)),
    cfg.operationsSupported,
  );
});

t.test('printer-uri-supported, uri-security-supported and uri-authentication-supported are parallel', async (t) => {
  t.same(strs(all, 'printer-uri-supported'), ['ipp://printer.local:8631/ipp/print']);
  t.same(strs(all, 'uri-security-supported'), ['none']);
  t.same(strs(all, 'uri-authentication-supported'), ['none']);
  const tls = buildStaticPrinterAttributes(colorCaps, cfg, { ...uris, tlsAvailable: true, authentication: 'requesting-user-name' });
  t.same(strs(tls, 'printer-uri-supported'), ['ipps://printer.local:8631/ipp/print', 'ipp://printer.local:8631/ipp/print']);
  t.same(strs(tls, 'uri-security-supported'), ['tls', 'none']);
  t.same(strs(tls, 'uri-authentication-supported'), ['requesting-user-name', 'requesting-user-name']);
});

t.test('URIs use the client host, adding the port only when the host has none', async (t) => {
  const bare = buildStaticPrinterAttributes(colorCaps, cfg, { host: 'printer.local', secure: true, port: 631, tlsAvailable: true });
  t.same(strs(bare, 'printer-more-info'), ['https://printer.local:631/']);
  t.same(strs(bare, 'printer-supply-info-uri'), ['https://printer.local:631/supplies']);
  t.same(strs(bare, 'printer-icons'), [
    'https://printer.local:631/icons/printer-48.png',
    'https://printer.local:631/icons/printer-128.png',
    'https://printer.local:631/icons/printer-512.png',
  ]);
  const v6 = buildStaticPrinterAttributes(colorCaps, cfg, { host: '[::1]:8631', secure: false, port: 8631, tlsAvailable: false });
  t.same(strs(v6, 'printer-uri-supported'), ['ipp://[::1]:8631/ipp/print']);
  t.same(strs(all, 'printer-more-info'), ['http://printer.local:8631/']);
});

t.test('a colour printer reports pages-per-minute-color, sRGB types and the duplex sheet back', async (t) => {
  t.same(get(all, 'color-supported')?.values, [{ syntax: 'boolean', value: true }]);
  t.same(get(all, 'pages-per-minute-color')?.values, [{ syntax: 'integer', value: 12 }]);
  t.ok(strs(all, 'pwg-raster-document-type-supported').includes('srgb_8'));
  t.same(strs(all, 'pwg-raster-document-sheet-back'), ['flipped']);
  t.ok(strs(all, 'urf-supported').includes('SRGB24'));
});

t.test('a monochrome printer reports no pages-per-minute-color and no colour raster types', async (t) => {
  t.same(get(mono, 'color-supported')?.values, [{ syntax: 'boolean', value: false }]);
  t.equal(get(mono, 'pages-per-minute-color'), undefined);
  t.same(strs(mono, 'pwg-raster-document-type-supported'), ['black_1', 'sgray_8']);
  t.notOk(strs(mono, 'urf-supported').includes('SRGB24'));
  t.same(strs(mono, 'pwg-raster-document-sheet-back'), ['normal']);
  t.same(strs(mono, 'sides-supported'), ['one-sided']);
});

t.test('printer-input-tray matches media-source-supported and printer-output-tray matches output-bin-supported', async (t) => {
  for (const attrs of [all, mono]) {
    t.equal(get(attrs, 'printer-input-tray')?.values.length, get(attrs, 'media-source-supported')?.values.length);
    t.equal(get(attrs, 'printer-output-tray')?.values.length, get(attrs, 'output-bin-supported')?.values.length);
  }
  t.same(strs(mono, 'media-source-supported'), ['auto']);
  t.same(strs(mono, 'media-type-supported'), ['labels']);
  t.same(strs(mono, 'output-bin-supported'), ['face-down']);
});

t.test('supply attributes keep printer-supply and printer-supply-description the same length', async (t) => {
  t.equal(get(all, 'printer-supply')?.values.length, 1);
  t.equal(get(all, 'printer-supply-description')?.values.length, 1);
  t.equal(get(mono, 'printer-supply'), undefined);
  t.same(strs(all, 'printer-supply-info-uri'), ['http://printer.local:8631/supplies']);
});

t.test('state and time attributes reflect the status view', async (t) => {
  t.same(get(all, 'printer-state')?.values, [{ syntax: 'enum', value: 4 }]);
  t.same(strs(all, 'printer-state-reasons'), ['media-low-warning', 'toner-low-report']);
  t.same(strs(all, 'printer-state-message'), ['Printing.']);
  t.same(get(all, 'printer-state-change-time')?.values, [{ syntax: 'integer', value: 42 }]);
  t.same(get(all, 'printer-state-change-date-time')?.values, [
    { syntax: 'dateTime', value: status.stateChangeDate, utcOffsetMinutes: 0 },
  ]);
  t.same(get(all, 'printer-config-change-time')?.values, [{ syntax: 'integer', value: 3 }]);
  t.same(get(all, 'printer-up-time')?.values, [{ syntax: 'integer', value: 100 }]);
  t.same(get(all, 'printer-current-time')?.values, [{ syntax: 'dateTime', value: status.currentTime, utcOffsetMinutes: 0 }]);
  t.same(get(all, 'queued-job-count')?.values, [{ syntax: 'integer', value: 2 }]);
  t.same(get(all, 'printer-is-accepting-jobs')?.values, [{ syntax: 'boolean', value: true }]);
  t.same(get(all, 'printer-impressions-completed')?.values, [{ syntax: 'integer', value: 17 }]);
});

t.test('no reasons means printer-state-reasons none and no printer-alert', async (t) => {
  const idle = buildDynamicPrinterAttributes(colorCaps, { ...status, state: 'idle', reasons: [''] });
  t.same(strs(idle, 'printer-state-reasons'), ['none']);
  t.same(get(idle, 'printer-state')?.values, [{ syntax: 'enum', value: 3 }]);
  t.equal(get(idle, 'printer-alert'), undefined);
});

t.test('warning and error reasons produce printer-alert with a same-count description', async (t) => {
  t.equal(get(all, 'printer-alert')?.values.length, 1);
  t.equal(get(all, 'printer-alert-description')?.values.length, 1);
});

t.test('printer-up-time is at least 1 even right after start', async (t) => {
  const early = buildDynamicPrinterAttributes(colorCaps, { ...status, upTime: 0 });
  t.same(get(early, 'printer-up-time')?.values, [{ syntax: 'integer', value: 1 }]);
});

t.test('ready media pairs each loaded size with its source', async (t) => {
  t.same(strs(all, 'media-ready'), ['iso_a4_210x297mm', 'na_index-4x6_4x6in']);
  const ready = get(all, 'media-col-ready')?.values ?? [];
  t.equal(ready.length, 2);
  const sources = ready.map((v) =>
    v.syntax === 'collection' ? strs(v.members, 'media-source')[0] : undefined,
  );
  t.same(sources, ['main', 'manual']);
});

t.test('nothing loaded gives no-value media-ready and media-col-ready', async (t) => {
  const empty = buildDynamicPrinterAttributes(colorCaps, { ...status, mediaReady: [] });
  t.same(get(empty, 'media-ready')?.values, [{ syntax: 'out-of-band', value: 'no-value' }]);
  t.same(get(empty, 'media-col-ready')?.values, [{ syntax: 'out-of-band', value: 'no-value' }]);
});

t.test('media-col-default carries source and type, and media-col-supported names them', async (t) => {
  const def = get(all, 'media-col-default')?.values[0];
  t.equal(def?.syntax, 'collection');
  if (def?.syntax === 'collection') {
    t.same(strs(def.members, 'media-source'), ['main']);
    t.same(strs(def.members, 'media-type'), ['stationery']);
    t.same(strs(def.members, 'media-size-name'), ['iso_a4_210x297mm']);
  }
  const members = strs(all, 'media-col-supported');
  for (const m of ['media-size', 'media-source', 'media-type']) t.ok(members.includes(m), m);
});

t.test('media-col-database has one entry per size and a range entry for roll media', async (t) => {
  t.equal(get(all, 'media-col-database')?.values.length, 3);
  const db = get(mono, 'media-col-database')?.values ?? [];
  t.equal(db.length, 2);
  const last = db[1];
  const size = last?.syntax === 'collection' ? get(last.members, 'media-size')?.values[0] : undefined;
  const x = size?.syntax === 'collection' ? get(size.members, 'x-dimension')?.values[0] : undefined;
  t.same(x, { syntax: 'rangeOfInteger', lower: 2540, upper: 10795 });
  t.equal(get(mono, 'media-size-supported')?.values.length, 2);
});

t.test('identify actions follow the capabilities and the status default', async (t) => {
  t.same(strs(all, 'identify-actions-supported'), ['display', 'sound']);
  t.same(strs(all, 'identify-actions-default'), ['display']);
  const chosen = buildDynamicPrinterAttributes(colorCaps, { ...status, identifyActionsDefault: ['sound', 'speak'] });
  t.same(strs(chosen, 'identify-actions-default'), ['sound']);
  t.equal(get(mono, 'identify-actions-supported'), undefined);
});

t.test('geo-location is unknown when not configured', async (t) => {
  const attrs = buildStaticPrinterAttributes(colorCaps, { ...cfg, geoLocation: undefined }, uris);
  t.same(get(attrs, 'printer-geo-location')?.values, [{ syntax: 'out-of-band', value: 'unknown' }]);
  t.same(strs(all, 'printer-geo-location'), ['geo:48.1,11.5']);
});

t.test('texts are cut to 127 UTF-8 bytes without splitting a character', async (t) => {
  const attrs = buildStaticPrinterAttributes(colorCaps, { ...cfg, info: 'é'.repeat(100) }, uris);
  const info = strs(attrs, 'printer-info')[0] ?? '';
  t.equal(info, 'é'.repeat(63));
  t.ok(Buffer.byteLength(info) <= 127);
});

t.test('JPEG limits are listed only when image/jpeg is supported', async (t) => {
  t.ok(get(all, 'jpeg-k-octets-supported'));
  t.ok(get(all, 'jpeg-x-dimension-supported'));
  t.ok(get(all, 'jpeg-y-dimension-supported'));
  const noJpeg = buildStaticPrinterAttributes(colorCaps, { ...cfg, documentFormats: ['image/pwg-raster'] }, uris);
  t.equal(get(noJpeg, 'jpeg-k-octets-supported'), undefined);
  t.equal(get(noJpeg, 'urf-supported'), undefined);
  t.same(strs(noJpeg, 'document-format-preferred'), ['image/pwg-raster']);
  t.same(get(noJpeg, 'page-ranges-supported')?.values, [{ syntax: 'boolean', value: false }]);
});

t.test('listing PDF adds page-ranges-supported true and document-password-supported', async (t) => {
  const pdf = buildStaticPrinterAttributes(colorCaps, { ...cfg, documentFormats: [...cfg.documentFormats, 'application/pdf'] }, uris);
  t.same(get(pdf, 'page-ranges-supported')?.values, [{ syntax: 'boolean', value: true }]);
  t.ok(get(pdf, 'document-password-supported'));
  t.same(strs(pdf, 'document-format-preferred'), ['application/pdf']);
});

t.test('the printer-attribute expectations of CUPS ipp-everywhere.test and ipp-2.0.test hold', async (t) => {
  const mediaRegex =
    /^(custom|na|asme|roc|oe|roll)_[a-z0-9][-a-z0-9]*_([1-9][0-9]*(\.[0-9]*[1-9])?|0\.[0-9]*[1-9])x([1-9][0-9]*(\.[0-9]*[1-9])?|0\.[0-9]*[1-9])in$|^(custom|iso|jis|jpn|prc|om|roll)_[a-z0-9][-a-z0-9]*_([1-9][0-9]*(\.[0-9]*[1-9])?|0\.[0-9]*[1-9])x([1-9][0-9]*(\.[0-9]*[1-9])?|0\.[0-9]*[1-9])mm$/;
  for (const attrs of [all, mono]) {
    t.ok(strs(attrs, 'overrides-supported').includes('document-numbers'));
    t.notOk(strs(attrs, 'overrides-supported').includes('document-number'), 'PWG 5100.6 spelling only');
    t.ok(strs(attrs, 'overrides-supported').includes('pages'));
    t.same(strs(attrs, 'print-content-optimize-default'), ['auto']);
    t.same(strs(attrs, 'print-rendering-intent-default'), ['auto']);
    t.same(get(attrs, 'finishings-supported')?.values, [{ syntax: 'enum', value: 3 }]);
    t.same(get(attrs, 'finishings-default')?.values, [{ syntax: 'enum', value: 3 }]);
    t.match(strs(attrs, 'printer-device-id')[0], /^([-A-Za-z ]+:[^;]*;)+$/);
    t.match(strs(attrs, 'printer-uuid')[0], /^urn:uuid:[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}/);
    for (const m of [...strs(attrs, 'media-supported'), ...strs(attrs, 'media-default'), ...strs(attrs, 'media-ready')]) {
      t.match(m, mediaRegex, `media name ${m}`);
    }
    const orient = get(attrs, 'orientation-requested-default')?.values[0];
    t.ok(orient?.syntax === 'enum' && orient.value >= 3 && orient.value <= 6);
    t.ok(get(attrs, 'job-hold-until-default'));
    t.ok(strs(attrs, 'job-hold-until-supported').includes('no-hold'));
    t.same(strs(attrs, 'mopria-certified'), ['1.3']);
  }
  t.ok(strs(all, 'printer-kind').includes('document'));
});
