import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testInstall, type TestInstall } from '../helpers/system.ts';

let t: TestInstall;
beforeAll(async () => {
  t = await testInstall({ demo: true });
});
afterAll(() => t.close());

describe('pages', () => {
  it('serves /healthz without a session once databases are open', async () => {
    const res = await t.app.request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok');
  });

  it('redirects a visitor from / to the sign-in page', async () => {
    const res = await t.app.request('/');
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe('/sign-in');
  });

  it('renders the sign-in page in English and in Arabic (rtl)', async () => {
    const en = await (await t.app.request('/sign-in')).text();
    expect(en).toMatch(/^<!doctype html><html lang="en" dir="ltr">/);
    expect(en).toContain('Sign in');
    const ar = await (await t.app.request('/sign-in', { headers: { Cookie: 'lang=ar' } })).text();
    expect(ar).toContain('<html lang="ar" dir="rtl">');
    expect(ar).toContain('تسجيل الدخول');
  });

  it('answers an htmx request with the fragment only and varies on HX-Request', async () => {
    const res = await t.app.request('/sign-in', { headers: { 'HX-Request': 'true' } });
    const body = await res.text();
    expect(body).not.toContain('<html');
    expect(body).toContain('<form method="post" action="/sign-in"');
    expect(res.headers.get('Vary')).toContain('HX-Request');
    const restore = await t.app.request('/sign-in', { headers: { 'HX-Request': 'true', 'HX-History-Restore-Request': 'true' } });
    expect(await restore.text()).toContain('<html');
  });
});
