// Native parts of the production dependencies, per target arch: napi-rs platform packages (usb 3 loads
// @node-usb/usb-linux-<arch>-gnu) and prebuildify folders (serialport's prebuilds/linux-<arch>), and the ELF check.
// SPDX-License-Identifier: Apache-2.0
import { open } from 'node:fs/promises';
import type { BoardArch } from './board-hardware.js';

/** How a target arch is spelled by each packaging scheme. */
interface ArchNames {
  /** napi-rs platform suffix on Linux glibc (`@scope/pkg-linux-<this>`) */
  readonly napi: string;
  /** prebuildify folder `prebuilds/linux-<this>` (Node's process.arch) */
  readonly prebuildDir: string;
  /** node-gyp-build `armv` tag the file must carry when it has one */
  readonly armv: string | undefined;
  /** ELF e_machine of the code */
  readonly elfMachine: number;
}

/** Per-arch names: x64 = EM_X86_64 (62), arm64 = EM_AARCH64 (183), armv7 = EM_ARM (40). */
export const ARCH_NAMES: Readonly<Record<BoardArch, ArchNames>> = {
  x64: { napi: 'x64-gnu', prebuildDir: 'linux-x64', armv: undefined, elfMachine: 62 },
  arm64: { napi: 'arm64-gnu', prebuildDir: 'linux-arm64', armv: '8', elfMachine: 183 },
  armv7: { napi: 'arm-gnueabihf', prebuildDir: 'linux-arm', armv: '7', elfMachine: 40 },
};

/** The fields of a package.json this module reads. */
export interface PackageJson {
  readonly name?: string;
  readonly version?: string;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
  readonly napi?: { readonly packageName?: string; readonly binaryName?: string };
}

/** A napi-rs package's platform packages: all of them, and the one the target needs. */
export interface NapiPlatformPackages {
  readonly all: readonly string[];
  readonly wanted: { readonly name: string; readonly version: string };
}

/** For a package built with napi-rs, its platform packages; undefined for any other package. */
export function napiPlatformPackages(pkg: PackageJson, arch: BoardArch): NapiPlatformPackages | undefined {
  const base = pkg.napi?.packageName;
  const optional = pkg.optionalDependencies ?? {};
  if (base === undefined) return undefined;
  const all = Object.keys(optional).filter((name) => name.startsWith(`${base}-`));
  const name = `${base}-linux-${ARCH_NAMES[arch].napi}`;
  const version = optional[name];
  if (version === undefined) return { all, wanted: { name, version: pkg.version ?? '' } };
  return { all, wanted: { name, version } };
}

/**
 * Whether a prebuildify file `prebuilds/<dir>/<file>` runs on the target: its folder is linux-<arch>, its libc tag (if
 * any) is glibc, and its armv tag (if any) is the target's (node-gyp-build's matching rules).
 */
export function keepPrebuild(dir: string, file: string, arch: BoardArch): boolean {
  const names = ARCH_NAMES[arch];
  if (dir !== names.prebuildDir || !file.endsWith('.node')) return false;
  const tags = file.slice(0, -'.node'.length).split('.').slice(1);
  for (const tag of tags) {
    if ((tag === 'musl' || tag === 'glibc') && tag !== 'glibc') return false;
    const armv = /^armv(\d+)$/.exec(tag);
    if (armv && armv[1] !== names.armv) return false;
  }
  return true;
}

/** The ELF e_machine of a file, or undefined when it is not an ELF file. */
export async function elfMachine(file: string): Promise<number | undefined> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(20);
    const { bytesRead } = await handle.read(head, 0, 20, 0);
    if (bytesRead < 20 || head.readUInt32BE(0) !== 0x7f454c46) return undefined;
    // EI_DATA (byte 5): 1 little endian, 2 big endian; e_machine at offset 18.
    return head[5] === 2 ? head.readUInt16BE(18) : head.readUInt16LE(18);
  } finally {
    await handle.close();
  }
}
