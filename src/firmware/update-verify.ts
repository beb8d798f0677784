// Checking an update bundle before any slot is touched: the Ed25519 signature of manifest.json (read from the
// tarball first), then the whole tree unpacked into a staging folder, every file's size and sha256 against the
// manifest, and nothing unlisted. Any failure removes the staging folder and throws ConfigError.
// SPDX-License-Identifier: Apache-2.0
import { execFile } from 'node:child_process';
import type { KeyObject } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ConfigError } from '../errors.js';
import { BOARD_ARCHES } from './board-hardware.js';
import { hashFiles, UNLISTED, type BundleManifest, type ManifestFile } from './manifest.js';
import { SIGNATURE_FILE, verifyManifest } from './signing.js';

const run = promisify(execFile);

/** A bundle whose signature and files were checked, unpacked at `dir`. */
export interface VerifiedBundle {
  readonly dir: string;
  readonly manifest: BundleManifest;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseFile(v: unknown): ManifestFile {
  if (!isRecord(v) || typeof v['path'] !== 'string' || typeof v['size'] !== 'number' || typeof v['sha256'] !== 'string') {
    throw new ConfigError('manifest.json: a files entry lacks path, size or sha256');
  }
  const path = v['path'];
  if (path.startsWith('/') || path.split('/').some((p) => p === '..' || p === '' || p === '.')) throw new ConfigError(`manifest.json: unsafe path ${path}`);
  return { path, size: v['size'], sha256: v['sha256'] };
}

/** Validate a (signed) manifest.json document. */
export function parseManifest(text: string): BundleManifest {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new ConfigError('manifest.json is not JSON', { cause: err });
  }
  if (!isRecord(doc) || doc['name'] !== 'ippbridge' || doc['platform'] !== 'linux' || typeof doc['version'] !== 'string') {
    throw new ConfigError('manifest.json is not an ippbridge linux bundle manifest');
  }
  const arch = doc['arch'];
  if (typeof arch !== 'string' || !(BOARD_ARCHES as readonly string[]).includes(arch)) throw new ConfigError(`manifest.json: unknown arch ${String(arch)}`);
  if (!Array.isArray(doc['files'])) throw new ConfigError('manifest.json has no files list');
  return {
    name: 'ippbridge',
    version: doc['version'],
    platform: 'linux',
    arch: arch as BundleManifest['arch'],
    node: typeof doc['node'] === 'string' ? doc['node'] : '',
    built: typeof doc['built'] === 'string' ? doc['built'] : '',
    files: doc['files'].map(parseFile),
  };
}

/** Extract only the top folder's manifest.json and manifest.json.sig of `bundle` into `dir`. */
async function extractSigned(bundle: string, dir: string): Promise<{ manifest: Buffer; signature: string }> {
  await mkdir(dir, { recursive: true });
  const args = ['-xzf', bundle, '-C', dir, '--no-same-owner', '--wildcards', '--no-wildcards-match-slash'];
  await run('tar', [...args, '*/manifest.json', `*/${SIGNATURE_FILE}`]).catch(async (err: unknown) => {
    const hasManifest = await run('tar', [...args, '*/manifest.json']).then(() => true, () => false);
    throw new ConfigError(hasManifest ? `${bundle} is not signed (no ${SIGNATURE_FILE}): build it with --sign-key` : `${bundle} is not an ippbridge bundle (no manifest.json)`, { cause: err });
  });
  const tops = await readdir(dir);
  if (tops.length !== 1 || tops[0] === undefined) throw new ConfigError(`${bundle} must hold exactly one top folder`);
  return { manifest: await readFile(join(dir, tops[0], 'manifest.json')), signature: await readFile(join(dir, tops[0], SIGNATURE_FILE), 'utf8') };
}

/** Every entry under `dir` that is neither a regular file nor a folder (symlinks, devices), relative. */
async function oddEntries(dir: string, prefix = ''): Promise<string[]> {
  const odd: string[] = [];
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) odd.push(...(await oddEntries(dir, rel)));
    else if (!entry.isFile()) odd.push(rel);
  }
  return odd;
}

/** Compare the unpacked tree with the manifest: same files, same sizes and hashes. */
async function checkTree(dir: string, manifest: BundleManifest): Promise<void> {
  const odd = await oddEntries(dir);
  if (odd.length > 0) throw new ConfigError(`the bundle holds entries that are not regular files: ${odd.slice(0, 3).join(', ')}`);
  const actual = new Map((await hashFiles(dir)).filter((f) => f.path !== SIGNATURE_FILE).map((f) => [f.path, f]));
  for (const want of manifest.files) {
    const got = actual.get(want.path);
    if (got === undefined) throw new ConfigError(`${want.path} is listed in manifest.json but missing from the bundle`);
    if (got.size !== want.size || got.sha256 !== want.sha256) throw new ConfigError(`${want.path} does not match its sha256 in manifest.json (tampered or damaged)`);
    actual.delete(want.path);
  }
  const extra = [...actual.keys()].filter((p) => !UNLISTED.has(p));
  if (extra.length > 0) throw new ConfigError(`the bundle holds files manifest.json does not list: ${extra.slice(0, 3).join(', ')}`);
}

/**
 * Verify `bundle` against the trusted `key` and unpack it into a new folder under `stagingParent` (same file system
 * as the slots). The signature is checked before anything but the manifest is unpacked.
 */
export async function verifyBundle(bundle: string, key: KeyObject, stagingParent: string): Promise<VerifiedBundle> {
  await mkdir(stagingParent, { recursive: true });
  const work = await mkdtemp(join(stagingParent, '.incoming-'));
  try {
    const signed = await extractSigned(bundle, join(work, 'sig'));
    verifyManifest(signed.manifest, signed.signature, key);
    const manifest = parseManifest(signed.manifest.toString('utf8'));
    const unpacked = join(work, 'tree');
    await mkdir(unpacked);
    await run('tar', ['-xzf', bundle, '-C', unpacked, '--no-same-owner', '--strip-components=1'], { maxBuffer: 16 << 20 });
    const inTree = await readFile(join(unpacked, 'manifest.json'));
    if (!inTree.equals(signed.manifest)) throw new ConfigError('the bundle holds more than one manifest.json');
    await checkTree(unpacked, manifest);
    const dir = join(stagingParent, `.verified-${process.pid}-${Date.now()}`);
    await rename(unpacked, dir);
    return { dir, manifest };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
