// Access control in dispatch (security.md §8): job ownership (0x0403), admin operations (0x0401, 0x0402 or HTTP
// 401), anonymous printing switched off, job privacy in Get-Jobs/Get-Job-Attributes, and claimed account names.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { pino } from 'pino';
import { keyword } from '../../src/ipp/build.js';
import { IppOp } from '../../src/ipp/ops.js';
import type { IppMessage } from '../../src/ipp/types.js';
import { HttpError } from '../../src/errors.js';
import { dispatch } from '../../src/server/dispatch.js';
import type { Printer } from '../../src/printer/printer.js';
import { DEFAULT_AUTH, type AuthConfig } from '../../src/security/auth-config.js';
import type { Authenticated, RequestAuth } from '../../src/security/authenticate.js';
import { makeTestPrinter } from '../support/fake-engine.js';
import { create } from '../support/job-helpers.js';
import { groupsOf, namesOf, plain, request, statusOf, TEST_HOST } from '../support/ipp-client.js';

interface Caller {
  readonly authenticated?: Authenticated;
  readonly secure?: boolean;
  readonly remote?: string;
  readonly policy?: Partial<AuthConfig>;
  readonly registered?: readonly string[];
}

function call(printer: Printer, message: IppMessage, who: Caller = {}): Promise<IppMessage> {
  const remote = who.remote ?? '192.0.2.10:5000';
  const secure = who.secure ?? false;
  const auth: RequestAuth = {
    authenticated: who.authenticated,
    isLocal: remote.startsWith('127.'),
    policy: { ...DEFAULT_AUTH, ...who.policy },
    challenge: secure ? 'Basic realm="ippbridge"' : undefined,
    isRegistered: (n) => (who.registered ?? []).includes(n),
  };
  return dispatch({ message, document: undefined, printer, host: TEST_HOST, secure, remote, signal: new AbortController().signal, log: pino({ level: 'silent' }), reqId: 1, auth });
}

const ALICE: Authenticated = { user: 'alice', isAdmin: false, method: 'basic' };
const ROOT: Authenticated = { user: 'root', isAdmin: true, method: 'basic' };

t.test("Cancel-Job on another user's job is client-error-not-authorized", async (t) => {
  const { printer } = await makeTestPrinter(t);
  const job = await create(printer, { user: 'bob', holdUntil: 'indefinite' });
  t.equal(statusOf(await call(printer, request(IppOp.CancelJob, { jobId: job.id, user: 'alice' }))), 'client-error-not-authorized');
  t.equal(statusOf(await call(printer, request(IppOp.CancelJob, { jobId: job.id }), { authenticated: ALICE, secure: true })), 'client-error-not-authorized');
  t.equal(job.state, 'pending-held');
});

t.test("Hold-Job and Release-Job on another user's job are client-error-not-authorized", async (t) => {
  const { printer } = await makeTestPrinter(t);
  const job = await create(printer, { user: 'bob', holdUntil: 'indefinite' });
  t.equal(statusOf(await call(printer, request(IppOp.ReleaseJob, { jobId: job.id, user: 'mallory' }))), 'client-error-not-authorized');
  t.equal(statusOf(await call(printer, request(IppOp.HoldJob, { jobId: job.id, user: 'mallory' }))), 'client-error-not-authorized');
});

t.test('the owner and an authenticated administrator may cancel the job', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const mine = await create(printer, { user: 'bob', holdUntil: 'indefinite' });
  t.equal(statusOf(await call(printer, request(IppOp.CancelJob, { jobId: mine.id, user: 'bob' }))), 'successful-ok');
  const other = await create(printer, { user: 'bob', holdUntil: 'indefinite' });
  t.equal(statusOf(await call(printer, request(IppOp.CancelJob, { jobId: other.id }), { authenticated: ROOT, secure: true })), 'successful-ok');
});

t.test('Pause-Printer from a remote client without credentials over plaintext is client-error-not-authenticated', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const r = await call(printer, request(IppOp.PausePrinter));
  t.equal(statusOf(r), 'client-error-not-authenticated');
  t.notOk(printer.state.reasons.includes('paused'));
});

t.test('Pause-Printer without credentials over TLS is HTTP 401 with the challenge', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const err = await call(printer, request(IppOp.PausePrinter), { secure: true }).then(
    () => undefined,
    (e: unknown) => e,
  );
  t.ok(err instanceof HttpError);
  t.equal((err as HttpError).status, 401);
  t.equal((err as HttpError).headers['WWW-Authenticate'], 'Basic realm="ippbridge"');
});

t.test('Pause-Printer, Resume-Printer and Cancel-Jobs by an authenticated non-admin are client-error-forbidden', async (t) => {
  const { printer } = await makeTestPrinter(t);
  for (const op of [IppOp.PausePrinter, IppOp.ResumePrinter, IppOp.CancelJobs]) {
    t.equal(statusOf(await call(printer, request(op), { authenticated: ALICE, secure: true })), 'client-error-forbidden');
  }
});

t.test('an authenticated administrator may pause the printer', async (t) => {
  const { printer } = await makeTestPrinter(t);
  t.equal(statusOf(await call(printer, request(IppOp.PausePrinter), { authenticated: ROOT, secure: true })), 'successful-ok');
  t.ok(printer.state.reasons.includes('paused'));
});

t.test('loopback clients administer without credentials unless local-admin is off', async (t) => {
  const { printer } = await makeTestPrinter(t);
  t.equal(statusOf(await call(printer, request(IppOp.PausePrinter), { remote: '127.0.0.1:4000' })), 'successful-ok');
  const off = await call(printer, request(IppOp.ResumePrinter), { remote: '127.0.0.1:4000', policy: { localAdmin: false } });
  t.equal(statusOf(off), 'client-error-not-authenticated');
});

t.test('with anonymous-printing off, Print-Job, Create-Job and Validate-Job need a login', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const policy = { anonymousPrinting: false };
  for (const op of [IppOp.CreateJob, IppOp.ValidateJob, IppOp.PrintJob]) {
    t.equal(statusOf(await call(printer, request(op), { policy })), 'client-error-not-authenticated');
  }
  const viaTls = await call(printer, request(IppOp.CreateJob), { policy, secure: true }).catch((e: unknown) => e);
  t.equal((viaTls as HttpError).status, 401);
  t.equal(statusOf(await call(printer, request(IppOp.CreateJob), { policy, secure: true, authenticated: ALICE })), 'successful-ok');
  t.equal(printer.jobs.list('all')[0]?.record.user, 'alice');
});

t.test('anonymous printing is allowed by default', async (t) => {
  const { printer } = await makeTestPrinter(t);
  t.equal(statusOf(await call(printer, request(IppOp.ValidateJob))), 'successful-ok');
});

t.test("Get-Jobs hides the name and owner of other users' jobs but not of one's own", async (t) => {
  const { printer } = await makeTestPrinter(t);
  await create(printer, { user: 'bob', holdUntil: 'indefinite' });
  await create(printer, { user: 'alice', holdUntil: 'indefinite' });
  const ask = { operation: [{ name: 'requested-attributes', values: [keyword('job-id'), keyword('job-name'), keyword('job-originating-user-name')] }] };
  const r = await call(printer, request(IppOp.GetJobs, { ...ask, user: 'alice' }));
  const jobs = groupsOf(r, 'job').map((g) => namesOf(g));
  t.equal(jobs.length, 2, 'both jobs are listed');
  t.same(jobs.map((n) => n.length).sort(), [1, 3], "only alice's job shows its name and owner");
  const admin = await call(printer, request(IppOp.GetJobs, { ...ask, user: 'alice' }), { authenticated: ROOT, secure: true });
  t.equal(groupsOf(admin, 'job').filter((g) => namesOf(g).includes('job-name')).length, 2, 'an admin sees both');
  const open = await call(printer, request(IppOp.GetJobs, { ...ask, user: 'alice' }), { policy: { jobPrivacy: false } });
  t.equal(groupsOf(open, 'job').filter((g) => namesOf(g).includes('job-name')).length, 2, 'privacy off shows both');
});

t.test("Get-Job-Attributes of another user's job leaves out job-name and job-originating-user-name", async (t) => {
  const { printer } = await makeTestPrinter(t);
  const job = await create(printer, { user: 'bob', holdUntil: 'indefinite' });
  const r = await call(printer, request(IppOp.GetJobAttributes, { jobId: job.id, user: 'alice' }));
  t.equal(statusOf(r), 'successful-ok');
  const names = namesOf(groupsOf(r, 'job')[0]);
  t.ok(names.includes('job-state'));
  t.notOk(names.includes('job-name'));
  t.notOk(names.includes('job-originating-user-name'));
});

t.test('a store account name claimed without its password counts as anonymous', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const job = await create(printer, { user: 'root', holdUntil: 'indefinite' });
  const r = await call(printer, request(IppOp.CancelJob, { jobId: job.id, user: 'root' }), { registered: ['root'] });
  t.equal(statusOf(r), 'client-error-not-authorized');
  const created = await call(printer, request(IppOp.CreateJob, { user: 'root' }), { registered: ['root'] });
  t.equal(statusOf(created), 'successful-ok');
  const id = plain(groupsOf(created, 'job')[0]?.attributes.find((a) => a.name === 'job-id')?.values[0]);
  t.equal(printer.jobs.get(Number(id))?.record.user, 'anonymous');
});

t.test('the authenticated name overrides requesting-user-name as the job owner', async (t) => {
  const { printer } = await makeTestPrinter(t);
  await call(printer, request(IppOp.CreateJob, { user: 'somebody-else' }), { authenticated: ALICE, secure: true });
  t.equal(printer.jobs.list('all')[0]?.record.user, 'alice');
});
