// The installed production dependency tree (npm ls --omit=dev) and fetching a package tarball at build time
// (npm pack into a cache, checked against the lockfile's integrity) for a native part the host did not install.
// SPDX-License-Identifier: Apache-2.0
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { ConfigError } from '../errors.js';

const run = promisify(execFile);

/** npm's own command (npm-cli.js next to this Node when npm_execpath says so, else `npm` on PATH). */
export function npmCommand(): { file: string; prefix: string[] } {
  const cli = process.env['npm_execpath'];
  return cli !== undefined && cli.endsWith('.js') ? { file: process.execPath, prefix: [cli] } : { file: 'npm', prefix: [] };
}

/** Folders (relative to `root`, e.g. `node_modules/pino`) of every production package installed under `root`. */
export async function productionPackages(root: string): Promise<string[]> {
  const npm = npmCommand();
  let stdout: string;
  try {
    ({ stdout } = await run(npm.file, [...npm.prefix, 'ls', '--omit=dev', '--all', '--parseable'], { cwd: root, maxBuffer: 16 << 20 }));
  } catch (err) {
    throw new ConfigError(`npm ls --omit=dev failed in ${root}: the installed tree does not match package.json (run npm ci)`, { cause: err });
  }
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => relative(root, line.trim()))
    .filter((dir) => dir !== '' && dir.startsWith('node_modules'));
}

/** The lockfile's `integrity` for an installed package path such as `node_modules/@node-usb/usb-linux-arm64-gnu`. */
export async function lockIntegrity(root: string, packagePath: string): Promise<string | undefined> {
  const lock: unknown = JSON.parse(await readFile(join(root, 'package-lock.json'), 'utf8'));
  const entry = (lock as { packages?: Record<string, { integrity?: unknown }> }).packages?.[packagePath];
  return typeof entry?.integrity === 'string' ? entry.integrity : undefined;
}

/** `dist.integrity` of `name@version` as the npm registry publishes it (`npm view`); ConfigError when unreachable. */
export async function registryIntegrity(name: string, version: string): Promise<string> {
  const npm = npmCommand();
  let stdout: string;
  try {
    ({ stdout } = await run(npm.file, [...npm.prefix, 'view', `${name}@${version}`, 'dist.integrity', '--json'], { maxBuffer: 1 << 20 }));
  } catch (err) {
    throw new ConfigError(`npm view ${name}@${version} dist.integrity failed (the registry is needed once per version)`, { cause: err });
  }
  const value: unknown = JSON.parse(stdout.trim() === '' ? '""' : stdout);
  if (typeof value !== 'string' || !/^sha(1|256|384|512)-/.test(value)) throw new ConfigError(`the registry has no integrity for ${name}@${version}`);
  return value;
}

/** Whether `data` matches one of the SRI digests in `integrity`. */
export function matchesIntegrity(data: Buffer, integrity: string): boolean {
  return integrity.split(/\s+/).some((sri) => {
    const [algo, digest] = sri.split('-', 2);
    if (algo === undefined || digest === undefined || !['sha512', 'sha384', 'sha256', 'sha1'].includes(algo)) return false;
    return createHash(algo).update(data).digest('base64') === digest;
  });
}

/**
 * The tarball of `name@version` in `cacheDir`, packed from the npm registry when not cached yet; ConfigError when its
 * digest does not match `integrity` (from package-lock.json or the registry).
 */
export async function packedTarball(name: string, version: string, integrity: string | undefined, cacheDir: string): Promise<string> {
  await mkdir(cacheDir, { recursive: true });
  const file = join(cacheDir, `${name.replace(/^@/, '').replace(/\//g, '-')}-${version}.tgz`);
  const cached = await stat(file).then(() => true, () => false);
  if (!cached) {
    const npm = npmCommand();
    try {
      await run(npm.file, [...npm.prefix, 'pack', `${name}@${version}`, '--pack-destination', cacheDir, '--silent'], { cwd: cacheDir, maxBuffer: 4 << 20 });
    } catch (err) {
      throw new ConfigError(`npm pack ${name}@${version} failed (the target's native package comes from the npm registry at build time)`, { cause: err });
    }
  }
  if (integrity !== undefined && !matchesIntegrity(await readFile(file), integrity)) {
    throw new ConfigError(`${file} does not match the recorded integrity of ${name}@${version}`);
  }
  return file;
}
