// parseJobTemplate / defaultOptions: every job template attribute with a supported and an unsupported value,
// media-col by size and by name, unknown attributes reported as out-of-band unsupported.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import {
  attr,
  collection,
  enumValue,
  integer,
  keyword,
  name,
  resolution,
  text,
} from '../../src/ipp/build.js';
import type { IppAttribute } from '../../src/ipp/types.js';
import { defaultOptions, parseJobTemplate, JOB_CREATION_ATTRIBUTES } from '../../src/job/options.js';
import { FAKE_CAPABILITIES } from '../support/fake-engine.js';

const caps = FAKE_CAPABILITIES;

function size(x: number, y: number): IppAttribute {
  return attr('media-size', collection([attr('x-dimension', integer(x)), attr('y-dimension', integer(y))]));
}

t.test('defaults come from the capabilities', async (t) => {
  t.same(defaultOptions(caps), {
    copies: 1,
    media: 'iso_a4_210x297mm',
    mediaSource: 'main',
    mediaType: 'stationery',
    printColorMode: 'auto',
    printQuality: 4,
    resolution: { x: 300, y: 300 },
    sides: 'one-sided',
    outputBin: 'face-down',
    orientation: 3,
    printScaling: 'auto',
    printContentOptimize: 'auto',
    printRenderingIntent: 'auto',
  });
});

t.test('without auto the default colour mode prefers color, then monochrome', async (t) => {
  t.equal(defaultOptions({ ...caps, colorModes: ['monochrome', 'color'] }).printColorMode, 'color');
  t.equal(defaultOptions({ ...caps, colorModes: ['bi-level', 'monochrome'] }).printColorMode, 'monochrome');
  t.equal(defaultOptions({ ...caps, colorModes: ['bi-level'] }).printColorMode, 'bi-level');
});

t.test('an empty template gives the defaults, no hold and nothing unsupported', async (t) => {
  const r = parseJobTemplate([], caps);
  t.same(r.options, defaultOptions(caps));
  t.equal(r.holdUntil, 'no-hold');
  t.same(r.unsupported, []);
});

interface Case {
  readonly good: IppAttribute;
  readonly bad: readonly IppAttribute[];
  readonly check: (o: ReturnType<typeof parseJobTemplate>) => unknown;
  readonly expected: unknown;
}

const CASES: Readonly<Record<string, Case>> = {
  copies: {
    good: attr('copies', integer(3)),
    bad: [attr('copies', integer(0)), attr('copies', integer(1000)), attr('copies', keyword('3')), attr('copies', integer(1), integer(2))],
    check: (r) => r.options.copies,
    expected: 3,
  },
  'job-hold-until': {
    good: attr('job-hold-until', keyword('indefinite')),
    bad: [attr('job-hold-until', keyword('night')), attr('job-hold-until', integer(1))],
    check: (r) => r.holdUntil,
    expected: 'indefinite',
  },
  media: {
    good: attr('media', keyword('na_letter_8.5x11in')),
    bad: [attr('media', keyword('iso_a3_297x420mm')), attr('media', integer(4))],
    check: (r) => r.options.media,
    expected: 'na_letter_8.5x11in',
  },
  'media-col': {
    good: attr('media-col', collection([attr('media-size-name', keyword('iso_a5_148x210mm'))])),
    bad: [attr('media-col', collection([attr('media-size-name', keyword('iso_a3_297x420mm'))])), attr('media-col', keyword('iso_a5_148x210mm'))],
    check: (r) => r.options.media,
    expected: 'iso_a5_148x210mm',
  },
  'orientation-requested': {
    good: attr('orientation-requested', enumValue(4)),
    bad: [attr('orientation-requested', enumValue(2)), attr('orientation-requested', enumValue(8)), attr('orientation-requested', integer(4))],
    check: (r) => r.options.orientation,
    expected: 4,
  },
  'output-bin': {
    good: attr('output-bin', keyword('face-down')),
    bad: [attr('output-bin', keyword('face-up'))],
    check: (r) => r.options.outputBin,
    expected: 'face-down',
  },
  'print-color-mode': {
    good: attr('print-color-mode', keyword('monochrome')),
    bad: [attr('print-color-mode', keyword('bi-level')), attr('print-color-mode', text('color'))],
    check: (r) => r.options.printColorMode,
    expected: 'monochrome',
  },
  'print-quality': {
    good: attr('print-quality', enumValue(5)),
    bad: [attr('print-quality', enumValue(6)), attr('print-quality', enumValue(2)), attr('print-quality', integer(5))],
    check: (r) => r.options.printQuality,
    expected: 5,
  },
  'printer-resolution': {
    good: attr('printer-resolution', resolution(600, 600)),
    bad: [attr('printer-resolution', resolution(1200, 1200)), attr('printer-resolution', resolution(600, 600, 'dpcm')), attr('printer-resolution', integer(600))],
    check: (r) => r.options.resolution,
    expected: { x: 600, y: 600 },
  },
  finishings: {
    good: attr('finishings', enumValue(3)),
    bad: [attr('finishings', enumValue(4)), attr('finishings', enumValue(3), enumValue(4)), attr('finishings', integer(3))],
    check: (r) => r.unsupported.length,
    expected: 0,
  },
  'print-content-optimize': {
    good: attr('print-content-optimize', keyword('auto')),
    bad: [attr('print-content-optimize', keyword('photo'))],
    check: (r) => r.options.printContentOptimize,
    expected: 'auto',
  },
  'print-rendering-intent': {
    good: attr('print-rendering-intent', keyword('auto')),
    bad: [attr('print-rendering-intent', keyword('perceptual'))],
    check: (r) => r.options.printRenderingIntent,
    expected: 'auto',
  },
  'print-scaling': {
    good: attr('print-scaling', keyword('fill')),
    bad: [attr('print-scaling', keyword('shrink')), attr('print-scaling', integer(1))],
    check: (r) => r.options.printScaling,
    expected: 'fill',
  },
  sides: {
    good: attr('sides', keyword('two-sided-long-edge')),
    bad: [attr('sides', keyword('two-sided')), attr('sides', enumValue(1))],
    check: (r) => r.options.sides,
    expected: 'two-sided-long-edge',
  },
};

t.test('every attribute in job-creation-attributes-supported except job-name has cases here', async (t) => {
  t.same(
    JOB_CREATION_ATTRIBUTES.filter((a) => a !== 'job-name').sort(),
    Object.keys(CASES).sort(),
  );
});

for (const [attrName, c] of Object.entries(CASES)) {
  t.test(`a supported ${attrName} value is applied`, async (t) => {
    const r = parseJobTemplate([c.good], caps);
    t.same(r.unsupported, []);
    t.same(c.check(r), c.expected);
  });
  t.test(`an unsupported ${attrName} value is returned with its value and the default is kept`, async (t) => {
    const defaults = parseJobTemplate([], caps);
    for (const bad of c.bad) {
      const r = parseJobTemplate([bad], caps);
      t.same(r.unsupported, [bad], JSON.stringify(bad.values));
      t.same(r.options, defaults.options);
      t.equal(r.holdUntil, defaults.holdUntil);
    }
  });
}

t.test('media-col by media-size picks the PWG name of that size', async (t) => {
  const r = parseJobTemplate([attr('media-col', collection([size(21590, 27940)]))], caps);
  t.same(r.unsupported, []);
  t.equal(r.options.media, 'na_letter_8.5x11in');
});

t.test('media-col by media-size tolerates a size within 1 mm', async (t) => {
  const r = parseJobTemplate([attr('media-col', collection([size(21000 + 60, 29700 - 40)]))], caps);
  t.equal(r.options.media, 'iso_a4_210x297mm');
});

t.test('media-col with a size no media matches is unsupported', async (t) => {
  const bad = attr('media-col', collection([size(10000, 10000)]));
  const r = parseJobTemplate([bad], caps);
  t.same(r.unsupported, [bad]);
  t.equal(r.options.media, 'iso_a4_210x297mm');
});

t.test('media-col with a media-size lacking y-dimension is unsupported', async (t) => {
  const bad = attr('media-col', collection([attr('media-size', collection([attr('x-dimension', integer(21000))]))]));
  t.same(parseJobTemplate([bad], caps).unsupported, [bad]);
});

t.test('media-col media-source and media-type are applied when supported', async (t) => {
  const r = parseJobTemplate(
    [attr('media-col', collection([attr('media-size-name', keyword('na_number-10_4.125x9.5in')), attr('media-source', keyword('manual')), attr('media-type', keyword('envelope'))]))],
    caps,
  );
  t.same(r.unsupported, []);
  t.equal(r.options.media, 'na_number-10_4.125x9.5in');
  t.equal(r.options.mediaSource, 'manual');
  t.equal(r.options.mediaType, 'envelope');
});

t.test('media-col with an unsupported media-source is unsupported as a whole', async (t) => {
  const bad = attr('media-col', collection([attr('media-size-name', keyword('iso_a5_148x210mm')), attr('media-source', keyword('tray-9'))]));
  const r = parseJobTemplate([bad], caps);
  t.same(r.unsupported, [bad]);
  t.equal(r.options.media, 'iso_a4_210x297mm');
  t.equal(r.options.mediaSource, 'main');
});

t.test('media-col with an unsupported media-type is unsupported', async (t) => {
  const bad = attr('media-col', collection([attr('media-type', keyword('transparency'))]));
  t.same(parseJobTemplate([bad], caps).unsupported, [bad]);
});

t.test('a name-syntax keyword value is accepted for keyword-or-name attributes', async (t) => {
  t.equal(parseJobTemplate([attr('media', name('iso_a5_148x210mm'))], caps).options.media, 'iso_a5_148x210mm');
});

t.test('an unknown attribute is reported as out-of-band unsupported', async (t) => {
  const r = parseJobTemplate([attr('number-up', integer(2))], caps);
  t.same(r.unsupported, [{ name: 'number-up', values: [{ syntax: 'out-of-band', value: 'unsupported' }] }]);
});

t.test('several attributes are checked independently', async (t) => {
  const bad = attr('sides', keyword('two-sided'));
  const r = parseJobTemplate([attr('copies', integer(2)), bad, attr('print-quality', enumValue(3))], caps);
  t.equal(r.options.copies, 2);
  t.equal(r.options.printQuality, 3);
  t.same(r.unsupported, [bad]);
});

t.test('a simplex engine refuses two-sided printing', async (t) => {
  const simplex = { ...caps, sides: ['one-sided'] as const };
  const bad = attr('sides', keyword('two-sided-long-edge'));
  t.same(parseJobTemplate([bad], simplex).unsupported, [bad]);
});

t.test("the operator's defaults fill attributes the client leaves out, and never override what it sent", async (t) => {
  const defaults = { sides: 'two-sided-long-edge', printColorMode: 'monochrome', printQuality: 5 };
  const implied = parseJobTemplate([], FAKE_CAPABILITIES, defaults).options;
  t.equal(implied.sides, 'two-sided-long-edge');
  t.equal(implied.printColorMode, 'monochrome');
  t.equal(implied.printQuality, 5);
  const sent = parseJobTemplate([{ name: 'sides', values: [keyword('one-sided')] }], FAKE_CAPABILITIES, defaults).options;
  t.equal(sent.sides, 'one-sided');
});
