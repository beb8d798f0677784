// OAuth Bearer tokens (PWG 5100.23): JWT access tokens signed with a generated key, keys in a JWKS file in a temp
// dir; valid, expired, not-yet-valid, forged, wrong-audience, wrong-issuer, wrong-scope and unsigned tokens; the
// RFC 9728 challenge and metadata; no token in the log.
// SPDX-License-Identifier: Apache-2.0
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { jsonSinkLogger, tempStateDir } from '../support/fake-engine.js';
import { Authenticator, type RequestFacts } from '../../src/security/authenticate.js';
import { parseAuthConfig, type OAuthConfig } from '../../src/security/auth-config.js';
import { protectedResourceMetadata, PROTECTED_RESOURCE_PATH } from '../../src/security/oauth-metadata.js';
import { publicKeys } from '../../src/security/jwks.js';
import { ConfigError } from '../../src/errors.js';

const ISSUER = 'https://auth.example.test/realms/print';
const AUDIENCE = 'ipp://printer.local/ipp/print';

interface Keys {
  readonly privateKey: CryptoKey;
  readonly jwk: JWK;
}

async function keyPair(kid: string): Promise<Keys> {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } };
}

const good = await keyPair('k1');
const evil = await keyPair('k1');

interface TokenSpec {
  readonly key?: Keys;
  readonly iss?: string;
  readonly aud?: string;
  readonly scope?: string;
  readonly exp?: number;
  readonly nbf?: number;
  readonly sub?: string;
}

function token(spec: TokenSpec = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ scope: spec.scope ?? 'openid print' })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1', typ: 'at+jwt' })
    .setIssuer(spec.iss ?? ISSUER)
    .setAudience(spec.aud ?? AUDIENCE)
    .setSubject(spec.sub ?? 'carol')
    .setIssuedAt(now)
    .setExpirationTime(spec.exp ?? now + 300);
  if (spec.nbf !== undefined) jwt.setNotBefore(spec.nbf);
  return jwt.sign((spec.key ?? good).privateKey);
}

async function authenticator(t: Test, extra: Record<string, unknown> = {}): Promise<{ auth: Authenticator; lines: Record<string, unknown>[]; oauth: OAuthConfig }> {
  const dir = await tempStateDir(t);
  const jwksFile = join(dir, 'jwks.json');
  await writeFile(jwksFile, JSON.stringify({ keys: [good.jwk] }));
  const config = parseAuthConfig(
    { oauth: { issuer: ISSUER, audience: AUDIENCE, scope: 'print', 'jwks-file': 'jwks.json', ...extra } },
    join(dir, 'board.json'),
  );
  const { log, lines } = jsonSinkLogger('trace');
  return { auth: await Authenticator.open({ config, log }), lines, oauth: config.oauth as OAuthConfig };
}

function facts(tok: string, secure = true): RequestFacts {
  return { authorization: `Bearer ${tok}`, secure, address: '198.51.100.4', authority: 'printer.local:8631' };
}

async function refusal(auth: Authenticator, tok: string): Promise<{ status: number; challenge: string }> {
  const r = await auth.check(facts(tok));
  if (r.ok) return { status: 200, challenge: '' };
  return { status: r.status, challenge: r.headers['WWW-Authenticate'] ?? '' };
}

t.test('a valid token authenticates its subject over TLS', async (t) => {
  const { auth } = await authenticator(t);
  t.same(await auth.check(facts(await token())), { ok: true, authenticated: { user: 'carol', isAdmin: false, method: 'oauth' } });
});

t.test('the admin scope makes the token user an administrator', async (t) => {
  const { auth } = await authenticator(t, { 'admin-scope': 'print-admin' });
  const r = await auth.check(facts(await token({ scope: 'print print-admin' })));
  t.same(r, { ok: true, authenticated: { user: 'carol', isAdmin: true, method: 'oauth' } });
});

t.test('an expired token is 401 invalid_token with the resource_metadata challenge', async (t) => {
  const { auth } = await authenticator(t);
  const r = await refusal(auth, await token({ exp: Math.floor(Date.now() / 1000) - 120 }));
  t.equal(r.status, 401);
  t.match(r.challenge, /Bearer resource_metadata="https:\/\/printer\.local:8631\/\.well-known\/oauth-protected-resource"/);
  t.match(r.challenge, /error="invalid_token"/);
  t.match(r.challenge, /expired/);
  t.match(r.challenge, /^Basic realm=/, 'Basic is offered beside Bearer');
});

t.test('a token expired within the clock leeway is still accepted', async (t) => {
  const { auth } = await authenticator(t);
  t.equal((await auth.check(facts(await token({ exp: Math.floor(Date.now() / 1000) - 5 })))).ok, true);
});

t.test('a token not valid yet is 401', async (t) => {
  const { auth } = await authenticator(t);
  t.equal((await refusal(auth, await token({ nbf: Math.floor(Date.now() / 1000) + 600 }))).status, 401);
});

t.test('a forged token (same kid, another key) is 401', async (t) => {
  const { auth } = await authenticator(t);
  const r = await refusal(auth, await token({ key: evil }));
  t.equal(r.status, 401);
  t.match(r.challenge, /signature/);
});

t.test('a token for another audience is 401', async (t) => {
  const { auth } = await authenticator(t);
  const r = await refusal(auth, await token({ aud: 'https://mail.example.test' }));
  t.equal(r.status, 401);
  t.match(r.challenge, /aud/);
});

t.test('a token from another issuer is 401', async (t) => {
  const { auth } = await authenticator(t);
  t.equal((await refusal(auth, await token({ iss: 'https://evil.example.test' }))).status, 401);
});

t.test('a token without the configured scope is 401 insufficient_scope', async (t) => {
  const { auth } = await authenticator(t);
  const r = await refusal(auth, await token({ scope: 'openid email' }));
  t.equal(r.status, 401);
  t.match(r.challenge, /error="insufficient_scope"/);
});

t.test('an unsigned (alg none) token is 401', async (t) => {
  const { auth } = await authenticator(t);
  const b64 = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${b64({ alg: 'none', typ: 'at+jwt' })}.${b64({ iss: ISSUER, aud: AUDIENCE, sub: 'x', scope: 'print', exp: now + 60 })}.`;
  t.equal((await refusal(auth, unsigned)).status, 401);
});

t.test('a Bearer token over plaintext is refused with 426 and not verified', async (t) => {
  const { auth } = await authenticator(t);
  const r = await auth.check(facts(await token(), false));
  t.equal(r.ok ? 200 : r.status, 426);
});

t.test('tokens never reach the log', async (t) => {
  const { auth, lines } = await authenticator(t);
  const toks = [await token({ key: evil }), await token({ scope: 'none' }), await token()];
  for (const tok of toks) await auth.check(facts(tok));
  await auth.check(facts(await token(), false));
  t.ok(lines.length > 0);
  const text = JSON.stringify(lines);
  for (const tok of toks) t.notOk(text.includes(tok.split('.')[2] ?? 'x'), 'no token signature in the log');
});

t.test('the RFC 9728 document names the issuer and scope, at the host and the resource path', async (t) => {
  const { oauth } = await authenticator(t);
  t.same(protectedResourceMetadata(PROTECTED_RESOURCE_PATH, 'p.local:631', oauth), {
    resource: 'https://p.local:631',
    authorization_servers: [ISSUER],
    scopes_supported: ['print'],
    bearer_methods_supported: ['header'],
    resource_name: 'ippbridge printer',
  });
  t.equal((protectedResourceMetadata(`${PROTECTED_RESOURCE_PATH}/ipp/print`, 'p.local:631', oauth) as { resource: string }).resource, 'https://p.local:631/ipp/print');
  t.equal(protectedResourceMetadata('/other', 'p.local:631', oauth), undefined);
});

t.test('a JWKS with a private key or no signing key is a config error', async (t) => {
  t.throws(() => publicKeys({ keys: [{ ...good.jwk, d: 'secret' }] }, 'x.json'), ConfigError);
  t.throws(() => publicKeys({ keys: [{ kty: 'oct', k: 'c2VjcmV0' }] }, 'x.json'), ConfigError);
  t.throws(() => publicKeys({ nokeys: true }, 'x.json'), ConfigError);
  t.equal(publicKeys({ keys: [good.jwk] }, 'x.json').keys.length, 1);
});

t.test('the oauth config needs an https issuer and exactly one key source', async (t) => {
  const base = { issuer: ISSUER, audience: 'a', scope: 'print' };
  t.throws(() => parseAuthConfig({ oauth: { ...base, issuer: 'http://x', jwks: { keys: [] } } }, '/b.json'), /https/);
  t.throws(() => parseAuthConfig({ oauth: base }, '/b.json'), /exactly one/);
  t.throws(() => parseAuthConfig({ oauth: { ...base, jwks: { keys: [] }, 'jwks-file': 'k.json' } }, '/b.json'), /exactly one/);
  t.throws(() => parseAuthConfig({ bogus: 1 }, '/b.json'), /not a known field/);
  const cfg = parseAuthConfig({ 'anonymous-printing': false, oauth: { ...base, 'jwks-file': 'k.json' } }, '/etc/ippbridge/b.json');
  t.equal(cfg.anonymousPrinting, false);
  t.same(cfg.oauth?.jwks, { file: '/etc/ippbridge/k.json' });
});
