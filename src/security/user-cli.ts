// `ippbridge user add|passwd|del|list`: the local user store from the command line (issue #4). Passwords come from
// stdin when it is not a terminal (first line), else from a prompt without echo; they are never printed.
// SPDX-License-Identifier: Apache-2.0
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { parseCommandArgs, usageError } from '../cli-args.js';
import { ConfigError, FirmwareError } from '../errors.js';
import { prepareDir } from '../state-dir.js';
import { checkPassword, ensureAdmin, userNameProblem, UserStore, type UserStoreOptions } from './users.js';

export const USER_USAGE = `Usage: ippbridge user add NAME [--admin] [--state-dir DIR]
       ippbridge user passwd NAME [--state-dir DIR]
       ippbridge user del NAME [--state-dir DIR]
       ippbridge user list [--state-dir DIR]

add      create a user (an administrator with --admin); the password is read from stdin when it is not a
         terminal (its first line), else asked for twice without echo
passwd   set a user's password the same way
del      delete a user (not the last administrator)
list     print the users and which are administrators
Users log in with HTTP Basic over ipps:// only. --state-dir defaults to ./var, as for serve; a running printer
sees changes without a restart.
`;

/** The terminal or pipe a password is read from. */
export interface PasswordInput extends NodeJS.ReadableStream {
  readonly isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

/** Where the command reads and writes. */
export interface UserCliIo {
  readonly stdin: PasswordInput;
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** hash cost (tests) */
  readonly store?: UserStoreOptions;
}

/** A parsed `user` command line. */
export type UserCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'add'; readonly stateDir: string; readonly name: string; readonly isAdmin: boolean }
  | { readonly kind: 'passwd' | 'del'; readonly stateDir: string; readonly name: string }
  | { readonly kind: 'list'; readonly stateDir: string };

/** Parse the arguments after `user`; throws ConfigError (ERR_USAGE). */
export function parseUserCommand(argv: readonly string[]): UserCommand {
  const parsed = parseCommandArgs(argv, { 'state-dir': { type: 'string' }, admin: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  const stateDir = resolve(values['state-dir'] ?? './var');
  const [action, name, ...rest] = positionals;
  if (rest.length > 0) throw usageError(`unexpected '${rest.join(' ')}'`);
  if (values.admin && action !== 'add') throw usageError('--admin belongs to user add');
  if (action === 'list') {
    if (name !== undefined) throw usageError('user list takes no name');
    return { kind: 'list', stateDir };
  }
  if (action !== 'add' && action !== 'passwd' && action !== 'del') throw usageError("expected 'user add|passwd|del|list' (see --help)");
  if (name === undefined) throw usageError(`user ${action} needs a user name`);
  const problem = userNameProblem(name.normalize('NFC'));
  if (problem) throw usageError(problem);
  return action === 'add' ? { kind: 'add', stateDir, name, isAdmin: values.admin === true } : { kind: action, stateDir, name };
}

/** The first line of a non-terminal stdin (at most 4 KiB), without its line end. */
async function readPipedLine(input: PasswordInput): Promise<string> {
  let text = '';
  for await (const chunk of input) {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    if (text.includes('\n') || text.length > 4096) break;
  }
  return (text.split('\n')[0] ?? '').replace(/\r$/, '');
}

/** Read one line from a terminal in raw mode without echoing it. */
function promptHidden(input: PasswordInput, output: Writable, prompt: string): Promise<string> {
  output.write(prompt);
  input.setRawMode?.(true);
  input.resume();
  return new Promise((resolveLine, reject) => {
    let line = '';
    const finish = (err?: Error): void => {
      input.off('data', onData);
      input.setRawMode?.(false);
      input.pause();
      output.write('\n');
      if (err) reject(err);
      else resolveLine(line);
    };
    const onData = (chunk: Buffer | string): void => {
      for (const ch of chunk.toString()) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003' || ch === '\u0004') return finish(usageError('canceled'));
        if (ch === '\u007f' || ch === '\b') line = [...line].slice(0, -1).join('');
        else if (ch >= ' ') line += ch;
      }
    };
    input.on('data', onData);
  });
}

/** A new password: piped (first line) or typed twice at a prompt. */
export async function readNewPassword(io: UserCliIo): Promise<string> {
  if (!io.stdin.isTTY) {
    const password = await readPipedLine(io.stdin);
    checkPassword(password);
    return password;
  }
  const first = await promptHidden(io.stdin, io.stderr, 'New password: ');
  checkPassword(first);
  const again = await promptHidden(io.stdin, io.stderr, 'Repeat it: ');
  if (again !== first) throw usageError('the passwords differ');
  return first;
}

async function run(cmd: Exclude<UserCommand, { kind: 'help' }>, io: UserCliIo): Promise<void> {
  await prepareDir(cmd.stateDir);
  const store = await UserStore.open(cmd.stateDir, io.store ?? {});
  switch (cmd.kind) {
    case 'list':
      for (const u of store.list()) io.stdout.write(`${u.name}\t${u.isAdmin ? 'admin' : 'user'}\t${u.created}\n`);
      return;
    case 'add':
      if (store.get(cmd.name)) throw usageError(`user "${cmd.name}" already exists`);
      await store.add(cmd.name, await readNewPassword(io), cmd.isAdmin);
      io.stdout.write(`added ${cmd.isAdmin ? 'administrator' : 'user'} ${cmd.name}\n`);
      return;
    case 'passwd':
      if (!store.get(cmd.name)) throw usageError(`no user "${cmd.name}"`);
      await store.setPassword(cmd.name, await readNewPassword(io));
      io.stdout.write(`password of ${cmd.name} changed\n`);
      return;
    case 'del':
      await store.remove(cmd.name);
      io.stdout.write(`deleted ${cmd.name}\n`);
      return;
    default: {
      const never: never = cmd;
      return never;
    }
  }
}

/** Run `ippbridge user …`; returns the exit code (2 for usage errors, 1 for state-directory failures). */
export async function runUserCommand(argv: readonly string[], io: UserCliIo): Promise<number> {
  try {
    const cmd = parseUserCommand(argv);
    if (cmd.kind === 'help') {
      io.stdout.write(USER_USAGE);
      return 0;
    }
    await run(cmd, io);
    return 0;
  } catch (err) {
    if (!(err instanceof FirmwareError)) throw err;
    io.stderr.write(`ippbridge user: ${err.message}\n`);
    return err instanceof ConfigError ? 2 : 1;
  }
}

/**
 * First start (no default password, issue #4): create the first administrator of `stateDir` if there is none and
 * write its generated password ONCE to `out` (stdout), never to the log. Returns whether one was created.
 */
export async function provisionFirstAdmin(stateDir: string, out: Writable, opts: UserStoreOptions = {}): Promise<boolean> {
  await prepareDir(stateDir);
  const created = await ensureAdmin(await UserStore.open(stateDir, opts));
  if (!created) return false;
  out.write(
    `ippbridge admin: created administrator "${created.name}" with password ${created.password}\n` +
      `ippbridge admin: this password is shown only now; change it with 'ippbridge user passwd ${created.name}'\n`,
  );
  return true;
}
