// The authorization server's public keys (a local JWK Set, inline or in a file) for verifying Bearer tokens.
// A file is re-read when it changes, so keys can be rotated without a restart. Only public asymmetric keys count.
// SPDX-License-Identifier: Apache-2.0
import { readFile, stat } from 'node:fs/promises';
import { createLocalJWKSet, type JSONWebKeySet, type JWK, type JWTVerifyGetKey } from 'jose';
import { ConfigError } from '../errors.js';
import type { JwksSource } from './auth-config.js';

/** How often (at most) the JWKS file is checked for changes. */
const RELOAD_CHECK_MS = 5000;
const PUBLIC_KEY_TYPES = new Set(['RSA', 'EC', 'OKP']);
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'] as const;

/** Keep the public asymmetric keys of a JWK Set; throws ConfigError when none is left or private parts are present. */
export function publicKeys(doc: unknown, where: string): JSONWebKeySet {
  const list = typeof doc === 'object' && doc !== null ? (doc as { keys?: unknown }).keys : undefined;
  if (!Array.isArray(list)) throw new ConfigError(`${where} is not a JWK Set ({"keys": [...]})`, { file: where });
  const keys: JWK[] = [];
  for (const k of list) {
    if (typeof k !== 'object' || k === null) continue;
    const jwk = k as JWK;
    if (PRIVATE_MEMBERS.some((m) => m in jwk)) {
      throw new ConfigError(`${where} holds a private or symmetric key: give the printer public keys only`, { file: where });
    }
    if (typeof jwk.kty === 'string' && PUBLIC_KEY_TYPES.has(jwk.kty) && (jwk.use === undefined || jwk.use === 'sig')) keys.push(jwk);
  }
  if (keys.length === 0) throw new ConfigError(`${where} has no public signing key (RSA, EC or OKP)`, { file: where });
  return { keys };
}

/** The verification key lookup for jwtVerify, following changes of a JWKS file. */
export class LocalKeys {
  readonly #source: JwksSource;
  #getKey: JWTVerifyGetKey;
  #stamp = '';
  #checkedAt = 0;

  private constructor(source: JwksSource, set: JSONWebKeySet, stamp: string) {
    this.#source = source;
    this.#getKey = createLocalJWKSet(set);
    this.#stamp = stamp;
    this.#checkedAt = Date.now();
  }

  /** Load the keys; throws ConfigError when the file is missing or holds no usable key. */
  static async load(source: JwksSource): Promise<LocalKeys> {
    if ('set' in source) return new LocalKeys(source, publicKeys(source.set, 'auth.oauth.jwks'), '');
    const { set, stamp } = await readKeyFile(source.file);
    return new LocalKeys(source, set, stamp);
  }

  /** The key lookup, after re-reading a changed file (a broken new file keeps the old keys). */
  async current(): Promise<JWTVerifyGetKey> {
    const source = this.#source;
    if ('file' in source && Date.now() - this.#checkedAt >= RELOAD_CHECK_MS) {
      this.#checkedAt = Date.now();
      const stamp = await fileStamp(source.file);
      if (stamp !== this.#stamp) {
        try {
          const loaded = await readKeyFile(source.file);
          this.#getKey = createLocalJWKSet(loaded.set);
          this.#stamp = loaded.stamp;
        } catch {
          this.#stamp = stamp;
        }
      }
    }
    return this.#getKey;
  }
}

async function fileStamp(file: string): Promise<string> {
  try {
    const s = await stat(file);
    return `${s.ino}:${s.size}:${s.mtimeMs}`;
  } catch {
    return '';
  }
}

async function readKeyFile(file: string): Promise<{ set: JSONWebKeySet; stamp: string }> {
  const stamp = await fileStamp(file);
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`cannot read the JWK Set ${file}: ${(err as Error).message}`, { file, cause: err });
  }
  return { set: publicKeys(doc, file), stamp };
}
