// Pulling a page's lines in a hot loop: lines already at hand are taken without a promise each (RasterPage.takeLine),
// the rest awaited from the page's iterator. Use: `const line = reader.take() ?? (await reader.next())`.
// SPDX-License-Identifier: Apache-2.0
import type { RasterPage } from './types.js';

/** Reads one page's lines in order, synchronously where it can. */
export class LineReader {
  readonly #page: RasterPage;
  readonly #lines: AsyncIterator<Uint8Array>;

  constructor(page: RasterPage) {
    this.#page = page;
    this.#lines = page.lines()[Symbol.asyncIterator]();
  }

  /** The next line when it is at hand without waiting, else undefined (then call next()). */
  take(): Uint8Array | undefined {
    return this.#page.takeLine?.();
  }

  /** The next line, waiting for it; undefined at the end of the page. */
  async next(): Promise<Uint8Array | undefined> {
    const r = await this.#lines.next();
    return r.done === true ? undefined : r.value;
  }
}
