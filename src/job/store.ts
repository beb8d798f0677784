// Durable job records and spooled documents in <state-dir>/jobs (write-rename-fsync; spool fsynced before reply).
// SPDX-License-Identifier: Apache-2.0
import { createReadStream, createWriteStream } from 'node:fs';
import { readdir, unlink, open } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { Logger } from 'pino';
import { prepareDir, readJsonTolerant, syncDir, writeJsonAtomic } from '../state-dir.js';
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

/** Where jobs live on disk. */
export class JobStore {
  readonly dir: string;
  readonly #log: Logger;

  constructor(stateDir: string, log: Logger) {
    this.dir = join(stateDir, 'jobs');
    this.#log = log;
  }

  /** Create the directory and drop temp files a crash left. */
  async prepare(): Promise<void> {
    await prepareDir(this.dir);
  }

  /** jobs/next-id.json: the next job id, so ids are never reused. */
  get nextIdPath(): string {
    return join(this.dir, 'next-id.json');
  }

  recordPath(id: number): string {
    return join(this.dir, `${id}.json`);
  }

  spoolPath(id: number): string {
    return join(this.dir, `${id}.doc`);
  }

  /** Persist one record atomically. */
  async save(record: JobRecord): Promise<void> {
    await writeJsonAtomic(this.recordPath(record.id), record);
  }

  /** Every stored record, oldest first; unreadable ones are moved aside by readJsonTolerant. */
  async loadAll(): Promise<JobRecord[]> {
    const records: JobRecord[] = [];
    for (const entry of await readdir(this.dir)) {
      if (!/^\d+\.json$/.test(entry)) continue;
      const doc = await readJsonTolerant(join(this.dir, entry), this.#log);
      if (isJobRecord(doc)) records.push(doc);
      else if (doc !== undefined) this.#log.warn({ file: entry }, 'ignoring malformed job record');
    }
    return records.sort((a, b) => a.id - b.id);
  }

  /**
   * Write a document to the spool and fsync it (file and directory) before resolving: once this resolves the
   * document survives a crash. Returns the byte count.
   */
  async spool(id: number, source: AsyncIterable<Uint8Array>, signal: AbortSignal): Promise<number> {
    const path = this.spoolPath(id);
    let bytes = 0;
    const counted = Readable.from(countBytes(source, (n) => (bytes = n)));
    await pipeline(counted, createWriteStream(path, { mode: 0o600 }), { signal });
    const handle = await open(path, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await syncDir(this.dir);
    return bytes;
  }

  /** Read a spooled document. */
  readSpool(id: number): AsyncIterable<Uint8Array> {
    return createReadStream(this.spoolPath(id), { highWaterMark: 256 * 1024 });
  }

  /** Remove a job's spool file (after it ended). */
  async removeSpool(id: number): Promise<void> {
    await unlink(this.spoolPath(id)).catch(() => undefined);
  }

  /** Remove a job completely (retention). */
  async remove(id: number): Promise<void> {
    await this.removeSpool(id);
    await unlink(this.recordPath(id)).catch(() => undefined);
  }
}
