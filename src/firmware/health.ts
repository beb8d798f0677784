// `ippbridge health`: is the printer serving? One IPP Get-Printer-Attributes (RFC 8011 §4.2.5) over plain HTTP to
// 127.0.0.1; healthy = an IPP response with a successful status and a printer-state. The updater runs it.
// SPDX-License-Identifier: Apache-2.0
import { request } from 'node:http';
import { parseArgs } from 'node:util';
import { attr, charset, findAttr, keyword, naturalLanguage, numberValue, uri } from '../ipp/build.js';
import { decodeMessage } from '../ipp/decode.js';
import { encodeMessage } from '../ipp/encode.js';
import { IppOp } from '../ipp/ops.js';
import { ConfigError } from '../errors.js';

/** What a health probe found. */
export type HealthResult =
  | { readonly isHealthy: true; readonly printerState: number }
  | { readonly isHealthy: false; readonly reason: string };

/** Where to probe. */
export interface HealthTarget {
  readonly host: string;
  readonly port: number;
  readonly timeoutMs: number;
}

const PRINTER_STATE_NAMES: Readonly<Record<number, string>> = { 3: 'idle', 4: 'processing', 5: 'stopped' };

function requestBody(target: HealthTarget): Buffer {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return encodeMessage({
    version: { major: 2, minor: 0 },
    code: IppOp.GetPrinterAttributes,
    requestId: 1,
    groups: [
      {
        tag: 'operation',
        attributes: [
          attr('attributes-charset', charset('utf-8')),
          attr('attributes-natural-language', naturalLanguage('en')),
          attr('printer-uri', uri(`ipp://${host}:${target.port}/ipp/print`)),
          attr('requested-attributes', keyword('printer-state')),
        ],
      },
    ],
  });
}

function post(target: HealthTarget, body: Buffer): Promise<{ status: number; data: Buffer }> {
  return new Promise((resolveResponse, reject) => {
    const req = request(
      {
        host: target.host,
        port: target.port,
        path: '/ipp/print',
        method: 'POST',
        headers: { 'content-type': 'application/ipp', 'content-length': body.length },
        signal: AbortSignal.timeout(target.timeoutMs),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolveResponse({ status: res.statusCode ?? 0, data: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Probe the printer once; never throws. */
export async function checkHealth(target: HealthTarget): Promise<HealthResult> {
  let response: { status: number; data: Buffer };
  try {
    response = await post(target, requestBody(target));
  } catch (err) {
    return { isHealthy: false, reason: `no answer on ${target.host}:${target.port}: ${(err as Error).message}` };
  }
  if (response.status !== 200) return { isHealthy: false, reason: `HTTP status ${response.status}` };
  try {
    const { message } = decodeMessage(response.data);
    if (message.code >= 0x0100) return { isHealthy: false, reason: `IPP status 0x${message.code.toString(16).padStart(4, '0')}` };
    const state = numberValue(findAttr(message, 'printer', 'printer-state'));
    if (state === undefined) return { isHealthy: false, reason: 'the response has no printer-state' };
    return { isHealthy: true, printerState: state };
  } catch (err) {
    return { isHealthy: false, reason: `not an IPP response: ${(err as Error).message}` };
  }
}

/** Probe every `intervalMs` until healthy or `deadlineMs` passed; returns the last result. */
export async function waitHealthy(target: HealthTarget, deadlineMs: number, intervalMs = 500, signal?: AbortSignal): Promise<HealthResult> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const result = await checkHealth(target);
    if (result.isHealthy || Date.now() + intervalMs > end || signal?.aborted === true) return result;
    await new Promise((resolveWait) => setTimeout(resolveWait, intervalMs));
  }
}

export const HEALTH_USAGE = `Usage: ippbridge health [--port N] [--host ADDR] [--timeout SECONDS]

Asks the printer on ADDR:N (default 127.0.0.1, port $IPPBRIDGE_IPP_PORT or 631) for its state with one IPP
Get-Printer-Attributes. Exit code 0 and the state when it answers, 1 when it does not.
`;

/** `ippbridge health`; returns the exit code. */
export async function runHealthCommand(argv: readonly string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: [...argv], strict: true, options: { port: { type: 'string' }, host: { type: 'string' }, timeout: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (e) {
    err.write(`ippbridge health: ${(e as Error).message.split('\n')[0] ?? ''}\n${HEALTH_USAGE}`);
    return 2;
  }
  if (values.help) {
    out.write(HEALTH_USAGE);
    return 0;
  }
  try {
    const port = Number(values.port ?? process.env['IPPBRIDGE_IPP_PORT'] ?? '631');
    const timeout = Number(values.timeout ?? '5');
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ConfigError('--port must be 1..65535', { code: 'ERR_USAGE' });
    if (!(timeout > 0)) throw new ConfigError('--timeout must be a positive number of seconds', { code: 'ERR_USAGE' });
    const result = await checkHealth({ host: values.host ?? '127.0.0.1', port, timeoutMs: timeout * 1000 });
    if (!result.isHealthy) {
      err.write(`ippbridge health: unhealthy: ${result.reason}\n`);
      return 1;
    }
    out.write(`healthy: printer-state ${PRINTER_STATE_NAMES[result.printerState] ?? String(result.printerState)}\n`);
    return 0;
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    err.write(`ippbridge health: ${e.message}\n`);
    return 2;
  }
}
