// Incremental IPP message decoder (RFC 8010 §3): takes any split of the input and stops exactly at the
// end-of-attributes-tag; what follows is document data, which it never buffers.
// SPDX-License-Identifier: Apache-2.0
import { Buffer } from 'node:buffer';
import { IppDecodeError } from '../errors.js';
import { decodeValue } from './decode-value.js';
import { DelimiterTag, FIRST_VALUE_TAG, GROUP_NAME, ValueTag, tagName } from './tags.js';
import { DEFAULT_DECODE_LIMITS } from './types.js';
import type { DecodeLimits, GroupTag, IppMessage, IppValue } from './types.js';

type Header = NonNullable<IppDecodeError['header']>;
interface MutableAttribute {
  readonly name: string;
  readonly values: IppValue[];
}
interface MutableGroup {
  readonly tag: GroupTag;
  readonly attributes: MutableAttribute[];
}
/** An open collection: its members so far and the member receiving values. */
interface Frame {
  readonly members: MutableAttribute[];
  member: MutableAttribute | undefined;
}

const HEADER_BYTES = 8;
const EMPTY = Buffer.alloc(0);
/** Chunks up to this size are copied into a tail buffer of TAIL_BYTES when they would otherwise queue up. */
const SMALL_CHUNK = 256;
const TAIL_BYTES = 4096;

function toBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/**
 * Resumable decoder: `push` chunks until it returns true, then read `result()` and `leftover()`.
 * Chunks are queued without copying (small ones that would pile up are packed together) and only an item split
 * across chunks is joined, so total work stays linear however the input is split. Pushed chunks must not be
 * modified afterwards. After a throw the decoder stays failed.
 */
export class IppDecoder {
  readonly #limits: DecodeLimits;
  readonly #queue: Buffer[] = [];
  /** bytes held in #queue */
  #queued = 0;
  /** attribute-section bytes decoded so far; #queue[0] starts at this offset */
  #consumed = 0;
  /** bytes needed at the head of #queue before decoding can progress */
  #need = HEADER_BYTES;
  #header: Header | undefined;
  readonly #groups: MutableGroup[] = [];
  #group: MutableGroup | undefined;
  #attr: MutableAttribute | undefined;
  readonly #frames: Frame[] = [];
  #values = 0;
  /** owned buffer that small chunks are packed into; its first #tailUsed bytes are in use */
  #tail: Buffer | undefined;
  #tailUsed = 0;
  #isDone = false;
  #error: IppDecodeError | undefined;

  constructor(limits: DecodeLimits = DEFAULT_DECODE_LIMITS) {
    this.#limits = limits;
  }

  /** True once the end-of-attributes-tag was decoded. */
  get isDone(): boolean {
    return this.#isDone;
  }

  /** Bytes of the attribute section decoded so far (its whole length once done). */
  get bytesConsumed(): number {
    return this.#consumed;
  }

  /** Feeds the next chunk; true when the end-of-attributes-tag has been reached. Throws IppDecodeError. */
  push(chunk: Uint8Array): boolean {
    if (this.#error) throw this.#error;
    if (chunk.length > 0) this.#enqueue(toBuffer(chunk));
    try {
      while (!this.#isDone && this.#queued >= this.#need) {
        const head = this.#coalesce(this.#need);
        const used = this.#parse(head);
        this.#consumed += used;
        this.#queued -= used;
        if (used === head.length) this.#queue.shift();
        else if (used > 0) this.#queue[0] = head.subarray(used);
      }
      // Everything still queued belongs to the unfinished item, so the limit holds for the bytes seen so far.
      if (!this.#isDone) this.#checkSize(this.#queued);
    } catch (err) {
      if (!(err instanceof IppDecodeError)) throw err;
      this.#error = this.#header && !err.header ? new IppDecodeError(err.message, limitCode(err), this.#header) : err;
      throw this.#error;
    }
    return this.#isDone;
  }

  /** The decoded message; throws IppDecodeError when the input ended before the end-of-attributes-tag. */
  result(): IppMessage {
    if (this.#error) throw this.#error;
    const header = this.#header;
    if (!header || !this.#isDone) {
      const where = header ? 'before the end-of-attributes-tag' : `within the ${HEADER_BYTES}-byte header`;
      this.#error = new IppDecodeError(`IPP message truncated ${where}`, 'ERR_IPP_DECODE', header);
      throw this.#error;
    }
    return { version: header.version, code: header.code, requestId: header.requestId, groups: this.#groups };
  }

  /** Bytes pushed after the end-of-attributes-tag: the head of the document data (empty before the end). */
  leftover(): Uint8Array {
    if (!this.#isDone || this.#queue.length === 0) return EMPTY;
    return this.#queue.length === 1 ? this.#queue[0]! : Buffer.concat(this.#queue, this.#queued);
  }

  /**
   * Queues a chunk without copying, except that small chunks arriving while bytes are pending are packed into a
   * shared tail buffer, so a client trickling single bytes cannot make us hold one Buffer object per byte.
   */
  #enqueue(chunk: Buffer): void {
    this.#queued += chunk.length;
    const count = this.#queue.length;
    if (chunk.length > SMALL_CHUNK || count === 0) {
      this.#queue.push(chunk);
      return;
    }
    const last = this.#queue[count - 1]!;
    const tail = this.#tail;
    const isTailEnd = tail !== undefined && last.buffer === tail.buffer && last.byteOffset + last.length === tail.byteOffset + this.#tailUsed;
    if (isTailEnd && this.#tailUsed + chunk.length <= tail.length) {
      chunk.copy(tail, this.#tailUsed);
      this.#tailUsed += chunk.length;
      this.#queue[count - 1] = tail.subarray(last.byteOffset - tail.byteOffset, this.#tailUsed);
      return;
    }
    this.#tail = Buffer.allocUnsafeSlow(TAIL_BYTES);
    this.#tailUsed = chunk.copy(this.#tail, 0);
    this.#queue.push(this.#tail.subarray(0, this.#tailUsed));
  }

  /** Makes #queue[0] at least `n` bytes long by joining exactly the bytes needed from the next chunks. */
  #coalesce(n: number): Buffer {
    const first = this.#queue[0]!;
    if (first.length >= n) return first;
    const joined = Buffer.allocUnsafe(n);
    let filled = 0;
    let whole = 0;
    while (filled < n) {
      const chunk = this.#queue[whole]!;
      const take = Math.min(chunk.length, n - filled);
      chunk.copy(joined, filled, 0, take);
      filled += take;
      if (take < chunk.length) {
        this.#queue[whole] = chunk.subarray(take);
        break;
      }
      whole++;
    }
    this.#queue.splice(0, whole, joined);
    return joined;
  }

  /** Decodes whole items from `buf` (which starts at #consumed); returns the bytes used and sets #need. */
  #parse(buf: Buffer): number {
    let off = 0;
    if (!this.#header) {
      this.#checkSize(HEADER_BYTES);
      this.#header = {
        version: { major: buf[0]!, minor: buf[1]! },
        code: buf.readUInt16BE(2),
        requestId: buf.readInt32BE(4),
      };
      off = HEADER_BYTES;
    }
    const end = buf.length;
    while (off < end) {
      const tag = buf[off]!;
      if (tag < FIRST_VALUE_TAG) {
        this.#checkSize(off + 1);
        this.#delimiter(tag);
        off += 1;
        if (this.#isDone) return off;
        continue;
      }
      // value-tag, name-length, name, value-length, value (RFC 8010 §3.1.4)
      if (end - off < 3) return this.#wait(off, 3);
      const nameLength = (buf[off + 1]! << 8) | buf[off + 2]!;
      const lengthAt = off + 3 + nameLength;
      if (end - lengthAt < 2) return this.#wait(off, 5 + nameLength);
      const valueLength = (buf[lengthAt]! << 8) | buf[lengthAt + 1]!;
      const itemEnd = lengthAt + 2 + valueLength;
      if (itemEnd > end) return this.#wait(off, itemEnd - off);
      this.#checkSize(itemEnd);
      this.#item(tag, buf, off + 3, nameLength, lengthAt + 2, valueLength);
      off = itemEnd;
    }
    return this.#wait(off, 1);
  }

  #wait(off: number, need: number): number {
    this.#checkSize(off + need);
    this.#need = need;
    return off;
  }

  /** Throws ERR_IPP_LIMIT when the attribute section would exceed maxAttributeBytes. */
  #checkSize(relativeEnd: number): void {
    const total = this.#consumed + relativeEnd;
    if (total > this.#limits.maxAttributeBytes) {
      throw new IppDecodeError(`attribute section exceeds ${this.#limits.maxAttributeBytes} bytes`, 'ERR_IPP_LIMIT');
    }
  }

  /** A group tag starts a new group (repeats allowed, wire order kept); the end tag finishes. */
  #delimiter(tag: number): void {
    if (this.#frames.length > 0) throw new IppDecodeError(`delimiter tag 0x0${tag.toString(16)} inside a collection`);
    if (tag === DelimiterTag.End) {
      this.#isDone = true;
      return;
    }
    const name = GROUP_NAME[tag];
    if (name === undefined) throw new IppDecodeError(`reserved delimiter tag 0x0${tag.toString(16)}`);
    this.#group = { tag: name, attributes: [] };
    this.#groups.push(this.#group);
    this.#attr = undefined;
  }

  #item(tag: number, buf: Buffer, nameAt: number, nameLength: number, valueAt: number, valueLength: number): void {
    const frame = this.#frames[this.#frames.length - 1];
    if (frame) {
      this.#member(frame, tag, buf, nameLength, valueAt, valueLength);
      return;
    }
    if (!this.#group) throw new IppDecodeError('attribute before any group tag');
    if (tag === ValueTag.MemberAttrName || tag === ValueTag.EndCollection) {
      throw new IppDecodeError(`${tagName(tag)} outside a collection`);
    }
    let attr = this.#attr;
    if (nameLength > 0) {
      attr = { name: buf.toString('utf8', nameAt, nameAt + nameLength), values: [] };
      this.#group.attributes.push(attr);
      this.#attr = attr;
    } else if (!attr) {
      throw new IppDecodeError('additional value (empty name) without a preceding attribute');
    }
    this.#addValue(attr.values, tag, buf, valueAt, valueLength);
  }

  /** Inside a collection (RFC 8010 §3.1.6): memberAttrName, then the member's value(s), ..., endCollection. */
  #member(frame: Frame, tag: number, buf: Buffer, nameLength: number, valueAt: number, valueLength: number): void {
    if (nameLength !== 0) throw new IppDecodeError('named attribute inside a collection');
    if (tag === ValueTag.MemberAttrName || tag === ValueTag.EndCollection) {
      if (frame.member && frame.member.values.length === 0) {
        throw new IppDecodeError(`collection member "${frame.member.name}" has no value`);
      }
    }
    if (tag === ValueTag.MemberAttrName) {
      if (valueLength === 0) throw new IppDecodeError('empty memberAttrName');
      frame.member = { name: buf.toString('utf8', valueAt, valueAt + valueLength), values: [] };
      frame.members.push(frame.member);
    } else if (tag === ValueTag.EndCollection) {
      if (valueLength !== 0) throw new IppDecodeError('endCollection with a non-empty value');
      this.#frames.pop();
    } else if (frame.member) {
      this.#addValue(frame.member.values, tag, buf, valueAt, valueLength);
    } else {
      throw new IppDecodeError('collection value before any memberAttrName');
    }
  }

  #addValue(values: IppValue[], tag: number, buf: Buffer, valueAt: number, valueLength: number): void {
    if (++this.#values > this.#limits.maxValues) {
      throw new IppDecodeError(`more than ${this.#limits.maxValues} attribute values`, 'ERR_IPP_LIMIT');
    }
    if (tag !== ValueTag.BegCollection) {
      values.push(decodeValue(tag, buf, valueAt, valueLength));
      return;
    }
    if (valueLength !== 0) throw new IppDecodeError('begCollection with a non-empty value');
    if (this.#frames.length >= this.#limits.maxDepth) {
      throw new IppDecodeError(`collections nested deeper than ${this.#limits.maxDepth}`, 'ERR_IPP_LIMIT');
    }
    const members: MutableAttribute[] = [];
    values.push({ syntax: 'collection', members });
    this.#frames.push({ members, member: undefined });
  }
}

function limitCode(err: IppDecodeError): 'ERR_IPP_DECODE' | 'ERR_IPP_LIMIT' {
  return err.code === 'ERR_IPP_LIMIT' ? 'ERR_IPP_LIMIT' : 'ERR_IPP_DECODE';
}
