// OAuth 2.0 Protected Resource Metadata (RFC 9728) for the printer and its Bearer challenge (RFC 6750 §3, RFC 9728 §5.1).
// SPDX-License-Identifier: Apache-2.0
import type { OAuthConfig } from './auth-config.js';

/** Well-known path of the metadata document (RFC 9728 §3). */
export const PROTECTED_RESOURCE_PATH = '/.well-known/oauth-protected-resource';
/** The printer resource; its own metadata lives at PROTECTED_RESOURCE_PATH + this (RFC 9728 §3.1 path insertion). */
const RESOURCE_PATH = '/ipp/print';

/** The metadata URL for a client that reached us at `authority` (host[:port]). */
export function resourceMetadataUrl(authority: string): string {
  return `https://${authority}${PROTECTED_RESOURCE_PATH}`;
}

/** The RFC 9728 document served at `path` (the host's or the printer resource's), or undefined for other paths. */
export function protectedResourceMetadata(path: string, authority: string, oauth: OAuthConfig): Record<string, unknown> | undefined {
  let resource: string;
  if (path === PROTECTED_RESOURCE_PATH) resource = `https://${authority}`;
  else if (path === `${PROTECTED_RESOURCE_PATH}${RESOURCE_PATH}`) resource = `https://${authority}${RESOURCE_PATH}`;
  else return undefined;
  const scopes = oauth.adminScope === undefined ? [oauth.scope] : [oauth.scope, oauth.adminScope];
  return {
    resource,
    authorization_servers: [oauth.issuer],
    scopes_supported: scopes,
    bearer_methods_supported: ['header'],
    resource_name: 'ippbridge printer',
  };
}

function quoted(value: string): string {
  return `"${value.replace(/["\\]/g, '')}"`;
}

/** `Bearer resource_metadata="…", scope="…"` plus error and error_description after a rejected token. */
export function bearerChallenge(authority: string, oauth: OAuthConfig, rejection?: { error: string; reason: string }): string {
  const parts = [`resource_metadata=${quoted(resourceMetadataUrl(authority))}`, `scope=${quoted(oauth.scope)}`];
  if (rejection) parts.push(`error=${quoted(rejection.error)}`, `error_description=${quoted(rejection.reason)}`);
  return `Bearer ${parts.join(', ')}`;
}
