// The local user store (security.md §8): `<state-dir>/users.json`, mode 0600, written atomically; scrypt hashes only,
// never a password. The running server re-reads the file when `ippbridge user …` changed it.
// SPDX-License-Identifier: Apache-2.0
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { pino, type Logger } from 'pino';
import { ConfigError } from '../errors.js';
import { readJsonTolerant, writeJsonAtomic } from '../state-dir.js';
import { DEFAULT_SCRYPT, hashPassword, isPasswordHash, verifyPassword, type ScryptParams } from './password-hash.js';

/** File name of the store inside the state directory. */
export const USERS_FILE = 'users.json';
/** Shortest password `ippbridge user add/passwd` accepts. */
export const MIN_PASSWORD_LENGTH = 8;
/** Name of the administrator created at first start. */
export const FIRST_ADMIN_NAME = 'admin';
/** How often (at most) a verification looks at the file for changes made by another process. */
const RELOAD_CHECK_MS = 1000;

/** One user as stored. */
export interface UserRecord {
  readonly name: string;
  /** `$scrypt$…` (password-hash.ts) */
  readonly hash: string;
  readonly isAdmin: boolean;
  /** ISO 8601 */
  readonly created: string;
}

/** Options for UserStore.open. */
export interface UserStoreOptions {
  readonly log?: Logger;
  /** cost of new hashes (tests use a cheap one) */
  readonly scrypt?: ScryptParams;
}

/** Why `name` cannot be a user name (RFC 7617 §2: no colon; no control characters), or undefined when it can. */
export function userNameProblem(name: string): string | undefined {
  if (name.length === 0 || [...name].length > 64) return 'a user name has 1 to 64 characters';
  if (name !== name.trim()) return 'a user name cannot start or end with white space';
  if (/[:\p{Cc}]/u.test(name)) return 'a user name cannot contain a colon or control characters';
  return undefined;
}

function usage(message: string): ConfigError {
  return new ConfigError(message, { code: 'ERR_USAGE' });
}

function parseRecord(v: unknown): UserRecord | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  const { name, hash, admin, created } = o;
  if (typeof name !== 'string' || userNameProblem(name) !== undefined) return undefined;
  if (typeof hash !== 'string' || !isPasswordHash(hash)) return undefined;
  return { name, hash, isAdmin: admin === true, created: typeof created === 'string' ? created : '' };
}

/** The users of one state directory. */
export class UserStore {
  readonly path: string;
  readonly #log: Logger;
  readonly #scrypt: ScryptParams;
  #users = new Map<string, UserRecord>();
  #stamp = '';
  #checkedAt = 0;

  private constructor(path: string, opts: UserStoreOptions) {
    this.path = path;
    this.#log = opts.log ?? pino({ level: 'silent' });
    this.#scrypt = opts.scrypt ?? DEFAULT_SCRYPT;
  }

  /** Open (read) the store of `stateDir`; a missing file is an empty store. */
  static async open(stateDir: string, opts: UserStoreOptions = {}): Promise<UserStore> {
    const store = new UserStore(join(stateDir, USERS_FILE), opts);
    await store.#load();
    return store;
  }

  async #fileStamp(): Promise<string> {
    try {
      const s = await stat(this.path);
      return `${s.ino}:${s.size}:${s.mtimeMs}`;
    } catch {
      return '';
    }
  }

  async #load(): Promise<void> {
    this.#stamp = await this.#fileStamp();
    this.#checkedAt = Date.now();
    const doc = await readJsonTolerant(this.path, this.#log);
    const users = new Map<string, UserRecord>();
    const list = typeof doc === 'object' && doc !== null ? (doc as { users?: unknown }).users : undefined;
    for (const item of Array.isArray(list) ? list : []) {
      const record = parseRecord(item);
      if (record) users.set(record.name, record);
      else this.#log.warn({ file: this.path }, 'malformed user entry ignored');
    }
    this.#users = users;
  }

  /** Re-read the file if another process changed it (checked at most once a second). */
  async refresh(): Promise<void> {
    const now = Date.now();
    if (now - this.#checkedAt < RELOAD_CHECK_MS) return;
    this.#checkedAt = now;
    if ((await this.#fileStamp()) !== this.#stamp) await this.#load();
  }

  async #save(): Promise<void> {
    const users = [...this.#users.values()].map((u) => ({ name: u.name, hash: u.hash, admin: u.isAdmin, created: u.created }));
    await writeJsonAtomic(this.path, { version: 1, users });
    this.#stamp = await this.#fileStamp();
  }

  /** Every user, by name. */
  list(): readonly UserRecord[] {
    return [...this.#users.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The user called `name`, if any. */
  get(name: string): UserRecord | undefined {
    return this.#users.get(name.normalize('NFC'));
  }

  /** Whether at least one administrator exists. */
  hasAdmin(): boolean {
    return [...this.#users.values()].some((u) => u.isAdmin);
  }

  /** Add a user; throws ConfigError (ERR_USAGE) when the name is taken or invalid or the password too short. */
  async add(name: string, password: string, isAdmin: boolean): Promise<UserRecord> {
    const key = name.normalize('NFC');
    const problem = userNameProblem(key);
    if (problem) throw usage(problem);
    if (this.#users.has(key)) throw usage(`user "${key}" already exists`);
    checkPassword(password);
    const record: UserRecord = { name: key, hash: await hashPassword(password, this.#scrypt), isAdmin, created: new Date().toISOString() };
    this.#users.set(key, record);
    await this.#save();
    return record;
  }

  /** Replace a user's password. */
  async setPassword(name: string, password: string): Promise<void> {
    const user = this.get(name);
    if (!user) throw usage(`no user "${name}"`);
    checkPassword(password);
    this.#users.set(user.name, { ...user, hash: await hashPassword(password, this.#scrypt) });
    await this.#save();
  }

  /** Delete a user; the last administrator cannot be deleted. */
  async remove(name: string): Promise<void> {
    const user = this.get(name);
    if (!user) throw usage(`no user "${name}"`);
    if (user.isAdmin && this.list().filter((u) => u.isAdmin).length === 1) {
      throw usage(`"${user.name}" is the last administrator; add another admin first`);
    }
    this.#users.delete(user.name);
    await this.#save();
  }

  /** The user if `password` is theirs. Unknown users cost a hash too, so timing does not reveal which names exist. */
  async verify(name: string, password: string): Promise<UserRecord | undefined> {
    await this.refresh();
    const user = this.get(name);
    const ok = await verifyPassword(password, user?.hash ?? DUMMY_HASH.value ?? (await dummyHash()));
    return ok && user ? user : undefined;
  }
}

const DUMMY_HASH: { value: string | undefined } = { value: undefined };

async function dummyHash(): Promise<string> {
  DUMMY_HASH.value = await hashPassword(randomBytes(16).toString('hex'));
  return DUMMY_HASH.value;
}

/** Throw ConfigError (ERR_USAGE) for a password that is too short. */
export function checkPassword(password: string): void {
  if ([...password].length < MIN_PASSWORD_LENGTH) throw usage(`a password has at least ${MIN_PASSWORD_LENGTH} characters`);
}

/** A random password for the first administrator: 24 characters of base64url (144 bits). */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * Create the first administrator when the store has none (no default password, issue #4). Returns the name and the
 * generated password, which the caller shows once and never logs; undefined when an admin already exists.
 */
export async function ensureAdmin(store: UserStore): Promise<{ name: string; password: string } | undefined> {
  if (store.hasAdmin()) return undefined;
  let name = FIRST_ADMIN_NAME;
  for (let i = 2; store.get(name); i++) name = `${FIRST_ADMIN_NAME}-${i}`;
  const password = generatePassword();
  await store.add(name, password, true);
  return { name, password };
}
