// Web page timings (issue 7): server time per page (median of repeated GETs over one keep-alive HTTPS
// connection, logged in as the administrator) and, when chromium and playwright-core are there, the browser's
// navigation duration per page. Prints one JSON object; `node dist/test/bench/web.js`. Env: BENCH_WEB_REPEAT.
// SPDX-License-Identifier: Apache-2.0
import { Agent, request } from 'node:https';
import { performance } from 'node:perf_hooks';
import { launchChromium } from '../support/browser.js';
import { startServer } from '../support/server.js';
import { median, round } from './proc-stats.js';

const PAGES = ['/', '/jobs', '/media', '/settings', '/security', '/network', '/logs', '/status.json'];
const REPEAT = Number(process.env['BENCH_WEB_REPEAT'] ?? 50);

function get(agent: Agent, port: number, path: string, auth: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request({ host: '127.0.0.1', port, path, agent, rejectUnauthorized: false, headers: { Authorization: auth } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`${path}: HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Per-page server and browser timings in milliseconds. */
export async function webBench(repeat = REPEAT): Promise<Record<string, unknown>> {
  const server = await startServer();
  try {
    const m = /created administrator "([^"]+)" with password (\S+)/.exec(server.output());
    if (!m?.[1] || !m[2]) throw new Error('no administrator password in the server output');
    const auth = `Basic ${Buffer.from(`${m[1]}:${m[2]}`).toString('base64')}`;
    const agent = new Agent({ keepAlive: true, maxSockets: 1, rejectUnauthorized: false });
    const serverMs: Record<string, number> = {};
    for (const path of PAGES) {
      const times: number[] = [];
      for (let i = 0; i < repeat; i++) times.push(await get(agent, server.port, path, auth));
      serverMs[path] = round(median(times), 2);
    }
    agent.destroy();
    const browserMs: Record<string, number> = {};
    const launch = await launchChromium();
    if (!('skip' in launch)) {
      try {
        const context = await launch.browser.newContext({ ignoreHTTPSErrors: true, httpCredentials: { username: m[1], password: m[2] } });
        const page = await context.newPage();
        await page.goto(`https://127.0.0.1:${server.port}/login`);
        for (const path of PAGES.filter((p) => !p.endsWith('.json'))) {
          await page.goto(`https://127.0.0.1:${server.port}${path}`, { waitUntil: 'load' });
          browserMs[path] = round(await page.evaluate<number>("performance.getEntriesByType('navigation')[0].duration"), 1);
        }
      } finally {
        await launch.close();
      }
    }
    return {
      what: 'web pages: median server time per GET (one keep-alive HTTPS connection, admin login) and browser load (navigation duration)',
      repeat,
      serverMs,
      browserMs: 'skip' in launch ? launch.skip : browserMs,
    };
  } finally {
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${JSON.stringify(await webBench(), null, 2)}\n`);
}
