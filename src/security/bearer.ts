// OAuth 2.0 Bearer tokens (RFC 6750) for IPP (PWG 5100.23): JWT access tokens (RFC 9068) verified locally against the
// configured keys — signature, issuer, audience, exp/nbf with a small leeway, and the configured scope.
// SPDX-License-Identifier: Apache-2.0
import { errors, jwtVerify, type JWTPayload } from 'jose';
import type { OAuthConfig } from './auth-config.js';
import { authScheme } from './basic-auth.js';
import { LocalKeys } from './jwks.js';

/** Clock difference tolerated on exp and nbf, in seconds. */
export const CLOCK_LEEWAY_S = 30;
/** Asymmetric algorithms accepted (RFC 9068 §2.1 requires RS256 support; "none" and HMAC never). */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];
/** Access-token `typ` values taken (RFC 9068 §2.1 says at+jwt; many servers still write JWT or nothing). */
const TYPES = new Set(['at+jwt', 'application/at+jwt', 'jwt']);
const MAX_TOKEN = 8192;

/** A verified token's user. */
export interface BearerIdentity {
  readonly user: string;
  readonly scopes: readonly string[];
  readonly isAdmin: boolean;
}

/** Why a token was refused, for the `error_description` of the challenge (RFC 6750 §3). Never contains the token. */
export class BearerRejection {
  readonly reason: string;
  /** RFC 6750 §3.1 error code */
  readonly error: 'invalid_token' | 'insufficient_scope';
  constructor(error: 'invalid_token' | 'insufficient_scope', reason: string) {
    this.error = error;
    this.reason = reason;
  }
}

/** The token of `Authorization: Bearer <token>` (RFC 6750 §2.1), or undefined. */
export function parseBearer(header: string | undefined): string | undefined {
  if (header === undefined || authScheme(header) !== 'bearer') return undefined;
  const token = header.trim().slice(6).trim();
  return token.length > 0 && token.length <= MAX_TOKEN && /^[A-Za-z0-9\-._~+/]+=*$/.test(token) ? token : undefined;
}

function scopesOf(payload: JWTPayload): string[] {
  const scope = payload['scope'];
  if (typeof scope === 'string') return scope.split(' ').filter((s) => s !== '');
  const scp = payload['scp'];
  if (Array.isArray(scp)) return scp.filter((s): s is string => typeof s === 'string');
  return [];
}

function describe(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'token expired';
  if (err instanceof errors.JWTClaimValidationFailed) return `token ${err.claim} claim rejected`;
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'token signature invalid';
  if (err instanceof errors.JWKSNoMatchingKey) return 'token signed with an unknown key';
  if (err instanceof errors.JOSEAlgNotAllowed) return 'token algorithm not allowed';
  if (err instanceof errors.JWTInvalid || err instanceof errors.JWSInvalid) return 'token malformed';
  return 'token rejected';
}

/** Verifies Bearer tokens for one OAuth configuration. */
export class BearerVerifier {
  readonly config: OAuthConfig;
  readonly #keys: LocalKeys;

  private constructor(config: OAuthConfig, keys: LocalKeys) {
    this.config = config;
    this.#keys = keys;
  }

  /** Load the keys of `config`; throws ConfigError when they cannot be used. */
  static async open(config: OAuthConfig): Promise<BearerVerifier> {
    return new BearerVerifier(config, await LocalKeys.load(config.jwks));
  }

  /** The identity a token proves, or a BearerRejection saying why not. */
  async verify(token: string): Promise<BearerIdentity | BearerRejection> {
    let payload: JWTPayload;
    try {
      const result = await jwtVerify(token, await this.#keys.current(), {
        issuer: this.config.issuer,
        audience: this.config.audience,
        algorithms: ALGORITHMS,
        clockTolerance: CLOCK_LEEWAY_S,
        requiredClaims: ['exp', 'iss', 'aud'],
      });
      payload = result.payload;
      const typ = result.protectedHeader.typ?.toLowerCase();
      if (typ !== undefined && !TYPES.has(typ)) return new BearerRejection('invalid_token', 'token is not an access token');
    } catch (err) {
      return new BearerRejection('invalid_token', describe(err));
    }
    const scopes = scopesOf(payload);
    if (!scopes.includes(this.config.scope)) return new BearerRejection('insufficient_scope', `token lacks scope ${this.config.scope}`);
    const user = payload[this.config.userClaim];
    if (typeof user !== 'string' || user.length === 0 || user.length > 255) {
      return new BearerRejection('invalid_token', `token has no ${this.config.userClaim} claim`);
    }
    const adminScope = this.config.adminScope;
    return { user, scopes, isAdmin: adminScope !== undefined && scopes.includes(adminScope) };
  }
}
