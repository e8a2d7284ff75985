// The consent journey of issue 6 in a real browser: an administrator adds the built-in templates;
// a patient signs a treatment consent on the canvas (drawn with the mouse, JavaScript on), the
// doctor saves it and its signed PDF opens; the same with JavaScript off, where the canvas stays
// hidden and the typed name with "I confirm" signs. No CSP violation, no console error (HD1, HD2).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchBrowser, newSession, serveTestInstall, type BrowserSession, type ServedInstall } from '../helpers/browser.ts';
import { services } from '../../src/system-app.ts';

const PASSWORD = 'correct-horse-battery-staple';

async function submitTo(page: Page, button: Locator, pathname: RegExp | string): Promise<void> {
  const match = (p: string) => (typeof pathname === 'string' ? p === pathname : pathname.test(p));
  await Promise.all([page.waitForURL((u) => match(u.pathname), { waitUntil: 'load' }), button.click()]);
}

async function signIn(s: BrowserSession, email: string): Promise<void> {
  await s.page.goto('/sign-in');
  await s.page.fill('#email', email);
  await s.page.fill('#password', PASSWORD);
  await submitTo(s.page, s.page.locator('main form[action="/sign-in"] button[type="submit"]'), '/');
}

/** From the chart, through "Consents and forms", to the treatment consent's form. */
async function openTreatmentConsent(page: Page, patientId: string): Promise<void> {
  await page.goto(`/patients/${patientId}`);
  await submitTo(page, page.locator(`main a[href="/patients/${patientId}/forms"]`), `/patients/${patientId}/forms`);
  await submitTo(page, page.locator('main a[data-code="treatment-consent"]'), `/patients/${patientId}/forms/new`);
  await page.fill('#answer_q1', 'Composite filling of tooth 16');
  await page.check('input[name="answer_q2"][value="yes"]');
  await page.check('input[name="answer_q3"][value="yes"]');
}

/** The signed PDF linked from the record page: 200, application/pdf, a real PDF. */
async function expectPdf(page: Page): Promise<void> {
  const link = page.locator('main a[data-testid="pdf-link"]');
  const res = await page.request.get((await link.getAttribute('href'))!);
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toBe('application/pdf');
  expect(res.headers()['content-disposition']).toMatch(/^inline; filename="consent-D-0001-\d{4}-\d{2}-\d{2}-[a-z2-7]{8}\.pdf"$/);
  expect((await res.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
}

let browser: Browser;
let served: ServedInstall;
let patientId: string;

beforeAll(async () => {
  browser = await launchBrowser();
  served = await serveTestInstall({ demo: true });
  const demoId = (await served.install.system.clinics.bySlug('demo'))!.id;
  patientId = (await services(served.install.system, served.install.platform.clock).patients.getByMrn(demoId, 'D-0001'))!.id;
});

afterAll(async () => {
  await browser?.close();
  await served?.close();
});

describe('consent journey', () => {
  it('an administrator adds the built-in templates', async () => {
    const s = await newSession(browser, { baseURL: served.baseURL, javaScriptEnabled: true });
    try {
      await signIn(s, 'admin@demo.test');
      await s.page.goto('/admin/forms');
      await submitTo(s.page, s.page.locator('main form[action="/admin/forms/builtin"] button[type="submit"]'), '/admin/forms');
      expect(await s.page.locator('main tr[data-template]').count()).toBe(4);
      expect(s.problems.errors).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('the patient signs on the canvas with the mouse; the consent is saved and its PDF opens', async () => {
    const s = await newSession(browser, { baseURL: served.baseURL, javaScriptEnabled: true });
    const { page } = s;
    try {
      await signIn(s, 'doctor@demo.test');
      await openTreatmentConsent(page, patientId);
      const canvas = page.locator('main canvas[data-signature-canvas]');
      await expect.poll(() => canvas.isVisible()).toBe(true);
      // The mouse works in the viewport: scroll the pad into view, as the person signing would.
      await canvas.scrollIntoViewIfNeeded();
      const box = (await canvas.boundingBox())!;
      // Two strokes: a wave, then an underline.
      await page.mouse.move(box.x + box.width * 0.1, box.y + box.height * 0.5);
      await page.mouse.down();
      for (let i = 1; i <= 30; i++) await page.mouse.move(box.x + box.width * (0.1 + i * 0.02), box.y + box.height * (0.5 + 0.25 * Math.sin(i / 3)), { steps: 2 });
      await page.mouse.up();
      await page.mouse.move(box.x + box.width * 0.15, box.y + box.height * 0.85);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.82, { steps: 10 });
      await page.mouse.up();
      const value = await page.locator('input[name="signature"]').inputValue();
      expect(value).toMatch(/^v1 \d+,\d+( \d+,\d+)+;\d+,\d+( \d+,\d+)+$/);
      await submitTo(page, page.locator('main form[data-form-fill] button[type="submit"]'), /^\/forms\/fr_[a-z2-7]{26}$/);
      expect(await page.locator('main [data-record]').getAttribute('data-status')).toBe('active');
      expect(await page.locator('main svg[data-testid="signature-svg"] path').getAttribute('d')).toMatch(/^M \d+ \d+ L /);
      await expectPdf(page);
      expect(s.problems.errors).toEqual([]);
      expect(await s.problems.cspViolations()).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('clearing the pad empties the signature; the form then asks for one', async () => {
    const s = await newSession(browser, { baseURL: served.baseURL, javaScriptEnabled: true });
    const { page } = s;
    try {
      await signIn(s, 'nurse@demo.test');
      await openTreatmentConsent(page, patientId);
      const canvas = page.locator('main canvas[data-signature-canvas]');
      await canvas.scrollIntoViewIfNeeded();
      const box = (await canvas.boundingBox())!;
      await page.mouse.move(box.x + 20, box.y + 20);
      await page.mouse.down();
      await page.mouse.move(box.x + 200, box.y + 60, { steps: 8 });
      await page.mouse.up();
      expect(await page.locator('input[name="signature"]').inputValue()).not.toBe('');
      await page.click('main [data-signature-clear]');
      expect(await page.locator('input[name="signature"]').inputValue()).toBe('');
      await submitTo(page, page.locator('main form[data-form-fill] button[type="submit"]'), `/patients/${patientId}/forms`);
      expect(await page.locator('#signature-error').textContent()).toContain('Sign in the box, or type the full name');
      expect(s.problems.errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('without JavaScript the canvas stays hidden; the typed name with "I confirm" signs, and the PDF opens', async () => {
    const s = await newSession(browser, { baseURL: served.baseURL, javaScriptEnabled: false });
    const { page } = s;
    try {
      await signIn(s, 'reception@demo.test');
      await openTreatmentConsent(page, patientId);
      expect(await page.locator('main [data-signature-pad]').isVisible()).toBe(false);
      await page.fill('#typedName', 'Maryam Ahmed Al-Mahmood');
      await page.check('input[name="confirm"]');
      await submitTo(page, page.locator('main form[data-form-fill] button[type="submit"]'), /^\/forms\/fr_[a-z2-7]{26}$/);
      expect(await page.locator('main [data-testid="typed-signature"]').textContent()).toContain('Maryam Ahmed Al-Mahmood');
      await expectPdf(page);
      expect(s.problems.errors).toEqual([]);
    } finally {
      await s.close();
    }
  });
});
