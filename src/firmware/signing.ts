// Ed25519 signatures over a bundle's manifest.json (manifest.json.sig inside the bundle): key pairs, signing at
// build time, verification by the updater against the key installed at flash time (/etc/ippbridge/update.pub).
// SPDX-License-Identifier: Apache-2.0
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '../errors.js';

/** The signature file at the top of a signed bundle, next to manifest.json. */
export const SIGNATURE_FILE = 'manifest.json.sig';
/** The public key a signed bundle carries for install.sh to install when the board has none yet. */
export const BUNDLED_PUBLIC_KEY = 'firmware/update.pub';

/** manifest.json.sig: which key signed (its fingerprint) and the Ed25519 signature of manifest.json's bytes. */
export interface ManifestSignature {
  readonly algorithm: 'ed25519';
  readonly key: string;
  /** base64 */
  readonly signature: string;
}

/** sha256 of the key's SPKI DER, hex: the name of a key in messages and in manifest.json.sig. */
export function keyFingerprint(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256').update(pub.export({ type: 'spki', format: 'der' })).digest('hex');
}

/** A new Ed25519 key pair as PEM (PKCS#8 private, SPKI public). */
export function generateSigningKeyPair(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** Write `dir`/update.key (0600) and `dir`/update.pub; refuses to overwrite an existing private key. */
export async function writeSigningKeyPair(dir: string): Promise<{ privateFile: string; publicFile: string; fingerprint: string }> {
  const pair = generateSigningKeyPair();
  await mkdir(dir, { recursive: true });
  const privateFile = join(dir, 'update.key');
  const publicFile = join(dir, 'update.pub');
  try {
    await writeFile(privateFile, pair.privatePem, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    throw new ConfigError(`cannot create ${privateFile}: ${(err as Error).message} (an existing key is never overwritten)`, { code: 'ERR_USAGE', cause: err });
  }
  await writeFile(publicFile, pair.publicPem, { mode: 0o644 });
  return { privateFile, publicFile, fingerprint: keyFingerprint(createPublicKey(pair.publicPem)) };
}

async function readKeyText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read the ${what} ${file}: ${(err as Error).message}`, { file, cause: err });
  }
}

function requireEd25519(key: KeyObject, file: string): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') throw new ConfigError(`${file} is a ${String(key.asymmetricKeyType)} key, not Ed25519`, { file });
  return key;
}

/** Load an Ed25519 private key (PEM); ConfigError naming the file otherwise. */
export async function loadPrivateKey(file: string): Promise<KeyObject> {
  const text = await readKeyText(file, 'signing key');
  try {
    return requireEd25519(createPrivateKey(text), file);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(`${file} is not an unencrypted PEM private key`, { file, cause: err });
  }
}

/** Load an Ed25519 public key (PEM SPKI); ConfigError naming the file otherwise. */
export async function loadPublicKey(file: string): Promise<KeyObject> {
  const text = await readKeyText(file, 'update public key');
  try {
    return requireEd25519(createPublicKey(text), file);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(`${file} is not a PEM public key`, { file, cause: err });
  }
}

/** The manifest.json.sig text for `manifest` (the exact bytes of manifest.json). */
export function signManifest(manifest: Uint8Array, key: KeyObject): string {
  const sig: ManifestSignature = { algorithm: 'ed25519', key: keyFingerprint(key), signature: sign(null, manifest, key).toString('base64') };
  return `${JSON.stringify(sig, null, 2)}\n`;
}

function parseSignature(text: string): ManifestSignature {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${SIGNATURE_FILE} is not JSON`, { cause: err });
  }
  const o = typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>) : {};
  if (o['algorithm'] !== 'ed25519' || typeof o['key'] !== 'string' || typeof o['signature'] !== 'string') {
    throw new ConfigError(`${SIGNATURE_FILE} must hold {"algorithm": "ed25519", "key", "signature"}`);
  }
  return { algorithm: 'ed25519', key: o['key'], signature: o['signature'] };
}

/** Throw ConfigError unless `signatureText` is a valid signature of `manifest` by `key`. */
export function verifyManifest(manifest: Uint8Array, signatureText: string, key: KeyObject): void {
  const sig = parseSignature(signatureText);
  const trusted = keyFingerprint(key);
  if (sig.key !== trusted) throw new ConfigError(`the bundle is signed by key ${sig.key.slice(0, 16)}…, this board trusts ${trusted.slice(0, 16)}…`);
  const bytes = Buffer.from(sig.signature, 'base64');
  if (bytes.length !== 64 || !verify(null, manifest, key, bytes)) throw new ConfigError('the signature of manifest.json is not valid');
}
