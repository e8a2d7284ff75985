// Browser tests: Debian's Chromium driven by playwright-core, over a real HTTP server on loopback.
// Never `npx playwright install`: this machine has no downloads (STACK-NOTES.md).
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { nodeServeAdapter } from '../../src/platform/node/index.ts';
import { testInstall, type TestInstall } from './system.ts';

export const CHROMIUM_PATH = process.env.INVENT_CHROMIUM ?? '/usr/bin/chromium';

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

/** Launches Chromium; a missing binary is a failure with the fix in the message, never a silent skip. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}: browser tests need it. ` +
        'Install it with `apt-get update && apt-get install -y chromium` (or set INVENT_CHROMIUM to its path). ' +
        'Do not run `npx playwright install`.',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
}

export interface BrowserProblems {
  /** Console messages of type error or warning, and uncaught page errors, as text. */
  errors: string[];
  /** Every console message, for diagnostics. */
  console: string[];
  /** Every response the page received: status, URL and content type. */
  responses: { status: number; url: string; type: string }[];
  /** CSP violations seen by the page (reported only while JavaScript runs). */
  cspViolations(): Promise<string[]>;
}

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  problems: BrowserProblems;
  close(): Promise<void>;
}

// Runs before any page script: records CSP violations, which Chromium also logs to the console.
const RECORD_CSP = `
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push(e.violatedDirective + ' blocked ' + (e.blockedURI || '(inline)') + ' at ' + e.sourceFile + ':' + e.lineNumber);
  });
`;

/** A fresh context (no cookies, no cache) and page, collecting console output and page errors. */
export async function newSession(
  browser: Browser,
  opts: { baseURL: string; javaScriptEnabled: boolean; locale?: string },
): Promise<BrowserSession> {
  const context = await browser.newContext({
    baseURL: opts.baseURL,
    javaScriptEnabled: opts.javaScriptEnabled,
    locale: opts.locale ?? 'en-GB',
  });
  context.setDefaultTimeout(10_000);
  if (opts.javaScriptEnabled) await context.addInitScript(RECORD_CSP);
  const page = await context.newPage();
  const errors: string[] = [];
  const all: string[] = [];
  page.on('console', (msg) => {
    const loc = msg.location();
    const line = `${msg.type()}: ${msg.text()}${loc.url ? ` (${loc.url}:${loc.lineNumber})` : ''}`;
    all.push(line);
    // Chromium fetches /favicon.ico on its own, at a time of its choosing: not page content.
    if (/\/favicon\.ico$/.test(loc.url ?? '')) return;
    if (msg.type() === 'error' || msg.type() === 'warning') errors.push(line);
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  const responses: BrowserProblems['responses'] = [];
  page.on('response', (r) => void responses.push({ status: r.status(), url: r.url(), type: r.headers()['content-type'] ?? '' }));
  const problems: BrowserProblems = {
    errors,
    console: all,
    responses,
    async cspViolations() {
      if (!opts.javaScriptEnabled) return [];
      return page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []);
    },
  };
  return { context, page, problems, close: () => context.close() };
}

export interface ServedInstall {
  install: TestInstall;
  baseURL: string;
  close(): Promise<void>;
}

/** A demo installation in a temp folder, served over real HTTP on 127.0.0.1 at a free port. */
export async function serveTestInstall(opts: { demo?: boolean; env?: Record<string, string> } = {}): Promise<ServedInstall> {
  const install = await testInstall({ demo: opts.demo ?? true, ...(opts.env ? { env: opts.env } : {}) });
  try {
    const server = await nodeServeAdapter(install.app.fetch, { port: 0, host: '127.0.0.1' });
    return {
      install,
      baseURL: `http://127.0.0.1:${server.port}`,
      async close() {
        await server.close();
        await install.close();
      },
    };
  } catch (err) {
    await install.close();
    throw err;
  }
}
