// Byte-level havoc mutator (AFL-style): bit flips, interesting values, length-field tweaks, run deletion,
// duplication and insertion, dictionary tokens and splices with other corpus entries.
// SPDX-License-Identifier: Apache-2.0
import type { Rng } from './prng.js';

/** What a mutation may draw on besides the input itself. */
export interface MutationContext {
  /** protocol tokens (tags, magic numbers, header names) to insert or overwrite with */
  readonly dictionary: readonly Uint8Array[];
  /** other inputs to splice from */
  readonly corpus: readonly Uint8Array[];
  /** inputs never grow beyond this */
  readonly maxLength: number;
}

const INTERESTING_8 = [0x00, 0x01, 0x02, 0x03, 0x04, 0x07, 0x08, 0x0f, 0x10, 0x1f, 0x20, 0x3f, 0x40, 0x7e, 0x7f, 0x80, 0x81, 0xfe, 0xff];
const INTERESTING_16 = [0, 1, 0x7f, 0x80, 0xff, 0x100, 0x3fff, 0x4000, 0x7fff, 0x8000, 0xfffe, 0xffff];
const INTERESTING_32 = [0, 1, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, 0x10000, 0x1000000, 1796];

function splice(buf: Uint8Array, at: number, count: number, insert: Uint8Array): Uint8Array {
  const remove = Math.max(0, Math.min(count, buf.length - at));
  const out = new Uint8Array(buf.length - remove + insert.length);
  out.set(buf.subarray(0, at), 0);
  out.set(insert, at);
  out.set(buf.subarray(at + remove), at + insert.length);
  return out;
}

/** Apply one random mutation to a copy of `buf`. */
export function mutateOnce(buf: Uint8Array, rng: Rng, ctx: MutationContext): Uint8Array {
  const at = (): number => rng.int(buf.length);
  const out = Uint8Array.from(buf);
  switch (rng.int(12)) {
    case 0: {
      if (out.length > 0) out[at()]! ^= 1 << rng.int(8);
      return out;
    }
    case 1: {
      if (out.length > 0) out[at()] = rng.pick(INTERESTING_8);
      return out;
    }
    case 2: {
      if (out.length > 0) out[at()] = rng.int(256);
      return out;
    }
    case 3: {
      // A 16-bit field (IPP lengths, UNIRAST counts) to an interesting or nearby value, either byte order.
      if (out.length < 2) return out;
      const pos = rng.int(out.length - 1);
      const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
      const isLittle = rng.chance(0.2);
      const value = rng.chance(0.5) ? rng.pick(INTERESTING_16) : (view.getUint16(pos, isLittle) + rng.int(33) - 16) & 0xffff;
      view.setUint16(pos, value, isLittle);
      return out;
    }
    case 4: {
      // A 32-bit field (PWG header words, IPP integers).
      if (out.length < 4) return out;
      const pos = rng.int(out.length - 3);
      const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
      const isLittle = rng.chance(0.3);
      const value = rng.chance(0.6) ? rng.pick(INTERESTING_32) : (view.getUint32(pos, isLittle) + rng.int(65) - 32) >>> 0;
      view.setUint32(pos, value, isLittle);
      return out;
    }
    case 5:
      return buf.subarray(0, at());
    case 6: {
      const from = at();
      return splice(buf, from, Math.min(buf.length - from, 1 + rng.size(64)), new Uint8Array(0));
    }
    case 7: {
      // Duplicate a run in place.
      const from = at();
      const run = buf.subarray(from, from + 1 + rng.size(128));
      return splice(buf, from, 0, run);
    }
    case 8: {
      const run = Uint8Array.from({ length: 1 + rng.size(32) }, () => (rng.chance(0.5) ? rng.int(256) : rng.pick(INTERESTING_8)));
      return splice(buf, rng.int(buf.length + 1), 0, run);
    }
    case 9: {
      if (ctx.dictionary.length === 0) return out;
      const token = rng.pick(ctx.dictionary);
      const pos = rng.int(buf.length + 1);
      return splice(buf, pos, rng.chance(0.5) ? Math.min(token.length, buf.length - pos) : 0, token);
    }
    case 10: {
      // Splice: our head, another entry's tail.
      if (ctx.corpus.length === 0) return out;
      const other = rng.pick(ctx.corpus);
      return splice(buf, at(), buf.length, other.subarray(rng.int(other.length)));
    }
    default: {
      // Copy a run of another entry over ours.
      if (ctx.corpus.length === 0) return out;
      const other = rng.pick(ctx.corpus);
      const from = rng.int(other.length);
      const run = other.subarray(from, from + 1 + rng.size(256));
      const pos = at();
      return splice(buf, pos, Math.min(run.length, buf.length - pos), run);
    }
  }
}

/** Stack 1–2^k random mutations, AFL havoc style, bounded to ctx.maxLength. */
export function havoc(buf: Uint8Array, rng: Rng, ctx: MutationContext): Uint8Array {
  let out = buf;
  const rounds = 1 << rng.int(4);
  for (let i = 0; i < rounds; i++) out = mutateOnce(out, rng, ctx);
  return out.length > ctx.maxLength ? out.subarray(0, ctx.maxLength) : out;
}
