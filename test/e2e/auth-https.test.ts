// Authentication end to end over the same-port TLS listener with real clients: curl for 426/401/429 and the
// challenges, Basic and Bearer logins, the RFC 9728 document; ipptool over ipps:// with user:password in the URI.
// The server is built in-process as system.ts builds it (fake engine); its JSON log is checked for secrets.
// SPDX-License-Identifier: Apache-2.0
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { encodeMessage } from '../../src/ipp/encode.js';
import { decodeMessage } from '../../src/ipp/decode.js';
import { IppOp } from '../../src/ipp/ops.js';
import { statusKeyword } from '../../src/ipp/status.js';
import { createHttpServer } from '../../src/server/http.js';
import { enableTls } from '../../src/security/secure-server.js';
import { Authenticator } from '../../src/security/authenticate.js';
import { DEFAULT_AUTH, type AuthConfig } from '../../src/security/auth-config.js';
import { UserStore } from '../../src/security/users.js';
import { jsonSinkLogger, makeTestPrinter, tempStateDir } from '../support/fake-engine.js';
import { request } from '../support/ipp-client.js';
import { IPPTOOL, requireIpptool } from '../support/ipptool.js';
import { CURL, requireTool, run } from '../security/tools.js';

const ROOT_PASSWORD = 'root-Secret-4711';
const ALICE_PASSWORD = 'alice-Secret-0815';
const ISSUER = 'https://sso.example.test';
const { publicKey, privateKey } = await generateKeyPair('ES256');
const JWK = { ...(await exportJWK(publicKey)), kid: 'e2e', alg: 'ES256' };

interface Harness {
  readonly port: number;
  readonly dir: string;
  readonly lines: Record<string, unknown>[];
  readonly printer: Awaited<ReturnType<typeof makeTestPrinter>>['printer'];
}

async function start(t: Test, policy: Partial<AuthConfig> = {}): Promise<Harness> {
  const { printer, stateDir } = await makeTestPrinter(t);
  const users = await UserStore.open(stateDir, { scrypt: { ln: 8, r: 8, p: 1 } });
  await users.add('root', ROOT_PASSWORD, true);
  await users.add('alice', ALICE_PASSWORD, false);
  const { log, lines } = jsonSinkLogger('trace');
  const config: AuthConfig = {
    ...DEFAULT_AUTH,
    localAdmin: false,
    oauth: { issuer: ISSUER, audience: 'ippbridge', scope: 'print', adminScope: 'print-admin', userClaim: 'sub', authorizationServerUri: ISSUER, jwks: { set: { keys: [JWK] } } },
    ...policy,
  };
  const auth = await Authenticator.open({ config, users, log });
  printer.updateConfig({ securityMode: 'open' });
  const server: Server = createHttpServer(printer, log, { mode: 'open', auth });
  const secure = await enableTls(server, { stateDir, mode: 'open', log });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.teardown(async () => {
    secure.close();
    server.closeAllConnections();
    await new Promise<void>((done) => server.close(() => done()));
  });
  const address = server.address();
  const dir = await tempStateDir(t);
  return { port: typeof address === 'object' && address ? address.port : 0, dir, lines, printer };
}

/** POST an IPP request with curl; returns the HTTP status, headers and (for 200) the IPP status. */
async function curlIpp(h: Harness, op: number, scheme: 'http' | 'https', extra: string[] = []): Promise<{ http: number; headers: string; ipp: string }> {
  const body = join(h.dir, `req-${op}.ipp`);
  const out = join(h.dir, `res-${op}.ipp`);
  await writeFile(body, encodeMessage(request(op, { printerUri: `ipp://127.0.0.1:${h.port}/ipp/print` })));
  const res = await run(CURL, ['-sk', '--max-time', '10', '-D', '-', '-o', out, '-H', 'Content-Type: application/ipp', '--data-binary', `@${body}`, ...extra, `${scheme}://127.0.0.1:${h.port}/ipp/print`]);
  const http = Number(/^HTTP\/1\.1 (\d{3})/m.exec(res.stdout)?.[1] ?? 0);
  let ipp = '';
  if (http === 200) {
    const { readFile } = await import('node:fs/promises');
    ipp = statusKeyword(decodeMessage(await readFile(out)).message.code);
  }
  return { http, headers: res.stdout, ipp };
}

function noSecrets(t: Test, h: Harness, secrets: readonly string[]): void {
  const text = JSON.stringify(h.lines);
  t.ok(h.lines.length > 0, 'the server logged');
  for (const s of secrets) t.notOk(text.includes(s), 'a secret is not in the log');
}

t.test('curl: Basic over plaintext gets 426 with Upgrade and the password is not checked', async (t) => {
  if (!requireTool(t, CURL, 'curl')) return;
  const h = await start(t);
  const r = await curlIpp(h, IppOp.PausePrinter, 'http', ['-u', `root:${ROOT_PASSWORD}`]);
  t.equal(r.http, 426);
  t.match(r.headers, /^Upgrade: TLS\/1\.3, TLS\/1\.2/im);
  t.notOk(h.printer.state.reasons.includes('paused'));
  noSecrets(t, h, [ROOT_PASSWORD, Buffer.from(`root:${ROOT_PASSWORD}`).toString('base64')]);
});

t.test('curl: an admin operation over https without credentials gets 401 with Basic and Bearer challenges', async (t) => {
  if (!requireTool(t, CURL, 'curl')) return;
  const h = await start(t);
  const r = await curlIpp(h, IppOp.PausePrinter, 'https');
  t.equal(r.http, 401);
  t.match(r.headers, /^WWW-Authenticate: Basic realm="ippbridge", Bearer resource_metadata="https:\/\/127\.0\.0\.1:\d+\/\.well-known\/oauth-protected-resource"/im);
});

t.test('curl: a wrong password over https is 401, the admin password pauses, a non-admin is forbidden', async (t) => {
  if (!requireTool(t, CURL, 'curl')) return;
  const h = await start(t);
  t.equal((await curlIpp(h, IppOp.PausePrinter, 'https', ['-u', 'root:not-the-password'])).http, 401);
  const alice = await curlIpp(h, IppOp.PausePrinter, 'https', ['-u', `alice:${ALICE_PASSWORD}`]);
  t.same([alice.http, alice.ipp], [200, 'client-error-forbidden']);
  const root = await curlIpp(h, IppOp.PausePrinter, 'https', ['-u', `root:${ROOT_PASSWORD}`]);
  t.same([root.http, root.ipp], [200, 'successful-ok']);
  t.ok(h.printer.state.reasons.includes('paused'));
  noSecrets(t, h, [ROOT_PASSWORD, ALICE_PASSWORD, 'not-the-password']);
});

t.test('curl: repeated wrong passwords end in 429 with Retry-After', async (t) => {
  if (!requireTool(t, CURL, 'curl')) return;
  const h = await start(t);
  const statuses: number[] = [];
  for (let i = 0; i < 11; i++) statuses.push((await curlIpp(h, IppOp.GetPrinterAttributes, 'https', ['-u', `root:wrong-${i}`])).http);
  t.same(statuses.slice(0, 10), Array(10).fill(401));
  t.equal(statuses[10], 429);
});

t.test('curl: a Bearer token with the admin scope pauses; an expired one is 401 invalid_token', async (t) => {
  if (!requireTool(t, CURL, 'curl')) return;
  const h = await start(t);
  const now = Math.floor(Date.now() / 1000);
  const sign = (exp: number): Promise<string> =>
    new SignJWT({ scope: 'print print-admin' }).setProtectedHeader({ alg: 'ES256', kid: 'e2e', typ: 'at+jwt' }).setIssuer(ISSUER).setAudience('ippbridge').setSubject('dora').setExpirationTime(exp).sign(privateKey);
  const expired = await sign(now - 600);
  const bad = await curlIpp(h, IppOp.PausePrinter, 'https', ['-H', `Authorization: Bearer ${expired}`]);
  t.equal(bad.http, 401);
  t.match(bad.headers, /error="invalid_token"/);
  const valid = await sign(now + 600);
  const ok = await curlIpp(h, IppOp.PausePrinter, 'https', ['-H', `Authorization: Bearer ${valid}`]);
  t.same([ok.http, ok.ipp], [200, 'successful-ok']);
  noSecrets(t, h, [expired.split('.')[2] ?? '-', valid.split('.')[2] ?? '-']);
});

t.test('curl: the RFC 9728 metadata document is served', async (t) => {
  if (!requireTool(t, CURL, 'curl')) return;
  const h = await start(t);
  const res = await run(CURL, ['-sk', '--max-time', '10', `https://127.0.0.1:${h.port}/.well-known/oauth-protected-resource`]);
  const doc = JSON.parse(res.stdout) as Record<string, unknown>;
  t.equal(doc['resource'], `https://127.0.0.1:${h.port}`);
  t.same(doc['authorization_servers'], [ISSUER]);
  t.same(doc['scopes_supported'], ['print', 'print-admin']);
});

const GPA_TEST = `{
  NAME "Get-Printer-Attributes"
  OPERATION Get-Printer-Attributes
  GROUP operation-attributes-tag
  ATTR charset attributes-charset utf-8
  ATTR naturalLanguage attributes-natural-language en
  ATTR uri printer-uri $uri
  ATTR keyword requested-attributes all
  STATUS successful-ok
  EXPECT uri-authentication-supported OF-TYPE keyword WITH-VALUE "oauth" SAME-COUNT-AS printer-uri-supported
  EXPECT oauth-authorization-server-uri OF-TYPE uri WITH-VALUE "${ISSUER}"
  EXPECT oauth-authorization-scope OF-TYPE name WITH-VALUE "print"
  EXPECT job-privacy-scope OF-TYPE keyword WITH-VALUE "owner"
}
`;

const PAUSE_TEST = `{
  NAME "Pause-Printer"
  OPERATION Pause-Printer
  GROUP operation-attributes-tag
  ATTR charset attributes-charset utf-8
  ATTR naturalLanguage attributes-natural-language en
  ATTR uri printer-uri $uri
  ATTR name requesting-user-name $user
  STATUS successful-ok
}
`;

// No -T: CUPS 2.4 ipptool with a timeout fails over TLS 1.3 (see ipps-everywhere.test.ts).
t.test('ipptool over ipps:// reads oauth in uri-authentication-supported and the OAuth and privacy attributes', async (t) => {
  if (!requireIpptool(t)) return;
  const h = await start(t);
  const file = join(h.dir, 'gpa.test');
  await writeFile(file, GPA_TEST);
  const res = await run(IPPTOOL, ['-t', `ipps://127.0.0.1:${h.port}/ipp/print`, file], { timeoutMs: 30_000 });
  t.equal(res.code, 0, res.stdout + res.stderr);
});

t.test('ipptool pauses the printer over ipps:// after the 401, with user:password in the URI', async (t) => {
  if (!requireIpptool(t)) return;
  const h = await start(t);
  const file = join(h.dir, 'pause.test');
  await writeFile(file, PAUSE_TEST);
  const res = await run(IPPTOOL, ['-t', `ipps://root:${ROOT_PASSWORD}@127.0.0.1:${h.port}/ipp/print`, file], { timeoutMs: 30_000 });
  t.equal(res.code, 0, res.stdout + res.stderr);
  t.ok(h.printer.state.reasons.includes('paused'));
  noSecrets(t, h, [ROOT_PASSWORD]);
});
