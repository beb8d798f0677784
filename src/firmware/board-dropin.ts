// Script run by firmware/install.sh: `node board-dropin.js BOARD.json [ARCH [SHOWN-PATH]]` prints the unit drop-in for
// the board (SHOWN-PATH: the board file's path on the target, for the drop-in's comment).
// SPDX-License-Identifier: Apache-2.0
import { loadBoardConfig } from '../config.js';
import { ConfigError } from '../errors.js';
import { serviceDropIn } from './service-dropin.js';

const [file, arch, shown] = process.argv.slice(2);
if (file === undefined) {
  process.stderr.write('usage: board-dropin.js BOARD.json [ARCH [SHOWN-PATH]]\n');
  process.exitCode = 2;
} else {
  try {
    process.stdout.write(serviceDropIn(await loadBoardConfig(file), shown ?? file, arch));
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`ippbridge: ${err.file ?? file}${err.pointer ? ` (${err.pointer})` : ''}: ${err.message}\n`);
    process.exitCode = 2;
  }
}
