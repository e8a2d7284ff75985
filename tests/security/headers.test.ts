import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { testInstall, type TestInstall } from '../helpers/system.ts';
import { buildApp, loadStatic } from '../../src/app.ts';
import { folderAssets } from '../../src/platform/node/assets.ts';
import { systemClock } from '../../src/platform/ports.ts';
import { memoryLogger } from '../helpers/system.ts';
import { Client } from '../helpers/http.ts';

let t: TestInstall;
beforeAll(async () => {
  t = await testInstall({ demo: true });
});
afterAll(() => t.close());

/** Every HTML route a visitor can reach today, plus a 404. */
const HTML_PATHS = ['/sign-in', '/does-not-exist', '/static/nope.js'];

function cspOf(res: Response): Map<string, string> {
  const csp = res.headers.get('Content-Security-Policy') ?? '';
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => [d.split(/\s+/)[0]!, d.slice(d.indexOf(' ') + 1)]),
  );
}

describe('security headers', () => {
  it('HD1: every HTML response has a CSP with no inline or eval script, and locked-down directives', async () => {
    for (const path of HTML_PATHS) {
      const res = await t.app.request(path);
      expect(res.headers.get('Content-Type'), path).toMatch(/text\/html/);
      const csp = cspOf(res);
      expect(csp.get('script-src'), path).toBe("'self'");
      expect(res.headers.get('Content-Security-Policy')).not.toMatch(/unsafe-inline|unsafe-eval/);
      expect(csp.get('object-src')).toBe("'none'");
      expect(csp.get('base-uri')).toBe("'none'");
      expect(csp.get('frame-ancestors')).toBe("'none'");
      expect(csp.get('form-action')).toBe("'self'");
    }
  });

  it('HD1: pages carry no inline script and no inline event handler', async () => {
    const html = await (await t.app.request('/sign-in')).text();
    for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
      expect(m[1]).toMatch(/src="\/static\//);
      expect(m[2]).toBe('');
    }
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).not.toMatch(/style="/);
  });

  it('HD3: nosniff, no-referrer, COOP, Permissions-Policy, no-store; no HSTS in development', async () => {
    const res = await t.app.request('/sign-in');
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(res.headers.get('Referrer-Policy')).toBe('no-referrer');
    expect(res.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
    expect(res.headers.get('Permissions-Policy')).toMatch(/camera=\(\)/);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(res.headers.get('Strict-Transport-Security')).toBeNull();
    expect(res.headers.get('X-Frame-Options')).toBe('DENY');
  });

  it('HD3: HSTS in production; fingerprinted static files are cached immutably', async () => {
    const app = buildApp({
      config: { production: true },
      clock: systemClock,
      log: memoryLogger(),
      static: await loadStatic(folderAssets()),
    });
    const res = await app.request('/sign-in');
    expect(res.headers.get('Strict-Transport-Security')).toMatch(/max-age=\d{7,}/);
    const html = await res.text();
    const htmx = html.match(/src="(\/static\/htmx\.min\.[0-9a-f]{12}\.js)"/)?.[1];
    expect(htmx).toBeDefined();
    const js = await app.request(htmx!);
    expect(js.status).toBe(200);
    expect(js.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable');
    expect(js.headers.get('Content-Type')).toMatch(/javascript/);
    expect((await app.request('/static/htmx.min.js')).status).toBe(404);
  });

  it('HD4: an unexpected error shows a generic page with a reference, no stack, no version header', async () => {
    const log = memoryLogger();
    const inner = buildApp({ config: { production: false }, clock: systemClock, log, static: await loadStatic(folderAssets()) });
    // A route that fails the way a bug would, mounted on the real app so every middleware runs.
    const probe = new Hono();
    probe.get('/boom', () => {
      throw new Error('secret patient name Fatima at /src/x.ts:12');
    });
    inner.route('/test', probe);
    const res = await inner.request('/test/boom');
    expect(res.status).toBe(500);
    const body = await res.text();
    expect(body).toContain('Something went wrong');
    expect(body).not.toMatch(/Fatima|x\.ts|at \//);
    expect(res.headers.get('Content-Security-Policy')).toBeTruthy();
    expect(res.headers.get('X-Powered-By')).toBeNull();
    expect(res.headers.get('Server')).toBeNull();
    expect(log.lines.join('\n')).not.toContain('Fatima');
    const ref = body.match(/req_[a-z2-7]{26}/)?.[0];
    expect(ref).toBeDefined();
    expect(log.lines.join('\n')).toContain(ref!);
  });

  it('CS2: a POST from another origin is refused', async () => {
    const forged = await t.app.request('/lang', {
      method: 'POST',
      headers: { Origin: 'https://evil.example', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'lang=ar&next=/',
    });
    expect(forged.status).toBe(403);
    expect(forged.headers.get('Set-Cookie')).toBeNull();
    const crossSite = await t.app.request('/lang', {
      method: 'POST',
      headers: { 'Sec-Fetch-Site': 'cross-site', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'lang=ar&next=/',
    });
    expect(crossSite.status).toBe(403);
    // What Chromium sends on a same-origin form post under Referrer-Policy: no-referrer.
    const browser = new Client(t.app);
    await browser.get('/sign-in');
    const sameSite = await browser.post('/lang', { lang: 'ar', next: '/' }, { headers: { Origin: 'null' } });
    expect(sameSite.status).toBe(303);
  });

  it('CS3: no CORS headers, even on a preflight', async () => {
    const res = await t.app.request('/sign-in', {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull();
    const get = await t.app.request('/sign-in', { headers: { Origin: 'https://evil.example' } });
    expect(get.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });
});

describe('language switch', () => {
  it('sets the language by POST and goes back only to a local path', async () => {
    const browser = new Client(t.app);
    await browser.get('/sign-in');
    const res = await browser.post('/lang', { lang: 'ar', next: '/sign-in' });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe('/sign-in');
    expect(res.headers.getSetCookie().join('\n')).toMatch(/lang=ar;.*HttpOnly/);
    for (const next of ['//evil.example/x', 'https://evil.example', '/\\evil.example']) {
      const r = await browser.post('/lang', { lang: 'en', next });
      expect(r.headers.get('Location')).toBe('/');
    }
  });
});
