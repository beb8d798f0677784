// 32-bit word views over the ArrayBuffers behind byte rows, cached per buffer, so hot loops over 1-bit rows can skip
// blank or unchanged stretches four bytes at a time without allocating a view per row.
// SPDX-License-Identifier: Apache-2.0

const VIEWS = new WeakMap<ArrayBufferLike, Int32Array>();
/** The last few buffers asked for, checked before the WeakMap (a row and its seed alternate). */
const RECENT_SIZE = 4;
const recentBuffers: (ArrayBufferLike | undefined)[] = new Array<ArrayBufferLike | undefined>(RECENT_SIZE).fill(undefined);
const recentViews: (Int32Array | undefined)[] = new Array<Int32Array | undefined>(RECENT_SIZE).fill(undefined);
let nextSlot = 0;
/** Largest buffer the recent list keeps alive. */
const MAX_RECENT_BYTES = 64 * 1024;

/** An Int32Array over all whole words of the buffer behind `row`; word k covers bytes 4k..4k+3 of that buffer. */
export function wordsOf(row: Uint8Array): Int32Array {
  const buffer = row.buffer;
  for (let k = 0; k < RECENT_SIZE; k++) if (recentBuffers[k] === buffer) return recentViews[k] as Int32Array;
  let view = VIEWS.get(buffer);
  if (view === undefined) {
    view = new Int32Array(buffer, 0, buffer.byteLength >> 2);
    VIEWS.set(buffer, view);
  }
  // Only small buffers (rows, seeds) are held strongly; a large line buffer stays collectable.
  if (buffer.byteLength > MAX_RECENT_BYTES) return view;
  recentBuffers[nextSlot] = buffer;
  recentViews[nextSlot] = view;
  nextSlot = (nextSlot + 1) % RECENT_SIZE;
  return view;
}

/** Last buffers given a DataView, with their views (a source line and an output row alternate). */
const dataBuffers: (ArrayBufferLike | undefined)[] = [undefined, undefined];
const dataViews: (DataView | undefined)[] = [undefined, undefined];
let nextDataSlot = 0;

/**
 * A DataView over the whole buffer behind `row` (index it with `row.byteOffset + i`), reused while the same two
 * buffers keep coming back, for big-endian 32-bit access to 1-bit rows.
 */
export function dataViewOf(row: Uint8Array): DataView {
  const buffer = row.buffer;
  if (dataBuffers[0] === buffer) return dataViews[0] as DataView;
  if (dataBuffers[1] === buffer) return dataViews[1] as DataView;
  const view = new DataView(buffer);
  dataBuffers[nextDataSlot] = buffer;
  dataViews[nextDataSlot] = view;
  nextDataSlot ^= 1;
  return view;
}
