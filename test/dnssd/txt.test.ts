// Tests for the DNS-SD TXT builder and service list (ipp-everywhere.md §11).
// SPDX-License-Identifier: Apache-2.0

import t from 'tap';
import { buildIppTxt, buildServices, paperMaxOf, pwgMediaSizeMm } from '../../src/dnssd/txt.js';
import { truncateUtf8 } from '../../src/ipp/utf8.js';
import type { DnssdPrinterInfo } from '../../src/dnssd/txt.js';

const info: DnssdPrinterInfo = {
  makeAndModel: 'Acme LabelJet 400',
  location: 'Print room',
  uuid: 'urn:uuid:0b6c4a8e-1d2f-4c3b-9a7e-5f6d7e8f9a0b',
  adminUrl: 'http://printer.local:8631/',
  documentFormats: ['application/octet-stream', 'image/pwg-raster', 'image/urf', 'image/jpeg'],
  color: true,
  duplex: false,
  urfSupported: ['V1.4', 'W8', 'SRGB24', 'RS300'],
  kind: ['document', 'photo'],
  mediaSupported: ['na_letter_8.5x11in', 'iso_a4_210x297mm', 'na_index-4x6_4x6in'],
};

function txtStringBytes(txt: Record<string, string>): number[] {
  return Object.entries(txt).map(([key, value]) => Buffer.byteLength(`${key}=${value}`));
}

t.test('the IPP TXT record carries every key in the Bonjour order with the printer values', async (t) => {
  t.same(Object.entries(buildIppTxt(info)), [
    ['txtvers', '1'],
    ['qtotal', '1'],
    ['rp', 'ipp/print'],
    ['ty', 'Acme LabelJet 400'],
    ['adminurl', 'http://printer.local:8631/'],
    ['note', 'Print room'],
    ['priority', '0'],
    ['product', '(Acme LabelJet 400)'],
    ['pdl', 'application/octet-stream,image/pwg-raster,image/urf,image/jpeg'],
    ['UUID', '0b6c4a8e-1d2f-4c3b-9a7e-5f6d7e8f9a0b'],
    ['Color', 'T'],
    ['Duplex', 'F'],
    ['URF', 'V1.4,W8,SRGB24,RS300'],
    ['kind', 'document,photo'],
    ['PaperMax', 'legal-A4'],
    ['mopria-certified', '1.3'],
    ['Fax', 'F'],
    ['Scan', 'F'],
  ]);
});

t.test('optional keys appear only when given: TLS, air, product and rp overrides', async (t) => {
  const txt = buildIppTxt({ ...info, tls: '1.3', air: 'none', product: 'LabelJet 400', rp: '/ipp/print/label' });
  t.equal(txt['TLS'], '1.3');
  t.equal(txt['air'], 'none');
  t.equal(txt['product'], '(LabelJet 400)');
  t.equal(txt['rp'], 'ipp/print/label', 'the leading slash is removed');
  t.equal(buildIppTxt({ ...info, product: '(Already wrapped)' })['product'], '(Already wrapped)');
  const plain = buildIppTxt(info);
  t.notOk('TLS' in plain);
  t.notOk('air' in plain);
});

t.test('booleans map to T and F and an empty urf-supported becomes none', async (t) => {
  const txt = buildIppTxt({ ...info, color: false, duplex: true, urfSupported: [], kind: [] });
  t.equal(txt['Color'], 'F');
  t.equal(txt['Duplex'], 'T');
  t.equal(txt['URF'], 'none');
  t.notOk('kind' in txt, 'an empty printer-kind is left out');
});

t.test('the UUID prefix is removed whatever its case', async (t) => {
  t.equal(buildIppTxt({ ...info, uuid: 'URN:UUID:ABC' })['UUID'], 'ABC');
  t.equal(buildIppTxt({ ...info, uuid: 'abc' })['UUID'], 'abc');
});

t.test('a long pdl drops the least important formats and keeps the given order', async (t) => {
  const filler = Array.from({ length: 20 }, (_, i) => `application/vnd.acme-format-number-${i}`);
  const formats = [...filler.slice(0, 10), 'image/jpeg', ...filler.slice(10), 'image/pwg-raster', 'image/urf'];
  const pdl = buildIppTxt({ ...info, documentFormats: formats })['pdl'] ?? '';
  t.ok(Buffer.byteLength(`pdl=${pdl}`) <= 255);
  const kept = pdl.split(',');
  t.ok(kept.includes('image/pwg-raster') && kept.includes('image/urf') && kept.includes('image/jpeg'));
  t.ok(kept.length < formats.length, 'some formats were dropped');
  t.same(kept, formats.filter((f) => kept.includes(f)), 'kept formats stay in document-format-supported order');
  t.equal(kept[0], 'application/vnd.acme-format-number-0', 'the first vendor formats are kept before later ones');
});

t.test('every TXT string stays within 255 bytes without splitting a character', async (t) => {
  const location = 'Büro 3. Stock, Raum 12 – '.repeat(20);
  const urf = Array.from({ length: 80 }, (_, i) => `X${i}`);
  const kind = Array<string>(90).fill('document');
  const txt = buildIppTxt({ ...info, location, makeAndModel: 'Ä'.repeat(300), urfSupported: urf, kind });
  for (const bytes of txtStringBytes(txt)) t.ok(bytes <= 255, `${bytes} bytes`);
  t.ok(location.startsWith(txt['note'] ?? 'x'), 'note is a prefix of the location');
  t.notMatch(txt['ty'] ?? '', /\uFFFD/);
  t.ok((txt['URF'] ?? '').split(',').every((item) => urf.includes(item)), 'URF drops whole items');
});

t.test('truncateUtf8 cuts at a character boundary', async (t) => {
  t.equal(truncateUtf8('aé', 2), 'a');
  t.equal(truncateUtf8('aé', 3), 'aé');
  t.equal(truncateUtf8('😀x', 3), '');
});

t.test('PWG self-describing media names give their size in millimetres', async (t) => {
  t.same(pwgMediaSizeMm('iso_a4_210x297mm'), { width: 210, length: 297 });
  t.same(pwgMediaSizeMm('na_letter_8.5x11in'), { width: 215.9, length: 279.4 });
  t.same(pwgMediaSizeMm('roll_max_36x66.5in'), { width: 914.4, length: 1689.1 });
  t.equal(pwgMediaSizeMm('iso_a4'), undefined);
  t.equal(pwgMediaSizeMm('custom_0x0mm'), undefined);
  t.equal(pwgMediaSizeMm('iso_a4_210x297cm'), undefined);
});

t.test('PaperMax classifies the largest media in the Bonjour Printing classes', async (t) => {
  const cases: [string[], string | undefined][] = [
    [['na_index-4x6_4x6in', 'iso_a5_148x210mm'], '<legal-A4'],
    [['oe_4x100-label_4x100in'], '<legal-A4'],
    [['na_letter_8.5x11in'], 'legal-A4'],
    [['iso_a4_210x297mm'], 'legal-A4'],
    [['na_legal_8.5x14in', 'iso_a5_148x210mm'], 'legal-A4'],
    [['om_a4-landscape_297x210mm'], 'legal-A4'],
    [['na_ledger_11x17in'], 'tabloid-A3'],
    [['iso_a3_297x420mm', 'iso_a4_210x297mm'], 'tabloid-A3'],
    [['na_super-b_13x19in'], 'tabloid-A3'],
    [['na_c_17x22in'], 'isoC-A2'],
    [['iso_a2_420x594mm'], 'isoC-A2'],
    [['iso_a1_594x841mm'], '>isoC-A2'],
    [['na_d_22x34in', 'na_letter_8.5x11in'], '>isoC-A2'],
    [['roll_max_36x1968.5in', 'roll_min_8x5in'], '>isoC-A2'],
    [['not-a-size', 'iso_a4'], undefined],
    [[], undefined],
  ];
  for (const [media, expected] of cases) t.equal(paperMaxOf(media), expected, media.join(' '));
  t.notOk('PaperMax' in buildIppTxt({ ...info, mediaSupported: ['unknown'] }), 'no size, no PaperMax key');
});

t.test('buildServices lists ipp with print and universal subtypes, the LPD reservation and the web UI', async (t) => {
  const services = buildServices(info, 8631);
  const txt = buildIppTxt(info);
  t.same(services, [
    { type: '_ipp._tcp', subtypes: ['_print', '_universal'], port: 8631, txt },
    { type: '_printer._tcp', subtypes: [], port: 0, txt: {} },
    { type: '_http._tcp', subtypes: ['_printer'], port: 8631, txt: { path: '/' } },
  ]);
});

t.test('buildServices adds ipps with the TLS key only when TLS is offered', async (t) => {
  const services = buildServices({ ...info, tls: '1.3' }, 631);
  t.same(services.map((s) => s.type), ['_ipp._tcp', '_ipps._tcp', '_printer._tcp', '_http._tcp']);
  const ipps = services.find((s) => s.type === '_ipps._tcp');
  t.equal(ipps?.txt['TLS'], '1.3');
  t.same(ipps?.subtypes, ['_print', '_universal']);
  t.equal(ipps?.port, 631);
  t.same(ipps?.txt, services[0]?.txt, 'ipp and ipps carry the same TXT');
});
