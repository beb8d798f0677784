// TLS section of `npm run bench`: handshakes/s (TLS 1.3, TLS 1.2, plain TCP connects for scale) and
// Get-Printer-Attributes requests/s over ipps and over ipp on one keep-alive connection, in the same run; medians.
// SPDX-License-Identifier: Apache-2.0
import { once } from 'node:events';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { encodeMessage } from '../../src/ipp/encode.js';
import { IppOp } from '../../src/ipp/ops.js';
import { printerRequest, startServer, type RunningServer } from '../support/server.js';
import { buildHttpRequest } from './load-client.js';
import { median, round } from './proc-stats.js';

/** Options for the TLS section. */
export interface TlsBenchOptions {
  readonly seconds: number;
  readonly repeat: number;
  /** register a child for the watchdog; returns the unregister function */
  readonly track: (child: RunningServer) => () => void;
}

type Opener = () => Promise<Socket>;

function opener(port: number, kind: 'tcp' | 'TLSv1.2' | 'TLSv1.3'): Opener {
  if (kind === 'tcp') {
    return async () => {
      const socket = netConnect(port, '127.0.0.1');
      await once(socket, 'connect');
      return socket;
    };
  }
  return async () => {
    const socket = tlsConnect({ host: '127.0.0.1', port, rejectUnauthorized: false, minVersion: kind, maxVersion: kind, servername: 'localhost' });
    await once(socket, 'secureConnect');
    return socket;
  };
}

/** Connections opened and closed per second, one at a time. */
async function connectRate(open: Opener, seconds: number): Promise<number> {
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  let count = 0;
  while (performance.now() < end) {
    const socket = await open();
    socket.destroy();
    count++;
  }
  return count / ((performance.now() - started) / 1000);
}

/** Requests per second on one keep-alive connection, one request in flight, responses framed by Content-Length. */
async function requestRate(open: Opener, request: Buffer, seconds: number): Promise<{ rate: number; errors: number }> {
  const socket = await open();
  let buffered = Buffer.alloc(0);
  let errors = 0;
  const nextResponse = async (): Promise<void> => {
    for (;;) {
      const head = buffered.indexOf('\r\n\r\n');
      if (head >= 0) {
        const text = buffered.toString('latin1', 0, head);
        const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(text)?.[1] ?? 0);
        if (buffered.length >= head + 4 + length) {
          if (!text.startsWith('HTTP/1.1 200')) errors++;
          buffered = buffered.subarray(head + 4 + length);
          return;
        }
      }
      const [chunk] = (await once(socket, 'data')) as [Buffer];
      buffered = Buffer.concat([buffered, chunk]);
    }
  };
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  let count = 0;
  try {
    while (performance.now() < end) {
      socket.write(request);
      await nextResponse();
      count++;
    }
  } finally {
    socket.destroy();
  }
  return { rate: count / ((performance.now() - started) / 1000), errors };
}

async function medianOf(repeat: number, run: () => Promise<number>): Promise<{ median: number; runs: number[] }> {
  const runs: number[] = [];
  for (let i = 0; i < repeat; i++) runs.push(round(await run()));
  return { median: median(runs), runs };
}

/** Run the TLS section against a fresh server. */
export async function tlsBench(opts: TlsBenchOptions): Promise<Record<string, unknown>> {
  const server = await startServer({ args: ['--name', 'bench-tls'] });
  const untrack = opts.track(server);
  try {
    const { port } = server;
    const body = encodeMessage(printerRequest(server.uri, IppOp.GetPrinterAttributes));
    const request = buildHttpRequest(`127.0.0.1:${port}`, '/ipp/print', body);
    const handshakes = {
      tls13: await medianOf(opts.repeat, () => connectRate(opener(port, 'TLSv1.3'), opts.seconds)),
      tls12: await medianOf(opts.repeat, () => connectRate(opener(port, 'TLSv1.2'), opts.seconds)),
      plainTcp: await medianOf(opts.repeat, () => connectRate(opener(port, 'tcp'), opts.seconds)),
    };
    let errors = 0;
    const rate = (kind: 'tcp' | 'TLSv1.3') => async (): Promise<number> => {
      const r = await requestRate(opener(port, kind), request, opts.seconds);
      errors += r.errors;
      return r.rate;
    };
    const ipps = await medianOf(opts.repeat, rate('TLSv1.3'));
    const ipp = await medianOf(opts.repeat, rate('tcp'));
    return {
      certificate: 'self-signed ECDSA P-256',
      handshakesPerSecond: handshakes,
      getPrinterAttributesPerSecond: {
        request: 'Get-Printer-Attributes (all attributes), one keep-alive connection, one request in flight',
        ipps,
        ipp,
        ratioIppsToIpp: round(ipps.median / Math.max(1e-9, ipp.median), 2),
        errors,
      },
    };
  } finally {
    await server.stop();
    untrack();
  }
}
