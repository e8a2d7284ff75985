// Documents in a real browser, with JavaScript on and off: a doctor opens a chart, uploads a scan
// under an Arabic name through the plain multipart form (the CSRF token rides in its action URL),
// sees it listed, sees the image preview and the PDF in its frame on the documents' pages, and
// downloads the file byte for byte; a file over the clinic's limit gets the 413 page with its message.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newSession, serveTestInstall, type BrowserSession, type ServedInstall } from '../helpers/browser.ts';
import { services } from '../../src/system-app.ts';
import { SYSTEM } from '../../src/audit/types.ts';
import { FIXTURES, bigDicom } from '../integration/documents-helpers.ts';

const PASSWORD = 'correct-horse-battery-staple';
let served: ServedInstall;
let browser: Browser;
let patientId: string;

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto('/sign-in');
  await page.fill('#email', email);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForURL((u) => u.pathname === '/'), page.locator('main form[action="/sign-in"] button[type="submit"]').click()]);
}

async function uploadVia(page: Page, file: { name: string; mimeType: string; buffer: Buffer }, fields: { category: string; title: string }): Promise<void> {
  await page.goto(`/patients/${patientId}`);
  await Promise.all([page.waitForURL((u) => u.pathname.endsWith('/documents')), page.locator('main a', { hasText: 'Documents' }).first().click()]);
  await Promise.all([page.waitForURL((u) => u.pathname.endsWith('/documents/new')), page.locator('main a', { hasText: 'Upload a document' }).click()]);
  await page.selectOption('#category', fields.category);
  await page.fill('#title', fields.title);
  await page.setInputFiles('#file', file);
  await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.locator('main form[data-testid="upload-form"] button[type="submit"]').click()]);
  await page.waitForLoadState('load');
}

beforeAll(async () => {
  served = await serveTestInstall();
  const demoId = (await served.install.system.clinics.bySlug('demo'))!.id;
  patientId = (await services(served.install.system, served.install.system.platform.clock).patients.getByMrn(demoId, 'D-0001'))!.id;
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await served?.close();
});

for (const javaScriptEnabled of [true, false]) {
  describe(`documents with JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
    let s: BrowserSession;
    beforeAll(async () => {
      s = await newSession(browser, { baseURL: served.baseURL, javaScriptEnabled });
      await signIn(s.page, 'doctor@demo.test');
    });
    afterAll(() => s.close());

    it('FU1, FU4: uploads a PNG and a PDF, lists them, previews both inline and downloads the original bytes', async () => {
      const { page } = s;
      const png = readFileSync(join(FIXTURES, 'scan.png'));
      const title = `صورة الصدر ${javaScriptEnabled ? 'js' : 'plain'}`;
      await uploadVia(page, { name: 'أشعة الصدر.png', mimeType: 'image/png', buffer: png }, { category: 'imaging', title });
      expect(new URL(page.url()).pathname).toBe(`/patients/${patientId}/documents`);
      await expect(page.locator('main [role="status"]').textContent()).resolves.toContain('The document was uploaded.');
      const row = page.locator('table[data-testid="documents"] tr', { hasText: title });
      await Promise.all([page.waitForURL(/\/documents\/att_/), row.locator('a', { hasText: title }).click()]);
      // The preview image loads (served sandboxed, same origin) and has the file's size.
      const natural = await page.locator('#preview img').evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : -1));
      expect(natural).toBe(40);
      expect(await page.locator('main').textContent()).toContain('أشعة الصدر.png');
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="download"]').click()]);
      expect(download.suggestedFilename()).toBe('أشعة الصدر.png');
      const got = readFileSync((await download.path())!);
      expect(Buffer.compare(got, png)).toBe(0);

      const pdf = readFileSync(join(FIXTURES, 'report.pdf'));
      await uploadVia(page, { name: 'report.pdf', mimeType: 'application/pdf', buffer: pdf }, { category: 'lab', title: `Lab ${javaScriptEnabled}` });
      await Promise.all([page.waitForURL(/\/documents\/att_/), page.locator('main a', { hasText: `Lab ${javaScriptEnabled}` }).click()]);
      const frame = page.locator('#preview iframe');
      await expect(frame.count()).resolves.toBe(1);
      const previewStatus = s.problems.responses.find((r) => r.url.endsWith('/preview') && r.type === 'application/pdf')?.status;
      expect(previewStatus).toBe(200);
      expect(s.problems.errors.filter((e) => !/favicon/.test(e))).toEqual([]);
    });
  });
}

describe('the size limit in a browser', () => {
  it('FU2: a file over the limit gets the 413 page with the limit named', async () => {
    const system = served.install.system;
    const demoId = (await system.clinics.bySlug('demo'))!.id;
    const settings = services(system, system.platform.clock).settings;
    const cur = await settings.current(demoId);
    await settings.save({ clinicId: demoId, actor: { ...SYSTEM, roles: ['admin'] }, requestId: 'r', route: 't' }, { ...cur.settings, uploadLimitMb: 1 }, cur.timezone);
    const s = await newSession(browser, { baseURL: served.baseURL, javaScriptEnabled: false });
    try {
      await signIn(s.page, 'nurse@demo.test');
      await uploadVia(s.page, { name: 'big.dcm', mimeType: 'application/dicom', buffer: Buffer.from(bigDicom(1024 * 1024 + 1)) }, { category: 'imaging', title: 'Too big' });
      expect(s.problems.responses.find((r) => r.url.includes('/documents?_csrf='))?.status).toBe(413);
      expect(await s.page.locator('main .alert').textContent()).toContain("larger than this clinic's limit of 1 MB");
    } finally {
      await s.close();
    }
  });
});
