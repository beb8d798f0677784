// The raster decoder thread of this process (decode-worker.ts): started once, kept alive only while it decodes,
// replaced by a new one after it dies; routes the thread's messages to the documents it decodes.
// SPDX-License-Identifier: Apache-2.0
import { Worker } from 'node:worker_threads';
import type { FromDecoder, ToDecoder } from './worker-protocol.js';

/** A document decoded on the thread, as the thread sees it. */
export interface DecoderClient {
  onMessage(msg: FromDecoder): void;
  onThreadFailure(err: Error): void;
}

/** The one decoder thread of this process; replaced by a new one after it dies. */
export class DecoderThread {
  readonly #worker: Worker;
  readonly #docs = new Map<number, DecoderClient>();
  #nextDoc = 1;
  #failure: Error | undefined;

  constructor() {
    // Compiled code starts the compiled worker; sources run by the test runner start the TypeScript file.
    const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
    this.#worker = new Worker(new URL(`./decode-worker${ext}`, import.meta.url));
    this.#worker.on('message', (msg: FromDecoder) => this.#docs.get(msg.doc)?.onMessage(msg));
    this.#worker.on('error', (err) => this.#fail(err));
    this.#worker.on('exit', (code) => this.#fail(new Error(`exit code ${code}`)));
    // The thread keeps the process alive only while it decodes (unref after the listeners: adding one refs it).
    this.#worker.unref();
  }

  #fail(err: Error): void {
    if (this.#failure !== undefined) return;
    this.#failure = err;
    if (current === this) current = undefined;
    for (const doc of this.#docs.values()) doc.onThreadFailure(err);
    this.#docs.clear();
  }

  register(doc: DecoderClient): number {
    if (this.#failure !== undefined) throw new Error(`the raster decoder thread stopped: ${this.#failure.message}`);
    const id = this.#nextDoc++;
    if (this.#docs.size === 0) this.#worker.ref();
    this.#docs.set(id, doc);
    return id;
  }

  unregister(id: number): void {
    if (this.#docs.delete(id) && this.#docs.size === 0) this.#worker.unref();
  }

  /** Stop the thread; documents it was decoding fail, and the next document starts a new thread. */
  async terminate(): Promise<void> {
    await this.#worker.terminate();
  }

  post(msg: ToDecoder, transfer: ArrayBuffer[] = []): void {
    if (this.#failure === undefined) this.#worker.postMessage(msg, transfer);
  }
}

let current: DecoderThread | undefined;

/** The decoder thread, started when first needed. */
export function decoderThread(): DecoderThread {
  current ??= new DecoderThread();
  return current;
}

/** Start the decoder thread now (at server start) so the first job does not wait for it. */
export function startDecoderThread(): void {
  decoderThread();
}
