// The web pages in a real browser (headless chromium through playwright-core) against the built server with the
// virtual engine: a fault injected through virtual-engine.json appears on the open Status page without a reload,
// media-ready set in the form reads back with Get-Printer-Attributes, a job is canceled from the Jobs page, admin
// pages refuse a visitor without login; every page is well-formed, logs no console error, and is screenshotted.
// SPDX-License-Identifier: Apache-2.0
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { attr, findAttr, integer, keyword, numberValue } from '../../src/ipp/build.js';
import { IppOp } from '../../src/ipp/ops.js';
import { artifactsDir, launchChromium, type PwBrowser, type PwPage } from '../support/browser.js';
import { ippCall, printerRequest, repoRoot, startServer } from '../support/server.js';
import { checkHtml } from '../web/html-check.js';

const launch = await launchChromium();
const skip = 'skip' in launch ? launch.skip : false;
const ARTIFACTS = artifactsDir(repoRoot());

const server = skip ? undefined : await startServer();
const admin = /created administrator "([^"]+)" with password (\S+)/.exec(server?.output() ?? '');
t.teardown(async () => {
  if (!('skip' in launch)) await launch.close();
  await server?.stop();
});
const base = `https://127.0.0.1:${server?.port ?? 0}`;
const browser = 'skip' in launch ? undefined : launch.browser;

/** A page that records console errors and uncaught exceptions; with `login`, logged in as the administrator. */
async function openPage(b: PwBrowser, login: boolean): Promise<{ page: PwPage; errors: string[] }> {
  const context = await b.newContext({
    ignoreHTTPSErrors: true,
    viewport: { width: 412, height: 915 },
    ...(login && admin?.[1] && admin[2] ? { httpCredentials: { username: admin[1], password: admin[2], send: 'always' as const } } : {}),
  });
  t.teardown(() => context.close());
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  // The browser sends credentials after a challenge: /login asks for them, then they go with every page.
  if (login) await page.goto(`${base}/login?next=%2F`);
  return { page, errors };
}

async function getPrinter(names: string[]): Promise<ReturnType<typeof findAttr>[]> {
  const res = await ippCall(server?.uri ?? '', printerRequest(server?.uri ?? '', IppOp.GetPrinterAttributes, { operation: [{ name: 'requested-attributes', values: names.map((n) => keyword(n)) }] }));
  return names.map((n) => findAttr(res, 'printer', n));
}

t.test('the server printed the first administrator', { skip }, async (t) => {
  t.ok(admin, 'admin credentials found in the server output');
});

t.test('a fault injected through the virtual engine appears on the open status page without a reload', { skip }, async (t) => {
  const { page, errors } = await openPage(browser as PwBrowser, false);
  await page.goto(`${base}/`, { waitUntil: 'load' });
  t.match(await page.textContent('#reasons'), /No problems/);
  const started = Date.now();
  await writeFile(join(server?.stateDir ?? '', 'virtual-engine.json'), JSON.stringify({ 'state-reasons': ['media-empty'] }));
  await page.waitForSelector('#reasons >> text=Out of paper', { timeout: 10_000 });
  const latency = Date.now() - started;
  t.comment(`fault shown ${latency} ms after the faults file was written`);
  t.match(await page.textContent('#state'), /Stopped/);
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, 'web-status-fault.png'), fullPage: true });
  await writeFile(join(server?.stateDir ?? '', 'virtual-engine.json'), '{}');
  await page.waitForSelector('#reasons >> text=No problems', { timeout: 10_000 });
  t.same(errors, [], 'no console errors');
});

t.test('media-ready chosen in the Media form reads back with Get-Printer-Attributes', { skip }, async (t) => {
  const { page, errors } = await openPage(browser as PwBrowser, true);
  t.equal((await page.goto(`${base}/media`))?.status(), 200);
  await page.selectOption('#ready-0', 'na_legal_8.5x14in');
  await page.click('form[action="/media"] button[type=submit]');
  await page.waitForURL(/done=saved/);
  const [ready] = await getPrinter(['media-ready']);
  t.same(ready?.values.map((v) => ('value' in v ? v.value : undefined)), ['na_legal_8.5x14in']);
  t.same(errors, [], 'no console errors');
});

t.test('a job is canceled from the jobs page', { skip }, async (t) => {
  const created = await ippCall(server?.uri ?? '', printerRequest(server?.uri ?? '', IppOp.CreateJob, { user: 'web-e2e' }));
  const jobId = numberValue(findAttr(created, 'job', 'job-id')) ?? 0;
  t.ok(jobId > 0, 'Create-Job made a job');
  const { page, errors } = await openPage(browser as PwBrowser, true);
  await page.goto(`${base}/jobs`);
  await page.click(`#job-${jobId} button`);
  await page.waitForURL(/done=canceled/);
  const res = await ippCall(server?.uri ?? '', printerRequest(server?.uri ?? '', IppOp.GetJobAttributes, { operation: [attr('job-id', integer(jobId))] }));
  t.equal(numberValue(findAttr(res, 'job', 'job-state')), 7, 'job-state is canceled');
  t.same(errors, [], 'no console errors');
});

t.test('admin pages refuse a visitor without login', { skip }, async (t) => {
  const { page } = await openPage(browser as PwBrowser, false);
  // Without credentials to give, the browser ends a Basic challenge (401) with ERR_INVALID_AUTH_CREDENTIALS.
  for (const path of ['/media', '/settings', '/security', '/network', '/logs']) {
    await t.rejects(page.goto(`${base}${path}`), /ERR_INVALID_AUTH_CREDENTIALS/, `${path} over https asks for a login`);
    await t.rejects(page.goto(`http://127.0.0.1:${server?.port ?? 0}${path}`), /ERR_INVALID_AUTH_CREDENTIALS/, `${path} over http goes to https and asks`);
  }
  const fresh = (await openPage(browser as PwBrowser, false)).page;
  t.equal((await fresh.goto(`${base}/`))?.status(), 200, 'the status page stays public');
  t.match(await fresh.textContent('header'), /Log in/);
});

t.test('every page is well-formed, error-free in the console, and screenshotted; load times recorded', { skip }, async (t) => {
  const { page, errors } = await openPage(browser as PwBrowser, true);
  await mkdir(ARTIFACTS, { recursive: true });
  const timings: Record<string, number> = {};
  for (const path of ['/', '/jobs', '/media', '/settings', '/security', '/network', '/logs']) {
    const res = await page.goto(`${base}${path}`, { waitUntil: 'load' });
    t.equal(res?.status(), 200, path);
    t.same(checkHtml((await res?.text()) ?? ''), [], `${path} is well-formed`);
    timings[path] = Math.round(await page.evaluate<number>("performance.getEntriesByType('navigation')[0].duration"));
    const name = path === '/' ? 'status' : path.slice(1);
    await page.screenshot({ path: join(ARTIFACTS, `web-${name}.png`), fullPage: true });
  }
  await page.goto(`${base}/media`);
  await page.keyboard.press('Tab');
  t.equal(await page.evaluate<string>('document.activeElement.tagName'), 'A', 'Tab reaches the first link');
  await writeFile(join(ARTIFACTS, 'web-timings.json'), `${JSON.stringify(timings, null, 2)}\n`);
  t.comment(`page load ms: ${JSON.stringify(timings)}`);
  t.same(errors, [], 'no console errors');
});
