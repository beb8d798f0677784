// Lean HTTP/1.1 load client for IPP benchmarks: N raw keep-alive sockets, one prebuilt request each, responses
// parsed by Content-Length or chunked framing without copying bodies. Measures the server, not itself.
// SPDX-License-Identifier: Apache-2.0
import { connect, type Socket } from 'node:net';

/** What one load run measured. */
export interface LoadResult {
  readonly connections: number;
  readonly seconds: number;
  readonly requests: number;
  readonly requestsPerSecond: number;
  /** responses that were not HTTP 200 with IPP status successful-ok, plus socket errors */
  readonly errors: number;
  /** connections the server closed before the run ended (each is reopened) */
  readonly reconnects: number;
  readonly responseBytes: number;
}

/** A POST of `body` to `path`, with keep-alive, as raw bytes. */
export function buildHttpRequest(host: string, path: string, body: Uint8Array): Buffer {
  const head =
    `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/ipp\r\n` +
    `Content-Length: ${body.length}\r\nConnection: keep-alive\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

type Phase = 'head' | 'length' | 'chunk-size' | 'chunk-data' | 'chunk-end' | 'trailer';

/** Incremental response framing for one connection; calls `done(ok)` per complete response. */
class ResponseParser {
  #phase: Phase = 'head';
  #carry: Buffer = Buffer.alloc(0);
  #remaining = 0;
  #httpOk = false;
  /** first 4 body bytes (IPP version + status-code) */
  #prefix: number[] = [];
  bytes = 0;
  constructor(private readonly done: (ok: boolean) => void) {}

  push(data: Buffer): void {
    this.bytes += data.length;
    const buf = this.#carry.length > 0 ? Buffer.concat([this.#carry, data]) : data;
    this.#carry = Buffer.alloc(0);
    let pos = 0;
    while (pos < buf.length) {
      if (this.#phase === 'length' || this.#phase === 'chunk-data') {
        const take = Math.min(this.#remaining, buf.length - pos);
        for (let i = 0; i < take && this.#prefix.length < 4; i++) this.#prefix.push(buf[pos + i] ?? 0);
        pos += take;
        this.#remaining -= take;
        if (this.#remaining === 0) {
          if (this.#phase === 'length') this.#finish();
          else this.#phase = 'chunk-end';
        }
        continue;
      }
      const eol = buf.indexOf(this.#phase === 'head' ? '\r\n\r\n' : '\r\n', pos, 'latin1');
      if (eol < 0) {
        this.#carry = Buffer.from(buf.subarray(pos));
        return;
      }
      const line = buf.toString('latin1', pos, eol);
      pos = eol + (this.#phase === 'head' ? 4 : 2);
      this.#line(line);
    }
  }

  #line(line: string): void {
    switch (this.#phase) {
      case 'head': {
        this.#httpOk = line.startsWith('HTTP/1.1 200') || line.startsWith('HTTP/1.0 200');
        this.#prefix = [];
        const length = /\r\ncontent-length:\s*(\d+)/i.exec(line)?.[1];
        if (/\r\ntransfer-encoding:\s*chunked/i.test(line)) this.#phase = 'chunk-size';
        else {
          this.#remaining = Number(length ?? 0);
          this.#phase = 'length';
          if (this.#remaining === 0) this.#finish();
        }
        return;
      }
      case 'chunk-size':
        this.#remaining = parseInt(line, 16);
        this.#phase = this.#remaining === 0 ? 'trailer' : 'chunk-data';
        return;
      case 'chunk-end':
        this.#phase = 'chunk-size';
        return;
      case 'trailer':
        if (line === '') this.#finish();
        return;
      case 'length':
      case 'chunk-data':
        return;
      default: {
        const never: never = this.#phase;
        throw new Error(`bad phase ${String(never)}`);
      }
    }
  }

  #finish(): void {
    this.#phase = 'head';
    const ippOk = this.#prefix.length >= 4 && this.#prefix[2] === 0 && (this.#prefix[3] ?? 0xff) <= 0x02;
    this.done(this.#httpOk && ippOk);
  }
}

/** Run `connections` keep-alive clients sending `request` back to back for `durationMs`. */
export async function runLoad(opts: {
  readonly port: number;
  readonly request: Buffer;
  readonly connections: number;
  readonly durationMs: number;
}): Promise<LoadResult> {
  let requests = 0;
  let errors = 0;
  let reconnects = 0;
  let responseBytes = 0;
  const started = process.hrtime.bigint();
  const deadline = Date.now() + opts.durationMs;
  const one = (): Promise<void> =>
    new Promise((resolve) => {
      const sock: Socket = connect({ host: '127.0.0.1', port: opts.port });
      sock.setNoDelay(true);
      let isDone = false;
      const parser = new ResponseParser((ok) => {
        if (ok) requests++;
        else errors++;
        if (Date.now() < deadline) sock.write(opts.request);
        else {
          isDone = true;
          sock.end();
        }
      });
      sock.on('connect', () => sock.write(opts.request));
      sock.on('data', (d: Buffer) => parser.push(d));
      sock.on('error', () => {
        errors++;
      });
      sock.on('close', () => {
        responseBytes += parser.bytes;
        // A server that closes a keep-alive connection early gets a new one (counted) until the deadline.
        if (!isDone && Date.now() < deadline) {
          reconnects++;
          resolve(one());
        } else resolve();
      });
      // Bound the run even if the server stops answering.
      setTimeout(() => sock.destroy(), Math.max(0, deadline - Date.now()) + 10_000).unref();
    });
  await Promise.all(Array.from({ length: opts.connections }, one));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    connections: opts.connections,
    seconds,
    requests,
    requestsPerSecond: requests / seconds,
    errors,
    reconnects,
    responseBytes,
  };
}
