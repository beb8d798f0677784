// Shared command-line plumbing for every ippbridge command: strict node:util parseArgs whose errors become one
// ERR_USAGE line, so each command states only its options.
// SPDX-License-Identifier: Apache-2.0
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError } from './errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** A ConfigError for a bad command line (exit code 2). */
export function usageError(message: string): ConfigError {
  return new ConfigError(message, { code: 'ERR_USAGE' });
}

/** parseArgs with positionals allowed and unknown flags refused; a parse error is a usageError. */
export function parseCommandArgs<const O extends Options>(argv: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...argv], allowPositionals: true, strict: true, options });
  } catch (err) {
    throw usageError((err as Error).message.split('\n')[0] ?? 'bad command line');
  }
}
