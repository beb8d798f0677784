// Pieces of the web pages: the log ring, the strings table, settings validation and the test page document.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { pino } from 'pino';
import { LogRing } from '../../src/web/log-ring.js';
import { EN, pickLanguage, reasonText, t as text } from '../../src/web/strings.js';
import { defaultsProblem, geoProblem, parseSettings } from '../../src/web/settings.js';
import { testPageUrf } from '../../src/web/test-page.js';
import { readUrf } from '../../src/raster/urf.js';
import { formatDuration } from '../../src/web/status-page.js';
import { FAKE_CAPABILITIES } from '../support/fake-engine.js';

const silent = pino({ level: 'silent' });

t.test('the log ring keeps the newest lines, oldest first, and filters by level', async (t) => {
  const ring = new LogRing(3);
  const log = pino({ level: 'trace' }, ring);
  log.debug('one');
  log.info({ mod: 'http' }, 'two');
  log.warn('three');
  log.error({ jobId: 4 }, 'four');
  t.same(ring.entries().map((e) => e.msg), ['two', 'three', 'four']);
  t.same(ring.entries(40).map((e) => e.msg), ['three', 'four']);
  t.equal(ring.entries()[0]?.mod, 'http');
  t.match(ring.entries(50)[0]?.extra, /"jobId":4/);
});

t.test('the log ring shows a line that is not JSON as text', async (t) => {
  const ring = new LogRing(2);
  ring.write('plain words\n');
  t.equal(ring.entries()[0]?.msg, 'plain words');
});

t.test('strings fill placeholders and fall back to English', async (t) => {
  t.equal(text('jobs.canceled', { id: 7 }), 'Job #7 is being canceled.');
  t.equal(pickLanguage('xx-YY, en;q=0.5'), 'en');
  t.equal(pickLanguage(undefined), 'en');
  t.ok(Object.values(EN).every((v) => v.length > 0));
});

t.test('reasons are shown in plain words, unknown ones spelled out', async (t) => {
  t.match(reasonText('media-empty-error'), /Out of paper/);
  t.equal(reasonText('interpreter-resource-unavailable-warning'), 'Interpreter resource unavailable');
});

t.test('durations read as days, hours, minutes', async (t) => {
  t.equal(formatDuration(59), '0 min 59 s');
  t.equal(formatDuration(3 * 3600 + 120), '3 h 2 min');
  t.equal(formatDuration(2 * 86400 + 3600), '2 d 1 h');
});

t.test('settings keep only values the engine supports', async (t) => {
  const doc = {
    name: 'Lab',
    location: 'x'.repeat(200),
    geoLocation: 'geo:1,2',
    mediaReady: [FAKE_CAPABILITIES.media.supported[0]],
    defaults: { media: 'na_foolscap_99x99in' },
  };
  const s = parseSettings(doc, FAKE_CAPABILITIES, silent);
  t.equal(s.name, 'Lab');
  t.equal(s.location, undefined, 'too long');
  t.equal(s.geoLocation, 'geo:1,2');
  t.same(s.mediaReady, [FAKE_CAPABILITIES.media.supported[0]]);
  t.equal(s.defaults, undefined, 'unsupported default media');
  t.equal(geoProblem('geo:52.5,13.4;u=10'), undefined);
  t.type(geoProblem('52.5,13.4'), 'string');
  t.type(defaultsProblem({ printQuality: 9 }, FAKE_CAPABILITIES), 'string');
});

t.test('the test page is one valid URF page of the media size and resolution', async (t) => {
  const doc = testPageUrf({ widthHmm: 21000, lengthHmm: 29700, dpi: 100, marginHmm: 500 });
  async function* once(): AsyncGenerator<Uint8Array> {
    yield doc;
  }
  let pages = 0;
  let dark = 0;
  for await (const page of readUrf(once())) {
    pages++;
    t.equal(page.header.width, Math.round((21000 / 2540) * 100));
    t.equal(page.header.height, Math.round((29700 / 2540) * 100));
    t.equal(page.header.colorSpace, 'srgb');
    let lines = 0;
    for await (const line of page.lines()) {
      lines++;
      if (line.some((b) => b < 128)) dark++;
    }
    t.equal(lines, page.header.height);
  }
  t.equal(pages, 1);
  t.ok(dark > 100, 'the frame, glyph and patches are drawn');
  t.ok(doc.length < 200_000, 'run-length encoded');
});
