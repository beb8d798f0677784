// `npm run firmware -- --arch arm64|armv7|x64 [--out DIR] [--cache DIR] [--no-node] [--sign-key FILE]`: builds the
// flashable bundle and prints its path and size; `--gen-key DIR` makes an update-signing key pair.
// SPDX-License-Identifier: Apache-2.0
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { FirmwareError } from '../errors.js';
import { BOARD_ARCHES, type BoardArch } from './board-hardware.js';
import { buildBundle, defaultCacheDir, projectRootFrom } from './bundle-build.js';
import { writeSigningKeyPair } from './signing.js';

const USAGE = 'usage: npm run firmware -- --arch arm64|armv7|x64 [--out DIR] [--cache DIR] [--no-node] [--sign-key FILE]\n' +
  '       npm run firmware -- --gen-key DIR   (writes DIR/update.key and DIR/update.pub)\n';

/** `--gen-key DIR`: a new Ed25519 update-signing key pair. */
async function genKey(dir: string): Promise<number> {
  try {
    const made = await writeSigningKeyPair(resolve(dir));
    process.stdout.write(`firmware: signing key ${made.privateFile} (keep it secret)\nfirmware: public key ${made.publicFile} (fingerprint ${made.fingerprint})\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof FirmwareError)) throw err;
    process.stderr.write(`firmware: ${err.message}\n`);
    return 1;
  }
}

async function main(argv: readonly string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        arch: { type: 'string' },
        out: { type: 'string' },
        cache: { type: 'string' },
        'no-node': { type: 'boolean' },
        'sign-key': { type: 'string' },
        'gen-key': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    process.stderr.write(`firmware: ${(err as Error).message.split('\n')[0] ?? ''}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (values['gen-key'] !== undefined) return genKey(values['gen-key']);
  const arch = values.arch;
  if (arch === undefined || !(BOARD_ARCHES as readonly string[]).includes(arch)) {
    process.stderr.write(`firmware: --arch must be one of ${BOARD_ARCHES.join(', ')}\n${USAGE}`);
    return 2;
  }
  const root = projectRootFrom(import.meta.url);
  const started = Date.now();
  try {
    const result = await buildBundle({
      root,
      arch: arch as BoardArch,
      outDir: resolve(values.out ?? resolve(root, 'dist/firmware')),
      cacheDir: resolve(values.cache ?? defaultCacheDir(root)),
      progress: (line) => process.stdout.write(`firmware: ${line}\n`),
      noNode: values['no-node'] === true,
      ...(values['sign-key'] === undefined ? {} : { signKey: resolve(values['sign-key']) }),
    });
    const mib = (result.bytes / (1024 * 1024)).toFixed(1);
    process.stdout.write(`firmware: built ${result.file}\nfirmware: ${result.bytes} bytes (${mib} MiB), ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof FirmwareError)) throw err;
    process.stderr.write(`firmware: ${err.message}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
