// Builds ippbridge-<version>-linux-<arch>.tar.gz: compiled JS, production node_modules with only the target arch's
// native parts, board configs, unit, udev rules, installer, manifest.json and SHA256SUMS.
// SPDX-License-Identifier: Apache-2.0
import { execFile, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { chmod, cp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createGzip } from 'node:zlib';
import { ConfigError } from '../errors.js';
import type { BoardArch } from './board-hardware.js';
import { hashFiles, listFiles, sha256Hex, sha256sums, type BundleManifest } from './manifest.js';
import { ARCH_NAMES, elfMachine, keepPrebuild, napiPlatformPackages, type PackageJson } from './native-parts.js';
import { lockIntegrity, packedTarball, productionPackages } from './npm-tree.js';
import { stageNode } from './bundle-node.js';
import { BUNDLED_PUBLIC_KEY, SIGNATURE_FILE, keyFingerprint, loadPrivateKey, signManifest } from './signing.js';
import { createPublicKey } from 'node:crypto';

const run = promisify(execFile);

/** What to build. */
export interface BundleOptions {
  /** project root (package.json, dist/, node_modules/) */
  readonly root: string;
  readonly arch: BoardArch;
  readonly outDir: string;
  /** where `npm pack`ed native packages are kept between builds */
  readonly cacheDir: string;
  /** one line per step */
  readonly progress: (line: string) => void;
  /** leave out node/bin/node (the board brings its own Node.js >= 20.3); default false */
  readonly noNode?: boolean;
  /** Ed25519 private key (PEM): sign manifest.json (manifest.json.sig) and ship the public key as firmware/update.pub */
  readonly signKey?: string;
}

/** The built bundle. */
export interface BundleResult {
  readonly file: string;
  readonly bytes: number;
  readonly manifest: BundleManifest;
}

/** Files dropped from compiled code and dependencies: type declarations and source maps. */
const DROPPED = /\.(map|d\.ts|d\.mts|d\.cts)$/;

const FIRMWARE_FILES = ['ippbridge.service', 'ippbridge-rollback.service', 'rollback.sh', 'install.sh', 'udev/60-ippbridge.rules', 'sysusers/ippbridge.conf', 'README.md'];

async function readJson(file: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
}

function copyFiltered(from: string, to: string, extraFilter?: (src: string) => boolean): Promise<void> {
  return cp(from, to, {
    recursive: true,
    verbatimSymlinks: true,
    filter: (src) => !DROPPED.test(src) && (extraFilter?.(src) ?? true),
  });
}

/** Copy one installed package without its nested node_modules (listed separately) or native parts for other arches. */
async function copyPackage(root: string, rel: string, stage: string, arch: BoardArch): Promise<void> {
  const from = join(root, rel);
  const nested = join(from, 'node_modules');
  const prebuilds = join(from, 'prebuilds');
  const gypBuild = join(from, 'build');
  const hasGyp = await stat(join(from, 'binding.gyp')).then(() => true, () => false);
  await copyFiltered(from, join(stage, rel), (src) => {
    if (src === nested || src.startsWith(`${nested}/`)) return false;
    // node-gyp-build prefers build/ over prebuilds/: a host build must never reach another board.
    if (hasGyp && (src === gypBuild || src.startsWith(`${gypBuild}/`))) return false;
    if (!src.startsWith(`${prebuilds}/`)) return true;
    const [dir, file] = src.slice(prebuilds.length + 1).split('/');
    return file === undefined ? dir === ARCH_NAMES[arch].prebuildDir : keepPrebuild(dir ?? '', file, arch);
  });
}

/** Unpack an npm pack tarball (`package/...`) as node_modules/<name>. */
async function unpackPackage(tarball: string, dest: string): Promise<void> {
  await mkdir(dest, { recursive: true });
  await run('tar', ['-xzf', tarball, '-C', dest, '--strip-components=1', '--no-same-owner']);
}

/** Production node_modules for the target: the installed tree minus other platforms, plus the target's napi packages. */
async function stageDependencies(opts: BundleOptions, stage: string): Promise<number> {
  const packages = await productionPackages(opts.root);
  const platformPackages = new Set<string>();
  const wanted: { name: string; version: string }[] = [];
  for (const rel of packages) {
    const napi = napiPlatformPackages((await readJson(join(opts.root, rel, 'package.json'))) as PackageJson, opts.arch);
    if (napi === undefined) continue;
    for (const name of napi.all) platformPackages.add(name);
    wanted.push(napi.wanted);
  }
  let copied = 0;
  for (const rel of packages) {
    if (platformPackages.has(rel.replace(/^.*node_modules\//, ''))) continue;
    await copyPackage(opts.root, rel, stage, opts.arch);
    copied++;
  }
  for (const { name, version } of wanted) {
    const installed = join(opts.root, 'node_modules', name);
    const pkg = await readJson(join(installed, 'package.json')).catch(() => undefined);
    if (pkg?.['version'] === version) {
      opts.progress(`  native ${name}@${version}: from node_modules`);
      await copyFiltered(installed, join(stage, 'node_modules', name));
    } else {
      opts.progress(`  native ${name}@${version}: npm pack (cache ${opts.cacheDir})`);
      const integrity = await lockIntegrity(opts.root, `node_modules/${name}`);
      await unpackPackage(await packedTarball(name, version, integrity, opts.cacheDir), join(stage, 'node_modules', name));
    }
    copied++;
  }
  return copied;
}

/** Fail when any ELF file in the bundle is built for another machine than the target. */
async function checkNativeArch(stage: string, arch: BoardArch): Promise<string[]> {
  const natives: string[] = [];
  for (const path of await listFiles(stage)) {
    const machine = await elfMachine(join(stage, path));
    if (machine === undefined) continue;
    if (machine !== ARCH_NAMES[arch].elfMachine) throw new ConfigError(`${path} is native code for ELF machine ${machine}, not ${arch}`);
    natives.push(path);
  }
  return natives;
}

/** Trimmed package.json: what the firmware reads at run time (version, type, engines, dependencies). */
function bundlePackageJson(pkg: Record<string, unknown>): string {
  const keep = ['name', 'version', 'description', 'license', 'type', 'bin', 'engines', 'dependencies'];
  return `${JSON.stringify(Object.fromEntries(keep.filter((k) => k in pkg).map((k) => [k, pkg[k]])), null, 2)}\n`;
}

/** Write <outDir>/<top>.tar.gz from the staged folder <parent>/<top> (sorted, owner 0, gzip without timestamp). */
async function writeTarball(parent: string, top: string, file: string): Promise<void> {
  const tar = spawn('tar', ['--sort=name', '--owner=0', '--group=0', '--numeric-owner', '-cf', '-', '-C', parent, top], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolveExit, reject) => {
    tar.on('error', reject);
    tar.on('close', resolveExit);
  });
  await pipeline(tar.stdout, createGzip({ level: 9 }), createWriteStream(file));
  const code = await exited;
  if (code !== 0) throw new ConfigError(`tar exited with code ${String(code)} while writing ${file}`);
}

/** Build the bundle for `opts.arch`; progress lines go to `opts.progress`. */
export async function buildBundle(opts: BundleOptions): Promise<BundleResult> {
  const pkg = await readJson(join(opts.root, 'package.json'));
  const version = String(pkg['version']);
  const top = `ippbridge-${version}-linux-${opts.arch}`;
  const mainJs = join(opts.root, 'dist/src/main.js');
  if (!(await stat(mainJs).then((s) => s.isFile(), () => false))) throw new ConfigError(`${mainJs} is missing: build first (npm run build)`);
  await mkdir(opts.outDir, { recursive: true });
  const parent = join(opts.outDir, `.stage-${opts.arch}-${process.pid}`);
  const stage = join(parent, top);
  const signKey = opts.signKey === undefined ? undefined : await loadPrivateKey(opts.signKey);
  await rm(parent, { recursive: true, force: true });
  try {
    opts.progress(`[1/6] compiled JavaScript (dist/src, dist/drivers) -> ${top}/`);
    for (const dir of ['dist/src', 'dist/drivers']) await copyFiltered(join(opts.root, dir), join(stage, dir));
    await writeFile(join(stage, 'package.json'), bundlePackageJson(pkg));
    opts.progress(`[2/6] production dependencies for linux-${opts.arch}`);
    const count = await stageDependencies(opts, stage);
    opts.progress(`  ${count} packages`);
    opts.progress('[3/6] board configs, systemd unit, udev rules, installer, Node.js runtime');
    await cp(join(opts.root, 'board-configs'), join(stage, 'board-configs'), { recursive: true });
    for (const file of FIRMWARE_FILES) await cp(join(opts.root, 'firmware', file), join(stage, 'firmware', file));
    await cp(join(opts.root, 'firmware/bin/ippbridge'), join(stage, 'bin/ippbridge'));
    for (const exe of ['firmware/install.sh', 'firmware/rollback.sh', 'bin/ippbridge']) await chmod(join(stage, exe), 0o755);
    if (opts.noNode === true) opts.progress('  Node.js runtime left out (--no-node): the board needs node >= 20.3 on PATH');
    else await stageNode(stage, opts.arch, opts.cacheDir, opts.progress);
    opts.progress(`[4/6] checking native code is ${opts.arch} only`);
    for (const path of await checkNativeArch(stage, opts.arch)) opts.progress(`  ${path}`);
    if (signKey !== undefined) {
      await writeFile(join(stage, BUNDLED_PUBLIC_KEY), createPublicKey(signKey).export({ type: 'spki', format: 'pem' }).toString());
    }
    opts.progress(`[5/6] manifest.json and SHA256SUMS${signKey === undefined ? ' (unsigned: ippbridge update refuses it)' : `, signed by key ${keyFingerprint(signKey).slice(0, 16)}`}`);
    const manifest: BundleManifest = {
      name: 'ippbridge',
      version,
      platform: 'linux',
      arch: opts.arch,
      node: String((pkg['engines'] as Record<string, unknown> | undefined)?.['node'] ?? '>=20.3'),
      built: new Date().toISOString(),
      files: await hashFiles(stage),
    };
    const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
    await writeFile(join(stage, 'manifest.json'), manifestText);
    if (signKey !== undefined) await writeFile(join(stage, SIGNATURE_FILE), signManifest(Buffer.from(manifestText), signKey));
    await writeFile(join(stage, 'SHA256SUMS'), sha256sums(manifest.files, sha256Hex(manifestText)));
    const file = join(opts.outDir, `${top}.tar.gz`);
    opts.progress(`[6/6] ${basename(file)} (${manifest.files.length + 2} files)`);
    await writeTarball(parent, top, file);
    return { file, bytes: (await stat(file)).size, manifest };
  } finally {
    await rm(parent, { recursive: true, force: true });
  }
}

/** The default cache for npm-packed native packages: node_modules/.cache/ippbridge-firmware under the project. */
export function defaultCacheDir(root: string): string {
  return join(root, 'node_modules', '.cache', 'ippbridge-firmware');
}

/** Project root for a compiled file at dist/src/firmware/*.js. */
export function projectRootFrom(moduleUrl: string): string {
  return dirname(dirname(dirname(dirname(fileURLToPath(moduleUrl)))));
}
