// The bundle manifest (manifest.json: version, arch, every file with size and sha256) and its SHA256SUMS twin,
// which install.sh checks with `sha256sum -c` on the board.
// SPDX-License-Identifier: Apache-2.0
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { BoardArch } from './board-hardware.js';

/** One file of the bundle, path relative to the bundle's top folder. */
export interface ManifestFile {
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
}

/** manifest.json at the top of every bundle. */
export interface BundleManifest {
  readonly name: 'ippbridge';
  readonly version: string;
  readonly platform: 'linux';
  readonly arch: BoardArch;
  /** Node.js versions the bundle runs on (package.json engines.node) */
  readonly node: string;
  /** ISO 8601 build time */
  readonly built: string;
  readonly files: readonly ManifestFile[];
}

/** Files listed in neither the manifest nor SHA256SUMS (they describe the others). */
export const UNLISTED = new Set(['manifest.json', 'SHA256SUMS']);

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Every regular file under `dir` (symlinks are not followed), relative paths with '/' in code-point order. */
export async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) out.push(...(await listFiles(dir, rel)));
    else if (entry.isFile()) out.push(rel);
  }
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Hash every file under `dir` except the manifest and SHA256SUMS. */
export async function hashFiles(dir: string): Promise<ManifestFile[]> {
  const files: ManifestFile[] = [];
  for (const path of await listFiles(dir)) {
    if (UNLISTED.has(path)) continue;
    const full = join(dir, path);
    files.push({ path, size: (await lstat(full)).size, sha256: await sha256(full) });
  }
  return files;
}

/** SHA256SUMS text (`sha256sum` format) for the manifest's files plus manifest.json itself. */
export function sha256sums(files: readonly ManifestFile[], manifestSha256: string): string {
  return [...files, { path: 'manifest.json', sha256: manifestSha256 }].map((f) => `${f.sha256}  ${f.path}\n`).join('');
}

/** sha256 of a byte string, hex. */
export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
