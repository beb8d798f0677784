// The board config's `auth` object (board-configs/README.md): who may print, who is an administrator, job privacy
// and the optional OAuth 2.0 resource-server settings (PWG 5100.23).
// SPDX-License-Identifier: Apache-2.0
import { dirname, resolve } from 'node:path';
import type { JSONWebKeySet } from 'jose';
import { ConfigError } from '../errors.js';

/** Where the authorization server's public keys come from. */
export type JwksSource = { readonly file: string } | { readonly set: JSONWebKeySet };

/** OAuth 2.0 Bearer token validation (JWT access tokens, RFC 9068) against local keys. */
export interface OAuthConfig {
  /** `iss` the tokens must carry; also the authorization server in the RFC 9728 metadata */
  readonly issuer: string;
  /** `aud` the tokens must contain */
  readonly audience: string;
  /** scope a token must grant to use the printer; oauth-authorization-scope */
  readonly scope: string;
  /** scope that makes the token's user an administrator; none when undefined */
  readonly adminScope: string | undefined;
  /** claim naming the user (default `sub`) */
  readonly userClaim: string;
  /** oauth-authorization-server-uri (default: the issuer) */
  readonly authorizationServerUri: string;
  readonly jwks: JwksSource;
}

/** Authentication and access-control settings. */
export interface AuthConfig {
  /** Print-Job/Create-Job/Validate-Job without credentials (default true) */
  readonly anonymousPrinting: boolean;
  /** loopback clients are administrators without credentials (default true, as PAPPL) */
  readonly localAdmin: boolean;
  /** hide job-name and job-originating-user-name of other users' jobs (default true) */
  readonly jobPrivacy: boolean;
  /** realm of the Basic challenge */
  readonly realm: string;
  readonly oauth: OAuthConfig | undefined;
}

/** The settings when the board config has no `auth` object: an open printer, admin from loopback or a login. */
export const DEFAULT_AUTH: AuthConfig = { anonymousPrinting: true, localAdmin: true, jobPrivacy: true, realm: 'ippbridge', oauth: undefined };

const AUTH_KEYS = new Set(['anonymous-printing', 'local-admin', 'job-privacy', 'realm', 'oauth']);
const OAUTH_KEYS = new Set(['issuer', 'audience', 'scope', 'admin-scope', 'user-claim', 'authorization-server-uri', 'jwks-file', 'jwks']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fail(message: string, file: string, pointer: string): never {
  throw new ConfigError(`${pointer} ${message}`, { file, pointer });
}

function checkKeys(obj: Record<string, unknown>, allowed: Set<string>, file: string, pointer: string): void {
  for (const key of Object.keys(obj)) if (!allowed.has(key)) fail('is not a known field', file, `${pointer}/${key}`);
}

function bool(obj: Record<string, unknown>, key: string, fallback: boolean, file: string): boolean {
  const v = obj[key] ?? fallback;
  if (typeof v !== 'boolean') fail('must be true or false', file, `/auth/${key}`);
  return v;
}

function text(obj: Record<string, unknown>, key: string, file: string, pointer: string, pattern = /^[\x21-\x7e]{1,255}$/): string {
  const v = obj[key];
  if (typeof v !== 'string' || !pattern.test(v)) fail('must be a non-empty string without spaces', file, `${pointer}/${key}`);
  return v;
}

function httpsUrl(obj: Record<string, unknown>, key: string, file: string): string {
  const v = text(obj, key, file, '/auth/oauth');
  if (!URL.canParse(v) || new URL(v).protocol !== 'https:') fail('must be an https URL', file, `/auth/oauth/${key}`);
  return v;
}

function parseOAuth(v: unknown, file: string): OAuthConfig {
  if (!isRecord(v)) fail('must be an object', file, '/auth/oauth');
  checkKeys(v, OAUTH_KEYS, file, '/auth/oauth');
  const issuer = httpsUrl(v, 'issuer', file);
  let jwks: JwksSource;
  if ((v['jwks-file'] === undefined) === (v['jwks'] === undefined)) fail('needs exactly one of "jwks-file" and "jwks"', file, '/auth/oauth');
  if (v['jwks'] !== undefined) {
    const inline = v['jwks'];
    if (!isRecord(inline) || !Array.isArray(inline['keys'])) fail('must be a JWK Set ({"keys": [...]})', file, '/auth/oauth/jwks');
    jwks = { set: inline as unknown as JSONWebKeySet };
  } else {
    jwks = { file: resolve(dirname(file), text(v, 'jwks-file', file, '/auth/oauth', /^.{1,4096}$/)) };
  }
  return {
    issuer,
    audience: text(v, 'audience', file, '/auth/oauth'),
    scope: text(v, 'scope', file, '/auth/oauth'),
    adminScope: v['admin-scope'] === undefined ? undefined : text(v, 'admin-scope', file, '/auth/oauth'),
    userClaim: v['user-claim'] === undefined ? 'sub' : text(v, 'user-claim', file, '/auth/oauth'),
    authorizationServerUri: v['authorization-server-uri'] === undefined ? issuer : httpsUrl(v, 'authorization-server-uri', file),
    jwks,
  };
}

/** Validate the `auth` object of a board config (undefined gives DEFAULT_AUTH). */
export function parseAuthConfig(v: unknown, file: string): AuthConfig {
  if (v === undefined) return DEFAULT_AUTH;
  if (!isRecord(v)) fail('must be an object', file, '/auth');
  checkKeys(v, AUTH_KEYS, file, '/auth');
  const realm = v['realm'] ?? DEFAULT_AUTH.realm;
  if (typeof realm !== 'string' || !/^[\x20-\x7e]{1,63}$/.test(realm) || /["\\]/.test(realm)) {
    fail('must be 1-63 printable ASCII characters without quotes or backslashes', file, '/auth/realm');
  }
  return {
    anonymousPrinting: bool(v, 'anonymous-printing', true, file),
    localAdmin: bool(v, 'local-admin', true, file),
    jobPrivacy: bool(v, 'job-privacy', true, file),
    realm,
    oauth: v['oauth'] === undefined ? undefined : parseOAuth(v['oauth'], file),
  };
}
