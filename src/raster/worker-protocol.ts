// Messages between the job pipeline and the raster decoder thread (decode-worker.ts, off-thread.ts). Every
// message names its document, so one thread can decode several documents at once.
// SPDX-License-Identifier: Apache-2.0
import type { RasterLimits, RasterPageHeader } from './types.js';

/** Pipeline -> decoder thread. */
export type ToDecoder =
  /** start decoding a document of `format` (document-format) */
  | { readonly t: 'open'; readonly doc: number; readonly format: string; readonly limits: RasterLimits }
  /** the next bytes of the document (the buffer is transferred) */
  | { readonly t: 'chunk'; readonly doc: number; readonly data: Uint8Array }
  /** no more bytes: the source ended */
  | { readonly t: 'end'; readonly doc: number }
  /** a batch was consumed; its buffers come back for reuse */
  | { readonly t: 'credit'; readonly doc: number; readonly data: Uint8Array | undefined }
  /** the consumer is gone (done, canceled or failed): stop and forget the document */
  | { readonly t: 'close'; readonly doc: number };

/** Decoder thread -> pipeline. */
export type FromDecoder =
  /** a page starts */
  | { readonly t: 'page'; readonly doc: number; readonly number: number; readonly header: RasterPageHeader }
  /**
   * Lines of the current page: line i is row slots[i] of `data` (rows of header.bytesPerLine bytes; a repeated line
   * points at the same row). Buffers are transferred.
   */
  | { readonly t: 'lines'; readonly doc: number; readonly data: Uint8Array; readonly slots: Int32Array; readonly count: number }
  /** `bytes` more input bytes were taken from the queue (the pipeline may send that much more) */
  | { readonly t: 'consumed'; readonly doc: number; readonly bytes: number }
  /** the document ended cleanly after its last page */
  | { readonly t: 'done'; readonly doc: number }
  /** decoding failed; `code` is the RasterError code when it was one */
  | { readonly t: 'error'; readonly doc: number; readonly message: string; readonly code: string | undefined };

/** Lines the decoder sends per batch at most. */
export const BATCH_LINES = 512;
/** Batches the decoder may have sent but not yet seen consumed. */
export const BATCHES_AHEAD = 3;
/** Input bytes the pipeline may have queued at the decoder and not yet seen taken. */
export const INPUT_AHEAD_BYTES = 1024 * 1024;
