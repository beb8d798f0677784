// Form posts of the web pages: each needs a logged-in user, a valid CSRF token and a same-origin request; then
// identify, test page, cancel, media and defaults, printer settings, certificates and users.
// SPDX-License-Identifier: Apache-2.0
import { ConfigError, HttpError } from '../errors.js';
import { certificateRequest } from '../security/csr.js';
import { ensureKey, hostSubject, installCertificate } from '../security/tls-files.js';
import { isDnsName } from '../security/x509-fields.js';
import { resolveCapabilities } from '../printer/printer-capabilities.js';
import type { JobDefaults } from '../printer/printer.js';
import { canCancel } from './jobs-page.js';
import { isSameOrigin, readForm } from './form.js';
import { page } from './layout.js';
import { mediaPage } from './media-page.js';
import { redirect, sendHtml, type WebRequest } from './respond.js';
import { securityPage } from './security-page.js';
import { defaultsProblem, geoProblem, mediaReadyProblem, textProblem } from './settings.js';
import { settingsPage } from './settings-page.js';
import { printTestPage } from './print-test-page.js';
import { t } from './strings.js';
import type { WebSite } from './site.js';

type Handler = (site: WebSite, w: WebRequest, form: URLSearchParams) => Promise<void>;

function bad(site: WebSite, w: WebRequest, why: string): void {
  sendHtml(w, 400, page(site.frame(w, undefined, t('error.bad', { why }, w.lang)), t('error.title', {}, w.lang), ''));
}

const identify: Handler = async (site, w) => {
  const p = site.deps.printer;
  const action = p.capabilities.identifyActions[0] ?? 'sound';
  await p.driver.identify?.([action], undefined, undefined);
  site.deps.log.info({ actions: [action], user: w.user?.user }, 'identify from the web page');
  redirect(w, '/?done=identified');
};

const testPage: Handler = async (site, w) => {
  const id = await printTestPage(site.deps.printer, w.user?.user ?? 'admin', site.deps.log);
  redirect(w, `/?done=test&id=${id}`);
};

const cancel: Handler = async (site, w, form) => {
  const job = site.deps.printer.jobs.get(Number(form.get('id')));
  if (!job) return bad(site, w, 'no such job');
  if (!canCancel(job, w.user)) {
    sendHtml(w, 403, page(site.frame(w, '/jobs', t('error.forbidden', {}, w.lang)), t('error.title', {}, w.lang), ''));
    return;
  }
  await site.deps.printer.jobs.cancel(job, w.user?.user === job.record.user ? 'job-canceled-by-user' : 'job-canceled-by-operator');
  site.deps.log.info({ jobId: job.id, user: w.user?.user }, 'job canceled from the web page');
  redirect(w, `/jobs?done=canceled&id=${job.id}`);
};

const media: Handler = async (site, w, form) => {
  const p = site.deps.printer;
  const sources = resolveCapabilities(p.capabilities).sources;
  const ready = sources.map((_s, i) => form.get(`ready-${i}`) ?? '');
  const quality = Number(form.get('quality') ?? 4);
  const defaults: JobDefaults = {
    media: form.get('media') ?? p.capabilities.media.default,
    sides: form.get('sides') ?? 'one-sided',
    printColorMode: form.get('color') ?? '',
    printQuality: quality,
  };
  const problem = mediaReadyProblem(ready, p.capabilities) ?? defaultsProblem(defaults, p.capabilities);
  if (problem !== undefined) {
    sendHtml(w, 400, mediaPage(p, site.frame(w, '/media', t('error.bad', { why: problem }, w.lang))));
    return;
  }
  p.setMediaReady(ready);
  p.setJobDefaults(defaults);
  await site.deps.settings?.update({ mediaReady: ready, defaults });
  site.deps.log.info({ mediaReady: ready, defaults, user: w.user?.user }, 'media and defaults changed');
  redirect(w, '/media?done=saved');
};

const settings: Handler = async (site, w, form) => {
  const p = site.deps.printer;
  const v = (k: string): string => (form.get(k) ?? '').trim();
  const fields = { name: v('name'), location: v('location'), organization: v('organization'), organizationalUnit: v('unit'), contact: v('contact') };
  const geo = v('geo');
  const problem =
    Object.entries(fields)
      .map(([k, value]) => {
        const why = textProblem(value, k === 'name');
        return why === undefined ? undefined : `${k} ${why}`;
      })
      .find((x) => x !== undefined) ?? (geo === '' ? undefined : geoProblem(geo));
  if (problem !== undefined) {
    sendHtml(w, 400, settingsPage(p, site.deps.settings?.current ?? {}, site.frame(w, '/settings', t('error.bad', { why: problem }, w.lang))));
    return;
  }
  const { contact, ...config } = fields;
  p.updateConfig({ ...config, geoLocation: geo === '' ? undefined : geo });
  await site.deps.settings?.update({ ...fields, ...(geo === '' ? { geoLocation: undefined } : { geoLocation: geo }) });
  site.deps.log.info({ user: w.user?.user, contactSet: contact !== '' }, 'printer settings changed');
  redirect(w, '/settings?done=saved');
};

const csr: Handler = async (site, w, form) => {
  const dir = site.deps.stateDir;
  if (dir === undefined) return bad(site, w, 'no state directory');
  const { key } = await ensureKey(dir);
  const host = hostSubject();
  const cn = (form.get('cn') ?? '').trim() || host.commonName;
  if (cn.length > 64) return bad(site, w, 'the common name has more than 64 characters');
  const dnsNames = [...new Set([...(isDnsName(cn) ? [cn] : []), ...host.dnsNames])];
  const pem = certificateRequest(key, { commonName: cn, dnsNames, ipAddresses: host.ipAddresses });
  const d = site.deps;
  sendHtml(w, 200, securityPage({ mode: d.mode, tls: d.tls?.()?.material, users: d.users?.list(), csr: pem }, site.frame(w, '/security')));
};

const installCert: Handler = async (site, w, form) => {
  const dir = site.deps.stateDir;
  if (dir === undefined) return bad(site, w, 'no state directory');
  try {
    await installCertificate(dir, form.get('pem') ?? '');
  } catch (err) {
    if (err instanceof ConfigError) return bad(site, w, err.message);
    throw err;
  }
  await site.deps.tls?.()?.reload();
  site.deps.log.info({ user: w.user?.user }, 'certificate installed from the web page');
  redirect(w, '/security?done=installed');
};

const users: Handler = async (site, w, form) => {
  const store = site.deps.users;
  if (!store) return bad(site, w, t('security.noStore', {}, w.lang));
  const name = (form.get('name') ?? '').trim();
  const password = form.get('password') ?? '';
  const action = form.get('action');
  try {
    if (action === 'add') await store.add(name, password, form.get('admin') === '1');
    else if (action === 'passwd') await store.setPassword(name, password);
    else if (action === 'delete') await store.remove(name);
    else return bad(site, w, 'unknown action');
  } catch (err) {
    if (err instanceof ConfigError) return bad(site, w, err.message);
    throw err;
  }
  site.deps.log.info({ action, target: name, user: w.user?.user }, 'user store changed from the web page');
  const done = action === 'add' ? 'added' : action === 'delete' ? 'deleted' : 'passwd';
  redirect(w, `/security?done=${done}&user=${encodeURIComponent(name)}`);
};

/** Routes of form posts: path, handler, and whether a job owner (not only an administrator) may post. */
const ROUTES: Readonly<Record<string, { readonly handler: Handler; readonly owner: boolean }>> = {
  '/identify': { handler: identify, owner: false },
  '/test-page': { handler: testPage, owner: false },
  '/jobs/cancel': { handler: cancel, owner: true },
  '/media': { handler: media, owner: false },
  '/settings': { handler: settings, owner: false },
  '/security/csr': { handler: csr, owner: false },
  '/security/cert': { handler: installCert, owner: false },
  '/security/users': { handler: users, owner: false },
};

/** Handle a POST: login, CSRF and origin checks, then the route's handler. */
export async function postAction(site: WebSite, w: WebRequest): Promise<void> {
  const route = ROUTES[w.path];
  if (route === undefined) {
    sendHtml(w, 404, page(site.frame(w, undefined, t('error.notFound', {}, w.lang)), t('error.title', {}, w.lang), ''));
    return;
  }
  if (route.owner ? w.user === undefined && !site.requireAdmin(w) : !site.requireAdmin(w)) return;
  let form: URLSearchParams;
  try {
    form = await readForm(w.req);
  } catch (err) {
    if (!(err instanceof HttpError)) throw err;
    sendHtml(w, err.status, page(site.frame(w, undefined, err.message), t('error.title', {}, w.lang), ''), err.headers);
    return;
  }
  const user = w.user?.user ?? '';
  if (!isSameOrigin(w.req, w.host) || !site.csrf.verify(user, form.get('csrf'))) {
    site.deps.log.warn({ path: w.path, user }, 'web form refused: CSRF check failed');
    sendHtml(w, 403, page(site.frame(w, undefined, t('error.csrf', {}, w.lang)), t('error.title', {}, w.lang), ''));
    return;
  }
  await route.handler(site, w, form);
}
