// The first journeys in a real browser, once with JavaScript and once without: every page must
// work without it, and with it htmx must load cleanly under our CSP (script-src 'self').
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, newSession, serveTestInstall, type BrowserSession, type ServedInstall } from '../helpers/browser.ts';

let served: ServedInstall;
let browser: Browser;

beforeAll(async () => {
  [served, browser] = await Promise.all([serveTestInstall({ demo: true }), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await served?.close();
});

const html = (s: BrowserSession) => s.page.locator('html');
const heading = (s: BrowserSession) => s.page.locator('main h1');

for (const javaScriptEnabled of [true, false]) {
  describe(`pages with JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
    // A fresh context per test: no cookies, no cache, its own console log.
    let s: BrowserSession;
    beforeEach(async () => {
      s = await newSession(browser, { baseURL: served.baseURL, javaScriptEnabled });
    });
    afterEach(() => s?.close());

    it('lands a visitor on the sign-in page from /', async () => {
      const res = await s.page.goto('/');
      expect(res?.status()).toBe(200);
      expect(new URL(s.page.url()).pathname).toBe('/sign-in');
      expect(await html(s).getAttribute('lang')).toBe('en');
      expect(await html(s).getAttribute('dir')).toBe('ltr');
      expect(await heading(s).textContent()).toBe('Sign in');
      expect(await s.page.locator('form[method="post"][action="/sign-in"] input[name="email"]').count()).toBe(1);
      expect(s.problems.errors).toEqual([]);
    });

    it('switches to Arabic (rtl) and back with the language button', async () => {
      await s.page.goto('/sign-in');
      const button = s.page.locator('form.lang-switch button[name="lang"]');

      expect(await button.getAttribute('value')).toBe('ar');
      await Promise.all([s.page.waitForURL('**/sign-in', { waitUntil: 'load' }), button.click()]);
      expect(s.problems.responses.filter((r) => r.status >= 400)).toEqual([]);
      expect(await html(s).getAttribute('dir')).toBe('rtl');
      expect(await html(s).getAttribute('lang')).toBe('ar');
      expect(await heading(s).textContent()).toBe('تسجيل الدخول');

      expect(await button.getAttribute('value')).toBe('en');
      await Promise.all([s.page.waitForURL('**/sign-in', { waitUntil: 'load' }), button.click()]);
      expect(await html(s).getAttribute('dir')).toBe('ltr');
      expect(await html(s).getAttribute('lang')).toBe('en');
      expect(await heading(s).textContent()).toBe('Sign in');
      expect(s.problems.errors).toEqual([]);
    });

    it('loads htmx with no console errors, page errors or CSP violations', async () => {
      await s.page.goto('/sign-in', { waitUntil: 'load' });
      if (javaScriptEnabled) {
        const scripts = s.problems.responses
          .filter((r) => /^\/static\/(htmx|app)\..+\.js$/.test(new URL(r.url).pathname))
          .map((r) => ({ name: new URL(r.url).pathname.split('.')[0], status: r.status, type: r.type }));
        expect(scripts).toEqual(
          expect.arrayContaining([
            { name: '/static/htmx', status: 200, type: expect.stringContaining('text/javascript') },
            { name: '/static/app', status: 200, type: expect.stringContaining('text/javascript') },
          ]),
        );
        // htmx initialises on DOMContentLoaded, so by `load` it has run its setup.
        const version = await s.page.evaluate(() => (window as unknown as { htmx?: { version?: unknown } }).htmx?.version);
        expect(version).toMatch(/^4\./);
        expect(await s.problems.cspViolations()).toEqual([]);
      }
      expect(s.problems.errors).toEqual([]);
      expect(s.problems.responses.filter((r) => r.status >= 400)).toEqual([]);
    });
  });
}
