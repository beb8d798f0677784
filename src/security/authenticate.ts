// Per-request authentication, session-free (security.md §4, §8): Basic against the user store and OAuth Bearer
// tokens, both only over TLS; failures throttled per address. The web pages reuse `check` for their logins.
// SPDX-License-Identifier: Apache-2.0
import { createHmac, randomBytes } from 'node:crypto';
import { pino, type Logger } from 'pino';
import { constantTimeEqual } from './constant-time.js';
import { DEFAULT_AUTH, type AuthConfig } from './auth-config.js';
import { authScheme, basicChallenge, parseBasic } from './basic-auth.js';
import { BearerRejection, BearerVerifier, parseBearer } from './bearer.js';
import { bearerChallenge } from './oauth-metadata.js';
import { FailureLimiter } from './rate-limit.js';
import { UPGRADE_REQUIRED_HEADER } from './policy.js';
import type { UserStore } from './users.js';
import type { AuthAdvertisement } from '../printer/description.js';

/** How a client proved who it is. */
export type AuthMethod = 'none' | 'requesting-user-name' | 'basic' | 'oauth';

/** A verified identity. */
export interface Authenticated {
  readonly user: string;
  readonly isAdmin: boolean;
  readonly method: 'basic' | 'oauth';
}

/** What the check needs to know about one request. */
export interface RequestFacts {
  /** the Authorization header, if any */
  readonly authorization: string | undefined;
  /** the connection is TLS */
  readonly secure: boolean;
  /** the client's IP address (no port) */
  readonly address: string;
  /** host[:port] the client used, for URLs in challenges */
  readonly authority: string;
}

/** The outcome of a check: an identity (or none), or an HTTP refusal to send as it is. */
export type AuthResult =
  | { readonly ok: true; readonly authenticated: Authenticated | undefined }
  | { readonly ok: false; readonly status: 401 | 426 | 429; readonly headers: Readonly<Record<string, string>>; readonly reason: string };

/** What the IPP dispatcher needs for identities and access decisions. */
export interface RequestAuth {
  readonly authenticated: Authenticated | undefined;
  /** the client is on loopback */
  readonly isLocal: boolean;
  readonly policy: AuthConfig;
  /** WWW-Authenticate for an HTTP 401 on this connection; undefined where 401 cannot be used (plaintext) */
  readonly challenge: string | undefined;
  /** whether `name` is an account of the user store (claimed without proof, it does not count) */
  isRegistered(name: string): boolean;
}

/** A verified password is remembered this long, so scrypt runs once per client and not per request. */
const VERIFIED_TTL_MS = 10 * 60_000;
const MAX_VERIFIED = 256;

/** True for 127.0.0.0/8, ::1 and their IPv4-mapped forms. */
export function isLoopback(address: string): boolean {
  const bare = address.startsWith('::ffff:') ? address.slice(7) : address;
  return bare === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}

/** Options for Authenticator.open. */
export interface AuthenticatorOptions {
  readonly config?: AuthConfig;
  /** the user store for Basic; without one Basic never succeeds */
  readonly users?: UserStore;
  readonly limiter?: FailureLimiter;
  readonly log?: Logger;
}

/** Checks the credentials of requests for one printer. */
export class Authenticator {
  readonly config: AuthConfig;
  readonly #users: UserStore | undefined;
  readonly #bearer: BearerVerifier | undefined;
  readonly #limiter: FailureLimiter;
  readonly #log: Logger;
  readonly #macKey = randomBytes(32);
  readonly #verified = new Map<string, { mac: Buffer; hash: string; until: number }>();

  private constructor(config: AuthConfig, users: UserStore | undefined, bearer: BearerVerifier | undefined, opts: AuthenticatorOptions) {
    this.config = config;
    this.#users = users;
    this.#bearer = bearer;
    this.#limiter = opts.limiter ?? new FailureLimiter();
    this.#log = opts.log ?? pino({ level: 'silent' });
  }

  /** Build an authenticator; loads the OAuth keys (ConfigError when unusable). */
  static async open(opts: AuthenticatorOptions = {}): Promise<Authenticator> {
    const config = opts.config ?? DEFAULT_AUTH;
    const bearer = config.oauth ? await BearerVerifier.open(config.oauth) : undefined;
    return new Authenticator(config, opts.users, bearer, opts);
  }

  /** Names only: no user store, no OAuth, the default policy (the HTTP server's fallback when none is wired in). */
  static namesOnly(config: AuthConfig = { ...DEFAULT_AUTH, oauth: undefined }): Authenticator {
    return new Authenticator(config, undefined, undefined, {});
  }

  /**
   * What the printer attributes say (security.md §6): ipp is always requesting-user-name; ipps says oauth when OAuth
   * is configured, basic when printing needs a login, else requesting-user-name (Basic still answers 401 challenges).
   */
  advertisement(): AuthAdvertisement {
    const oauth = this.config.oauth;
    const secure = oauth ? 'oauth' : !this.config.anonymousPrinting && this.#users ? 'basic' : 'requesting-user-name';
    return {
      secure,
      plain: 'requesting-user-name',
      jobPrivacy: this.config.jobPrivacy,
      ...(oauth ? { oauth: { serverUri: oauth.authorizationServerUri, scope: oauth.scope } } : {}),
    };
  }

  /** Every challenge this printer offers over TLS, as one WWW-Authenticate value. */
  challenge(authority: string, rejection?: BearerRejection): string {
    const values = [basicChallenge(this.config.realm)];
    if (this.config.oauth) values.push(bearerChallenge(authority, this.config.oauth, rejection));
    return values.join(', ');
  }

  /** Whether `name` is a user of the store. */
  isRegistered(name: string): boolean {
    return this.#users?.get(name) !== undefined;
  }

  /** The dispatcher's view of a checked request. */
  requestAuth(facts: RequestFacts, authenticated: Authenticated | undefined): RequestAuth {
    return {
      authenticated,
      isLocal: isLoopback(facts.address),
      policy: this.config,
      challenge: facts.secure ? this.challenge(facts.authority) : undefined,
      isRegistered: (name) => this.isRegistered(name),
    };
  }

  /** Check a request's credentials. No Authorization header is fine here: whether the operation needs one is decided later. */
  async check(facts: RequestFacts): Promise<AuthResult> {
    const header = facts.authorization;
    if (header === undefined || header.trim() === '') return { ok: true, authenticated: undefined };
    const scheme = authScheme(header) ?? '';
    // Credentials sent in the clear are never checked (security.md §6: never Basic over plaintext).
    if (!facts.secure) {
      this.#log.info({ scheme, address: facts.address }, 'credentials refused over plaintext');
      return {
        ok: false,
        status: 426,
        headers: { Upgrade: UPGRADE_REQUIRED_HEADER, Connection: 'Upgrade' },
        reason: 'Credentials are accepted only over TLS: use ipps:// (or https://).',
      };
    }
    const wait = this.#limiter.retryAfter(facts.address);
    if (wait > 0) {
      this.#log.warn({ address: facts.address }, 'authentication throttled');
      return { ok: false, status: 429, headers: { 'Retry-After': String(wait) }, reason: 'Too many failed logins; try again later.' };
    }
    const result = scheme === 'basic' ? await this.#basic(header) : scheme === 'bearer' ? await this.#bearerCheck(header) : undefined;
    if (result !== undefined && !(result instanceof BearerRejection)) return { ok: true, authenticated: result };
    this.#limiter.fail(facts.address);
    this.#log.info({ scheme, address: facts.address, reason: result?.reason ?? 'bad credentials' }, 'authentication failed');
    return {
      ok: false,
      status: 401,
      headers: { 'WWW-Authenticate': this.challenge(facts.authority, result instanceof BearerRejection ? result : undefined) },
      reason: result instanceof BearerRejection ? `Bearer ${result.reason}.` : 'Wrong user name or password.',
    };
  }

  async #basic(header: string): Promise<Authenticated | undefined> {
    const creds = parseBasic(header);
    if (!creds || !this.#users) return undefined;
    await this.#users.refresh();
    const stored = this.#users.get(creds.user);
    const mac = createHmac('sha256', this.#macKey).update(creds.password).digest();
    const hit = this.#verified.get(creds.user);
    if (stored && hit && hit.hash === stored.hash && hit.until > Date.now() && constantTimeEqual(hit.mac, mac)) {
      return { user: stored.name, isAdmin: stored.isAdmin, method: 'basic' };
    }
    const user = await this.#users.verify(creds.user, creds.password);
    if (!user) return undefined;
    if (this.#verified.size >= MAX_VERIFIED) this.#verified.clear();
    this.#verified.set(user.name, { mac, hash: user.hash, until: Date.now() + VERIFIED_TTL_MS });
    return { user: user.name, isAdmin: user.isAdmin, method: 'basic' };
  }

  async #bearerCheck(header: string): Promise<Authenticated | BearerRejection | undefined> {
    const token = parseBearer(header);
    if (!this.#bearer) return undefined;
    if (token === undefined) return new BearerRejection('invalid_token', 'token malformed');
    const result = await this.#bearer.verify(token);
    if (result instanceof BearerRejection) return result;
    return { user: result.user, isAdmin: result.isAdmin, method: 'oauth' };
  }
}

/** The dispatcher's view when no Authenticator is wired in: names only, loopback clients administer. */
export function anonymousRequestAuth(remote: string): RequestAuth {
  const colon = remote.lastIndexOf(':');
  const address = colon > 0 ? remote.slice(0, colon) : remote;
  return { authenticated: undefined, isLocal: isLoopback(address), policy: DEFAULT_AUTH, challenge: undefined, isRegistered: () => false };
}
