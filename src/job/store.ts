// Durable job records, the job-id high-water mark and spooled documents in <state-dir>/jobs. Every write goes through
// the crash-safe store of state-dir.ts (temp, fsync, rename, fsync dir); writes of one file are applied in call order.
// SPDX-License-Identifier: Apache-2.0
import { createReadStream } from 'node:fs';
import { readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { prepareDir, quarantine, readJsonTolerant, syncDir, writeJsonAtomic, writeStreamAtomic } from '../state-dir.js';
import type { JobRecord } from './job.js';
import { isJobRecord } from './record-check.js';

/** Pass `source` through, reporting the running byte count (job-k-octets). */
export async function* countBytes(source: AsyncIterable<Uint8Array>, onTotal: (bytes: number) => void): AsyncGenerator<Uint8Array> {
  let bytes = 0;
  for await (const chunk of source) {
    bytes += chunk.length;
    onTotal(bytes);
    yield chunk;
  }
}

/** What a directory scan at start-up found besides the records. */
export interface JobDirScan {
  /** ids whose spool file `<id>.doc` exists */
  readonly spooled: ReadonlySet<number>;
  /** ids of temp files removed at start (uploads or record writes cut off by a crash) */
  readonly tornSpools: ReadonlySet<number>;
  /** the highest job id any file name in the directory mentions (records, spools, quarantined files), or 0 */
  readonly highestId: number;
}

const ID_IN_NAME = /^\.?(\d+)\.(json|doc)\b/;

/** Where jobs live on disk. */
export class JobStore {
  readonly dir: string;
  readonly #log: Logger;
  /** the last pending write per file, so writes of one file land in call order */
  readonly #chains = new Map<string, Promise<void>>();
  #nextIdWritten = 0;

  constructor(stateDir: string, log: Logger) {
    this.dir = join(stateDir, 'jobs');
    this.#log = log;
  }

  /** Create the directory, drop temp files a crash left, and report what is there. */
  async prepare(): Promise<JobDirScan> {
    const torn = await prepareDir(this.dir);
    const tornSpools = new Set<number>();
    for (const name of torn) {
      const m = /^\.(\d+)\.doc\./.exec(name);
      if (m?.[1] !== undefined) tornSpools.add(Number(m[1]));
    }
    if (torn.length > 0) this.#log.warn({ files: torn }, 'removed temp files left by a crash');
    const spooled = new Set<number>();
    let highestId = 0;
    for (const entry of [...(await readdir(this.dir)), ...torn]) {
      const m = ID_IN_NAME.exec(entry);
      if (m?.[1] === undefined) continue;
      const id = Number(m[1]);
      highestId = Math.max(highestId, id);
      if (!entry.startsWith('.') && entry === `${id}.doc`) spooled.add(id);
    }
    return { spooled, tornSpools, highestId };
  }

  /** jobs/next-id.json: the lowest id never handed out (a high-water mark written before an id is used). */
  get nextIdPath(): string {
    return join(this.dir, 'next-id.json');
  }

  recordPath(id: number): string {
    return join(this.dir, `${id}.json`);
  }

  spoolPath(id: number): string {
    return join(this.dir, `${id}.doc`);
  }

  /** Persist the high-water mark; concurrent calls never let a smaller value overwrite a larger one. */
  async saveNextId(next: number): Promise<void> {
    await this.#serial(this.nextIdPath, async () => {
      if (next <= this.#nextIdWritten) return;
      await writeJsonAtomic(this.nextIdPath, { next });
      this.#nextIdWritten = next;
    });
  }

  /** The saved high-water mark, or undefined when missing or damaged (a damaged file is moved aside). */
  async loadNextId(): Promise<number | undefined> {
    const saved = await readJsonTolerant(this.nextIdPath, this.#log);
    const next = typeof saved === 'object' && saved !== null ? (saved as { next?: unknown }).next : undefined;
    if (typeof next === 'number' && Number.isSafeInteger(next) && next >= 1) {
      this.#nextIdWritten = Math.max(this.#nextIdWritten, next);
      return next;
    }
    if (saved !== undefined) await quarantine(this.nextIdPath, this.#log, 'no valid next id');
    return undefined;
  }

  /** Persist one record atomically; the record is serialized now, written after earlier writes of the same job. */
  async save(record: JobRecord): Promise<void> {
    const snapshot = structuredClone(record);
    const path = this.recordPath(record.id);
    await this.#serial(path, () => writeJsonAtomic(path, snapshot));
  }

  /** Every stored record, oldest first; unreadable, empty or malformed ones are moved aside with a warning. */
  async loadAll(): Promise<JobRecord[]> {
    const records: JobRecord[] = [];
    for (const entry of await readdir(this.dir)) {
      const m = /^(\d+)\.json$/.exec(entry);
      if (m === null) continue;
      const file = join(this.dir, entry);
      const doc = await readJsonTolerant(file, this.#log);
      if (doc === undefined) continue;
      if (isJobRecord(doc) && doc.id === Number(m[1])) records.push(doc);
      else await quarantine(file, this.#log, 'not a job record');
    }
    return records.sort((a, b) => a.id - b.id);
  }

  /**
   * Write a document to the spool crash-safely (temp, fsync, rename, fsync dir) before resolving: once this resolves
   * the document survives a crash or power loss. Returns the byte count.
   */
  async spool(id: number, source: AsyncIterable<Uint8Array>, signal: AbortSignal): Promise<number> {
    return writeStreamAtomic(this.spoolPath(id), source, signal);
  }

  /** Size of a job's spool file, or undefined when there is none. */
  async spoolSize(id: number): Promise<number | undefined> {
    try {
      return (await stat(this.spoolPath(id))).size;
    } catch {
      return undefined;
    }
  }

  /** Read a spooled document. */
  readSpool(id: number): AsyncIterable<Uint8Array> {
    return createReadStream(this.spoolPath(id), { highWaterMark: 256 * 1024 });
  }

  /** Remove a job's spool file (after its record says it ended). */
  async removeSpool(id: number): Promise<void> {
    await unlink(this.spoolPath(id)).catch(() => undefined);
  }

  /** Remove a job completely (retention): spool first, then the record, after any pending write of it. */
  async remove(id: number): Promise<void> {
    await this.removeSpool(id);
    const path = this.recordPath(id);
    await this.#serial(path, async () => {
      await unlink(path).catch(() => undefined);
      await syncDir(this.dir).catch(() => undefined);
    });
  }

  async #serial(path: string, write: () => Promise<void>): Promise<void> {
    const run = (this.#chains.get(path) ?? Promise.resolve()).then(write);
    const settled = run.catch(() => undefined);
    this.#chains.set(path, settled);
    void settled.then(() => {
      if (this.#chains.get(path) === settled) this.#chains.delete(path);
    });
    await run;
  }
}
