// The web pages over HTTP and HTTPS in-process: public status and jobs, admin refusal without login, CSRF, media
// and defaults reaching the printer attributes, settings persisted, job privacy, strict HTML on every page.
// SPDX-License-Identifier: Apache-2.0
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { join } from 'node:path';
import t from 'tap';
import { parseJobTemplate } from '../../src/job/options.js';
import type { Printer } from '../../src/printer/printer.js';
import { SETTINGS_FILE } from '../../src/web/settings.js';
import { checkHtml } from './html-check.js';
import { ALICE, ROOT, startWeb } from './harness.js';
import { until } from '../support/fake-engine.js';

const PAGES = ['/', '/jobs', '/media', '/settings', '/security', '/network', '/logs'];

async function addJob(printer: Printer, user: string, name: string): Promise<number> {
  const options = parseJobTemplate([], printer.capabilities).options;
  const job = await printer.jobs.create({ name, user, format: 'image/pwg-raster', compression: 'none', holdUntil: 'no-hold', options, impressions: 1 });
  return job.id;
}

function attrValue(printer: Printer, name: string): unknown {
  return printer.attributes('127.0.0.1', true).find((a) => a.name === name)?.values.map((v) => ('value' in v ? v.value : undefined));
}

t.test('every page is well-formed HTML with the security headers and no inline script', async (t) => {
  const web = await startWeb(t);
  await addJob(web.printer, 'alice', 'Alice plan');
  for (const path of PAGES) {
    const res = await web.ask(path, { as: ROOT });
    t.equal(res.status, 200, `${path} answers 200`);
    t.same(checkHtml(res.body), [], `${path} passes the HTML check`);
    t.match(res.headers['content-security-policy'], /script-src 'self'.*frame-ancestors 'none'/, `${path} has the CSP`);
    t.equal(res.headers['x-content-type-options'], 'nosniff');
    t.equal(res.headers['referrer-policy'], 'same-origin');
  }
});

t.test('the HTML check finds broken markup', async (t) => {
  t.not(checkHtml('<!DOCTYPE html>\n<html lang="en"><head><title>x</title></head><body><p><b></p></body></html>').length, 0);
  t.not(checkHtml('<!DOCTYPE html>\n<html lang="en"><head><title>x</title></head><body><p style="x"></p></body></html>').length, 0);
  t.not(checkHtml('<!DOCTYPE html>\n<html lang="en"><head><title>x</title></head><body><script>alert(1)</script></body></html>').length, 0);
});

t.test('admin pages refuse a visitor without login: 401 over TLS, redirect to https over plain HTTP', async (t) => {
  const web = await startWeb(t);
  for (const path of ['/media', '/settings', '/security', '/network', '/logs']) {
    const res = await web.ask(path);
    t.equal(res.status, 401, `${path} over TLS`);
    t.match(res.headers['www-authenticate'], /^Basic realm=/);
    const plain = await web.ask(path, { secure: false });
    t.equal(plain.status, 302, `${path} over HTTP`);
    t.equal(plain.headers.location, `https://127.0.0.1:${web.port}${path}`);
  }
});

t.test('a user who is not an administrator gets 403 on admin pages', async (t) => {
  const web = await startWeb(t);
  t.equal((await web.ask('/media', { as: ALICE })).status, 403);
  t.equal((await web.ask('/media', { as: { user: 'alice', password: 'wrong-password' } })).status, 401);
});

t.test('a form post without the right CSRF token changes nothing', async (t) => {
  const web = await startWeb(t);
  const before = attrValue(web.printer, 'sides-default');
  const forged = await web.ask('/media', { as: ROOT, form: { csrf: 'forged', media: 'na_letter_8.5x11in', sides: 'two-sided-long-edge', color: 'monochrome', quality: '5' } });
  t.equal(forged.status, 403);
  const token = await web.csrf('/media', ROOT);
  const crossSite = await web.ask('/media', { as: ROOT, headers: { Origin: 'https://evil.example' }, form: { csrf: token, sides: 'two-sided-long-edge' } });
  t.equal(crossSite.status, 403, 'a cross-site Origin is refused even with a token');
  const aliceToken = web.site.csrf.token(ALICE.user);
  t.not(aliceToken, token, 'tokens are bound to the user');
  t.same(attrValue(web.printer, 'sides-default'), before);
});

t.test('media-ready and the defaults saved on the Media page show in the printer attributes and settings.json', async (t) => {
  const web = await startWeb(t);
  const caps = web.printer.capabilities;
  const other = caps.media.supported.find((m) => m !== caps.media.default) ?? '';
  const token = await web.csrf('/media', ROOT);
  const res = await web.ask('/media', {
    as: ROOT,
    form: { csrf: token, 'ready-0': other, media: other, sides: caps.sides.at(-1) ?? 'one-sided', color: caps.colorModes.at(-1) ?? '', quality: '5' },
  });
  t.equal(res.status, 303);
  t.equal(res.headers.location, '/media?done=saved');
  t.same(attrValue(web.printer, 'media-ready'), [other]);
  t.same(attrValue(web.printer, 'media-default'), [other]);
  t.same(attrValue(web.printer, 'print-quality-default'), [5]);
  t.same(attrValue(web.printer, 'sides-default'), [caps.sides.at(-1)]);
  const saved = JSON.parse(await readFile(join(web.stateDir, SETTINGS_FILE), 'utf8')) as { mediaReady: string[]; defaults: { printQuality: number } };
  t.equal(saved.mediaReady[0], other);
  t.equal(saved.defaults.printQuality, 5);
});

t.test('an unsupported value on the Media page is refused with 400', async (t) => {
  const web = await startWeb(t);
  const token = await web.csrf('/media', ROOT);
  const res = await web.ask('/media', { as: ROOT, form: { csrf: token, 'ready-0': 'na_foolscap_99x99in', media: 'iso_a4_210x297mm', sides: 'one-sided', color: 'auto', quality: '4' } });
  t.equal(res.status, 400);
  t.match(res.body, /not supported/);
});

t.test('printer settings change printer-location and printer-geo-location and are persisted', async (t) => {
  const web = await startWeb(t);
  const token = await web.csrf('/settings', ROOT);
  const res = await web.ask('/settings', { as: ROOT, form: { csrf: token, name: 'Office Printer', location: 'Room 4.12', geo: 'geo:52.52,13.405', organization: 'ACME', unit: 'Ops', contact: 'ops@example.test' } });
  t.equal(res.status, 303);
  t.same(attrValue(web.printer, 'printer-location'), ['Room 4.12']);
  t.same(attrValue(web.printer, 'printer-geo-location'), ['geo:52.52,13.405']);
  t.same(attrValue(web.printer, 'printer-name'), ['Office Printer']);
  const saved = JSON.parse(await readFile(join(web.stateDir, SETTINGS_FILE), 'utf8')) as Record<string, string>;
  t.equal(saved['contact'], 'ops@example.test');
  const badGeo = await web.ask('/settings', { as: ROOT, form: { csrf: token, name: 'X', geo: 'here' } });
  t.equal(badGeo.status, 400);
});

t.test('the public jobs page and status.json hide other users\u2019 job names', async (t) => {
  const web = await startWeb(t);
  await addJob(web.printer, 'bob', 'Bob secret salary list');
  await addJob(web.printer, 'alice', 'Alice plan');
  const anonymous = await web.ask('/jobs');
  t.notMatch(anonymous.body, /Bob secret|Alice plan/);
  const alice = await web.ask('/jobs', { as: ALICE });
  t.match(alice.body, /Alice plan/);
  t.notMatch(alice.body, /Bob secret/);
  const root = await web.ask('/jobs', { as: ROOT });
  t.match(root.body, /Bob secret salary list/);
  t.notMatch((await web.ask('/status.json')).body, /Bob|Alice|secret/);
});

t.test('a job owner may cancel their job from the jobs page, another user may not', async (t) => {
  const web = await startWeb(t);
  const bobJob = await addJob(web.printer, 'bob', 'Bob job');
  const aliceJob = await addJob(web.printer, 'alice', 'Alice job');
  const token = await web.csrf('/jobs', ALICE);
  t.equal((await web.ask('/jobs/cancel', { as: ALICE, form: { csrf: token, id: String(bobJob) } })).status, 403);
  t.equal(web.printer.jobs.get(bobJob)?.state, 'pending');
  const ok = await web.ask('/jobs/cancel', { as: ALICE, form: { csrf: token, id: String(aliceJob) } });
  t.equal(ok.status, 303);
  t.equal(web.printer.jobs.get(aliceJob)?.state, 'canceled');
  t.equal((await web.ask('/jobs/cancel', { form: { csrf: token, id: String(bobJob) } })).status, 401, 'no login: challenged');
});

t.test('status.json reports reasons in plain words and supply levels', async (t) => {
  const web = await startWeb(t);
  web.printer.state.setEngineStatus(
    { reasons: ['media-empty-error'], supplies: [{ type: 'toner', description: 'Black Toner', color: '#000000', level: 42, lowLevel: 10 }] },
    new Date(),
  );
  const s = JSON.parse((await web.ask('/status.json')).body) as { state: string; reasons: { text: string }[]; supplies: { level: number; levelText: string }[] };
  t.equal(s.state, 'stopped');
  t.match(s.reasons[0]?.text, /Out of paper/);
  t.equal(s.supplies[0]?.levelText, '42%');
  const page = await web.ask('/');
  t.match(page.body, /id="supply-bar-0" width="42" height="10" fill="#000000"/);
});

t.test('the users form adds a user who can then log in', async (t) => {
  const web = await startWeb(t);
  const token = await web.csrf('/security', ROOT);
  const res = await web.ask('/security/users', { as: ROOT, form: { csrf: token, action: 'add', name: 'carol', password: 'carol-Secret-1' } });
  t.equal(res.status, 303);
  t.equal((await web.ask('/jobs', { as: { user: 'carol', password: 'carol-Secret-1' } })).status, 200);
  const short = await web.ask('/security/users', { as: ROOT, form: { csrf: token, action: 'add', name: 'dave', password: 'short' } });
  t.equal(short.status, 400);
});

t.test('the Security page makes a CSR for the printer key', async (t) => {
  const web = await startWeb(t);
  const token = await web.csrf('/security', ROOT);
  const res = await web.ask('/security/csr', { as: ROOT, form: { csrf: token, cn: 'printer.example.test' } });
  t.equal(res.status, 200);
  t.match(res.body, /-----BEGIN CERTIFICATE REQUEST-----/);
  t.same(checkHtml(res.body), []);
});

t.test('/login challenges over TLS and sends a logged-in user back to a local page only', async (t) => {
  const web = await startWeb(t);
  t.equal((await web.ask('/login')).status, 401);
  const back = await web.ask('/login?next=%2Fjobs', { as: ALICE });
  t.equal(back.headers.location, '/jobs');
  const offsite = await web.ask('/login?next=%2F%2Fevil.example', { as: ALICE });
  t.equal(offsite.headers.location, '/');
});

t.test('icons and favicons are served', async (t) => {
  const web = await startWeb(t);
  for (const path of ['/favicon.svg', '/favicon.ico', '/icons/printer-48.png', '/icons/printer-128.png', '/icons/printer-512.png']) {
    t.equal((await web.ask(path, { secure: false })).status, 200, path);
  }
  t.equal((await web.ask('/icons/printer-64.png', { secure: false })).status, 404);
});

t.test('Identify and Print test page on the Status page reach the engine', async (t) => {
  const web = await startWeb(t);
  const token = await web.csrf('/', ROOT);
  t.equal((await web.ask('/identify', { as: ROOT, form: { csrf: token } })).status, 303);
  t.same(web.engine.identified.map((i) => i.actions), [['display']]);
  const res = await web.ask('/test-page', { as: ROOT, form: { csrf: token } });
  t.equal(res.status, 303);
  const id = Number(/id=(\d+)/.exec(res.headers.location ?? '')?.[1]);
  const job = web.printer.jobs.get(id);
  t.ok(job, 'the test page is a job');
  await until(web.printer, () => job?.isTerminal === true);
  t.equal(job?.state, 'completed');
  t.equal(web.engine.jobs.find((j) => j.jobId === id)?.pages.length, 1, 'one page printed');
  t.equal(job?.record.user, 'root');
  t.equal((await web.ask('/identify', { as: ALICE, form: { csrf: web.site.csrf.token('alice') } })).status, 403, 'not for non-admins');
});

t.test('/events pushes the status on every state change', async (t) => {
  const web = await startWeb(t);
  const req = httpsGet({ host: '127.0.0.1', port: web.port, path: '/events', rejectUnauthorized: false, agent: false });
  t.teardown(() => req.destroy());
  const [res] = (await once(req, 'response')) as [IncomingMessage];
  t.equal(res.headers['content-type'], 'text/event-stream; charset=utf-8');
  const events: string[] = [];
  let buffer = '';
  res.setEncoding('utf8');
  const next = (): Promise<string> =>
    new Promise((resolve) => {
      const take = (): void => {
        const end = buffer.indexOf('\n\n');
        if (end < 0) return;
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        res.off('data', onData);
        resolve(event);
      };
      const onData = (chunk: string): void => {
        buffer += chunk;
        take();
      };
      res.on('data', onData);
      take();
    });
  events.push(await next());
  t.match(events[0], /^data: \{"state":"idle"/);
  web.printer.state.setEngineStatus({ reasons: ['door-open'], supplies: [] }, new Date());
  events.push(await next());
  t.match(events[1], /"state":"stopped".*A door is open/);
  t.equal(web.site.events.openStreams, 1);
});
