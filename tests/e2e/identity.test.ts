// The identity journey in a real browser, once with JavaScript and once without, on the real clock:
// set up TOTP from the account page, sign in with a code (once), with a recovery code (once), change
// the password, and see another browser signed in as the same person lose its session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { generateHOTP } from '@oslojs/otp';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { launchBrowser, newSession, serveTestInstall, type BrowserSession, type ServedInstall } from '../helpers/browser.ts';

const EMAIL = 'doctor@demo.test';
const PASSWORD = 'correct-horse-battery-staple';
const NEW_PASSWORD = 'lanterns drift over the quiet harbour';

// ---- TOTP on the real clock (RFC 6238: SHA-1, 6 digits, 30 s) --------------------------------------

const STEP_MS = 30_000;
/** Time kept in hand when using the previous step, so the server's clock cannot leave its reach. */
const MARGIN_MS = 5_000;

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const keyFrom = (shown: string) => decodeBase32IgnorePadding(shown.replace(/\s+/g, ''));
const codeAt = (key: Uint8Array, step: number) => generateHOTP(key, BigInt(step), 6);

/**
 * The code of the lowest time step above `used` that the server accepts now (its own step +-1: AU7),
 * waiting for the clock only when that step is still two ahead. Starting one step back (while well
 * inside the current step) leaves the next two steps usable at once, so the journey needs three
 * distinct steps (AU8) without waiting for a new 30 s window.
 */
async function freshCode(key: Uint8Array, used?: number): Promise<{ step: number; code: string; waitedMs: number }> {
  let waitedMs = 0;
  for (;;) {
    const now = Date.now();
    const current = Math.floor(now / STEP_MS);
    const lowest = now % STEP_MS < STEP_MS - MARGIN_MS ? current - 1 : current;
    const step = used === undefined ? lowest : Math.max(lowest, used + 1);
    if (step <= current + 1) return { step, code: codeAt(key, step), waitedMs };
    const wait = (step - 1) * STEP_MS - now + 250;
    await sleep(wait);
    waitedMs += wait;
  }
}

// ---- Browser helpers --------------------------------------------------------------------------------

const path = (p: Page) => new URL(p.url()).pathname;

/** Clicks a submit button and waits until the browser has loaded the page it leads to. */
async function submitTo(page: Page, button: Locator, pathname: string, search?: RegExp): Promise<void> {
  await Promise.all([
    page.waitForURL((u) => u.pathname === pathname && (!search || search.test(u.search)), { waitUntil: 'load' }),
    button.click(),
  ]);
}

/** Submits a form that answers on its own URL (a refusal, or the recovery-code page), and waits for that answer. */
async function submitInPlace(page: Page, button: Locator, action: string): Promise<number> {
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === action),
    button.click(),
  ]);
  await page.waitForLoadState('load');
  return res.status();
}

async function signInWithPassword(page: Page, password = PASSWORD, expectPath = '/sign-in/code'): Promise<void> {
  await page.goto('/sign-in');
  await page.fill('#email', EMAIL);
  await page.fill('#password', password);
  await submitTo(page, page.locator('main form[action="/sign-in"] button[type="submit"]'), expectPath);
}

const codeForm = (page: Page) => page.locator('main form[action="/sign-in/code"]');

async function enterCode(page: Page, code: string, expectPath: string, search?: RegExp): Promise<void> {
  await page.fill('#code', code);
  await submitTo(page, codeForm(page).locator('button[type="submit"]'), expectPath, search);
}

/** A refused code: 401, the error shown, and the code page again. */
async function enterRefusedCode(page: Page, code: string): Promise<void> {
  await page.fill('#code', code);
  expect(await submitInPlace(page, codeForm(page).locator('button[type="submit"]'), '/sign-in/code')).toBe(401);
  expect(path(page)).toBe('/sign-in/code');
  await expect.poll(() => page.locator('main .alert[role="alert"]').textContent()).toBe('That code is not right, or it was already used.');
  expect(await codeForm(page).count()).toBe(1);
}

async function signOut(page: Page): Promise<void> {
  await submitTo(page, page.locator('header form[action="/sign-out"] button[type="submit"]'), '/sign-in');
}

const sessionCookie = async (s: BrowserSession) => (await s.context.cookies()).find((c) => c.name.endsWith('invent_sid'))?.value;

/** What a request carrying only this session token is answered with (no browser, no redirects followed). */
async function probeWithToken(baseURL: string, token: string, to: string): Promise<string | null> {
  const res = await fetch(baseURL + to, { headers: { Cookie: `invent_sid=${token}` }, redirect: 'manual' });
  return res.status === 200 ? to : res.headers.get('Location');
}

/** Collects CSP violations across every page the session loads (the helper's list is per document). */
async function recordCspAcrossPages(s: BrowserSession): Promise<string[]> {
  const seen: string[] = [];
  await s.context.exposeBinding('__inventCspViolation', (_source, text: string) => void seen.push(text));
  await s.context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __inventCspViolation(t: string): void }).__inventCspViolation(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} on ${location.pathname}`);
    });
  });
  return seen;
}

// ---- The journeys -----------------------------------------------------------------------------------

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

for (const javaScriptEnabled of [true, false]) {
  describe(`identity journey with JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
    // A fresh demo installation per mode: the doctor starts without 2FA and with the demo password.
    let served: ServedInstall;
    beforeAll(async () => {
      served = await serveTestInstall({ demo: true });
    });
    afterAll(() => served?.close());

    it(
      'AU7 AU8 AU10 SE3 SE5: enrol TOTP, a code and a recovery code each work once, a password change signs the other browser out',
      async () => {
        const a = await newSession(browser, { baseURL: served.baseURL, javaScriptEnabled });
        const b = await newSession(browser, { baseURL: served.baseURL, javaScriptEnabled });
        const csp = javaScriptEnabled ? await recordCspAcrossPages(a) : [];
        const { page } = a;
        try {
          // Sign in with the password alone (no 2FA yet) and open the account page.
          await signInWithPassword(page, PASSWORD, '/');
          await page.goto('/account');
          expect(await page.locator('[data-testid="2fa-status"]').textContent()).toBe('Off.');
          if (javaScriptEnabled) {
            const version = await page.evaluate(() => (window as unknown as { htmx?: { version?: unknown } }).htmx?.version);
            expect(version).toMatch(/^4\./);
          }

          // Set up two-step verification; re-authenticate first if the session is not fresh (SE6).
          await Promise.all([
            page.waitForURL((u) => u.pathname === '/account/2fa/enrol' || u.pathname === '/reauth', { waitUntil: 'load' }),
            page.getByRole('link', { name: 'Set up two-step verification' }).click(),
          ]);
          if (path(page) === '/reauth') {
            await page.fill('#password', PASSWORD);
            await submitTo(page, page.locator('main form[action="/reauth"] button[type="submit"]'), '/account/2fa/enrol');
          }
          const key = keyFrom((await page.locator('[data-testid="totp-key"]').textContent()) ?? '');
          expect(key).toHaveLength(20); // AU7: 160 bits
          const enrolled = await freshCode(key);
          await page.fill('#code', enrolled.code);
          expect(await submitInPlace(page, page.locator('main form[action="/account/2fa/enrol"] button[type="submit"]'), '/account/2fa/enrol')).toBe(200);
          const codes = await page.locator('[data-testid="recovery-codes"] li').allTextContents();
          expect(codes).toHaveLength(10); // AU10
          expect(new Set(codes).size).toBe(10);
          // Shown once: the account page counts them but never shows them again.
          await submitTo(page, page.getByRole('link', { name: 'I have saved them' }), '/account');
          expect(await page.locator('[data-testid="2fa-status"]').textContent()).toMatch(/ 10 unused recovery codes\.$/);
          expect(await page.content()).not.toContain(codes[0]!);
          await signOut(page);

          // Password, then a code: a new session token after the second factor (SE3), the pending one dead.
          await signInWithPassword(page);
          const pending = (await sessionCookie(a))!;
          const first = await freshCode(key, enrolled.step);
          await enterCode(page, first.code, '/');
          expect(await page.locator('main h1').textContent()).toBe('Home');
          const active = (await sessionCookie(a))!;
          expect(active).not.toBe(pending);
          expect(await probeWithToken(served.baseURL, pending, '/sign-in/code')).toBe('/sign-in');
          await signOut(page);
          // SE5: signing out ends the session on the server, not only in this browser.
          expect(await probeWithToken(served.baseURL, active, '/')).toBe('/sign-in');

          // AU8: the same code, in a new sign-in, is refused; the error shows on the code page.
          await signInWithPassword(page);
          // Still within the accepted drift, so only its earlier use can be why it is refused.
          expect(Math.abs(first.step - Math.floor(Date.now() / STEP_MS))).toBeLessThanOrEqual(1);
          await enterRefusedCode(page, first.code);

          // AU10: a recovery code signs in, once, and lands on the account page with a notice.
          await enterCode(page, codes[0]!, '/account', /^\?notice=recovery&left=9$/);
          expect(await page.locator('main .notice').textContent()).toContain('9 codes are left');
          await signOut(page);
          await signInWithPassword(page);
          await enterRefusedCode(page, codes[0]!);

          // Meanwhile another browser signs in as the same person (with another recovery code).
          await signInWithPassword(b.page);
          await enterCode(b.page, codes[1]!, '/account', /^\?notice=recovery&left=8$/);
          await b.page.goto('/');
          expect(path(b.page)).toBe('/');

          // A fresh code (a step not used yet) still signs the first browser in.
          const second = await freshCode(key, first.step);
          expect(second.step).toBeGreaterThan(first.step);
          await enterCode(page, second.code, '/');

          // Change the password; this browser stays signed in, the other one is signed out (SE5).
          await page.goto('/account');
          // By label: the fields must be labelled (the section once shared the id "password" with its input).
          await page.getByLabel('Current password', { exact: true }).fill(PASSWORD);
          await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
          await submitTo(page, page.locator('main form[action="/account/password"] button[type="submit"]'), '/account', /^\?notice=password$/);
          expect(await page.locator('main .notice').textContent()).toBe('Your password is changed. Your other sessions were signed out.');
          await page.goto('/');
          expect(path(page)).toBe('/');

          await b.page.goto('/');
          expect(path(b.page)).toBe('/sign-in');
          expect(await b.page.locator('main h1').textContent()).toBe('Sign in');
          // The old password is refused now, the new one leads to the code step.
          await b.page.fill('#email', EMAIL);
          await b.page.fill('#password', PASSWORD);
          expect(await submitInPlace(b.page, b.page.locator('main form[action="/sign-in"] button[type="submit"]'), '/sign-in')).toBe(401);
          await signInWithPassword(b.page, NEW_PASSWORD, '/sign-in/code');

          // Nothing failed but the refusals the journey asked for.
          const failed = (s: BrowserSession) => s.problems.responses.filter((r) => r.status >= 400).map((r) => `${r.status} ${new URL(r.url).pathname}`);
          expect(failed(a)).toEqual(['401 /sign-in/code', '401 /sign-in/code']);
          expect(failed(b)).toEqual(['401 /sign-in']);
          // Chromium logs every 4xx document as a console error: those refusals, and nothing else, may appear.
          const refusal = /^error: Failed to load resource: the server responded with a status of 401 \(Unauthorized\)/;
          for (const s of [a, b]) {
            expect(s.problems.errors.filter((e) => !refusal.test(e))).toEqual([]);
            expect(s.problems.errors.filter((e) => refusal.test(e)).length).toBeLessThanOrEqual(failed(s).length);
          }
          if (javaScriptEnabled) {
            expect(csp).toEqual([]);
            expect(await a.problems.cspViolations()).toEqual([]);
            const scripts = a.problems.responses.filter((r) => /^\/static\/(htmx|app)\..+\.js$/.test(new URL(r.url).pathname));
            expect(scripts.length).toBeGreaterThanOrEqual(2);
            expect(scripts.every((r) => r.status === 200)).toBe(true);
          }
          const waited = enrolled.waitedMs + first.waitedMs + second.waitedMs;
          if (waited > 0) console.log(`identity journey (JavaScript ${javaScriptEnabled ? 'on' : 'off'}) waited ${(waited / 1000).toFixed(1)} s for a TOTP step`);
        } finally {
          await Promise.all([a.close(), b.close()]);
        }
      },
      90_000,
    );

    if (javaScriptEnabled) {
      // htmx 4 gets the token from two places: `hx-headers:inherited` on <body> (read by htmx itself)
      // and static/app.js, which copies <meta name="csrf-token"> in on htmx:config:request. Each one
      // alone must be enough; with both taken away the header is missing and the server says 403.
      it('CS2 HD2: htmx POSTs send X-CSRF-Token from hx-headers:inherited and from app.js, each on its own', async () => {
        const variants = [
          { name: 'both', appJs: true, hxHeaders: true, status: 204 },
          { name: 'hx-headers:inherited only', appJs: false, hxHeaders: true, status: 204 },
          { name: 'app.js only', appJs: true, hxHeaders: false, status: 204 },
          { name: 'neither', appJs: false, hxHeaders: false, status: 403 },
        ];
        for (const v of variants) {
          const s = await newSession(browser, { baseURL: served.baseURL, javaScriptEnabled: true });
          try {
            let appJsServed = 0;
            if (!v.appJs) {
              await s.context.route(/\/static\/app\.[^/]+\.js$/, (route) => {
                appJsServed++;
                return route.fulfill({ status: 200, contentType: 'text/javascript; charset=utf-8', body: '' });
              });
            }
            const { page } = s;
            await page.goto('/sign-in');
            await page.fill('#email', 'nurse@demo.test');
            await page.fill('#password', PASSWORD);
            await submitTo(page, page.locator('main form[action="/sign-in"] button[type="submit"]'), '/');
            if (!v.appJs) expect(appJsServed, v.name).toBeGreaterThan(0);
            const token = await page.locator('meta[name="csrf-token"]').getAttribute('content');
            expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
            expect(JSON.parse((await page.locator('body').getAttribute('hx-headers:inherited')) ?? '{}')).toEqual({ 'X-CSRF-Token': token });
            if (!v.hxHeaders) await page.evaluate(() => document.body.removeAttribute('hx-headers:inherited'));

            // A form htmx posts, with no _csrf field: only a header can carry the token.
            await page.evaluate(() => {
              const form = document.createElement('form');
              form.id = 'probe';
              form.setAttribute('hx-post', '/account/sessions/end-others');
              const button = document.createElement('button');
              button.type = 'submit';
              button.textContent = 'probe';
              form.append(button);
              document.querySelector('main')!.append(form);
              (window as unknown as { htmx: { process(e: Element): void } }).htmx.process(form);
            });
            const sent = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/account/sessions/end-others'));
            const answered = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/account/sessions/end-others'));
            await page.locator('#probe button').click();
            const headers = await (await sent).allHeaders();
            const res = await answered;
            expect(headers['hx-request'], v.name).toBe('true');
            expect(new URLSearchParams((await sent).postData() ?? '').has('_csrf'), v.name).toBe(false);
            if (v.status === 204) {
              expect(headers['x-csrf-token'], v.name).toBe(token);
              expect(res.status(), v.name).toBe(204);
              expect(res.headers()['hx-redirect'], v.name).toMatch(/^\/account\/sessions\?ended=\d+$/);
              await page.waitForURL((u) => u.pathname === '/account/sessions', { waitUntil: 'load' });
              expect(s.problems.errors, v.name).toEqual([]);
            } else {
              expect(headers['x-csrf-token'], v.name).toBeUndefined();
              expect(res.status(), v.name).toBe(403);
            }
            expect(await s.problems.cspViolations(), v.name).toEqual([]);
          } finally {
            await s.close();
          }
        }
      });
    }
  });
}
