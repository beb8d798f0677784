// Headless Debian chromium driven by playwright-core, for the web page tests. Without chromium or playwright-core
// the tests are skipped, except under CI=true where a missing browser is a failure.
// SPDX-License-Identifier: Apache-2.0
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where Debian's chromium package puts the browser (.ci/run installs it). */
export const CHROMIUM = process.env['CHROMIUM'] ?? '/usr/bin/chromium';
/** The module that drives it (a devDependency). */
const PLAYWRIGHT_MODULE = 'playwright-core';

/** Flags for a quiet headless run that talks to nothing but the test server. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The part of playwright's API the tests use. */
export interface ConsoleMessage {
  type(): string;
  text(): string;
}
export interface PwResponse {
  status(): number;
  text(): Promise<string>;
}
export interface PwPage {
  on(event: 'console', listener: (msg: ConsoleMessage) => void): void;
  on(event: 'pageerror', listener: (err: Error) => void): void;
  goto(url: string, opts?: { waitUntil?: 'load' | 'domcontentloaded' | 'networkidle' }): Promise<PwResponse | null>;
  waitForSelector(selector: string, opts?: { timeout?: number; state?: 'attached' | 'visible' }): Promise<unknown>;
  textContent(selector: string): Promise<string | null>;
  selectOption(selector: string, value: string): Promise<string[]>;
  click(selector: string): Promise<void>;
  waitForURL(url: string | RegExp, opts?: { timeout?: number }): Promise<void>;
  screenshot(opts: { path: string; fullPage?: boolean }): Promise<Buffer>;
  evaluate<T>(fn: string): Promise<T>;
  content(): Promise<string>;
  keyboard: { press(key: string): Promise<void> };
}
export interface PwContext {
  newPage(): Promise<PwPage>;
  close(): Promise<void>;
}
export interface PwBrowser {
  newContext(opts: {
    ignoreHTTPSErrors?: boolean;
    httpCredentials?: { username: string; password: string; send?: 'always' | 'unauthorized' };
    viewport?: { width: number; height: number };
  }): Promise<PwContext>;
  close(): Promise<void>;
}
interface Playwright {
  chromium: { launch(opts: { executablePath: string; args: string[]; headless: boolean; env?: Record<string, string> }): Promise<PwBrowser> };
}

/** A launched browser and its cleanup, or why there is none. */
export type BrowserLaunch = { readonly browser: PwBrowser; close(): Promise<void> } | { readonly skip: string };

/**
 * Launch headless chromium; `{ skip }` when it or playwright-core is missing (not under CI). playwright gives every
 * launch a fresh temporary profile (it refuses --user-data-dir in args) and removes it on close.
 */
export async function launchChromium(): Promise<BrowserLaunch> {
  const missing = (why: string): BrowserLaunch => {
    if (process.env['CI'] === 'true') throw new Error(`${why} (required under CI=true)`);
    return { skip: why };
  };
  if (!existsSync(CHROMIUM)) return missing(`no chromium at ${CHROMIUM}`);
  let pw: Playwright;
  try {
    pw = (await import(PLAYWRIGHT_MODULE)) as Playwright;
  } catch {
    return missing(`${PLAYWRIGHT_MODULE} is not installed`);
  }
  const browser = await pw.chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  return { browser, close: () => browser.close() };
}

/** Folder for screenshots and other test artifacts (git-ignored). */
export function artifactsDir(root: string): string {
  return join(root, 'test', 'artifacts');
}
