// The dental journey of issue 6 in a real browser: a doctor opens a patient's dental chart, clicks
// tooth 16 in the drawing (htmx loads its panel without leaving the page), charts caries on the
// occlusal surface, then a crown on 21, sees both in the SVG, and views the chart as of yesterday
// without them. The same without JavaScript, following the teeth's links, in Arabic (the arches
// stay as seen facing the patient). The archive's standalone SVG parses as an SVG document.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newSession, serveTestInstall, type BrowserSession, type ServedInstall } from '../helpers/browser.ts';
import { localDay } from '../../src/dental/as-of.ts';
import { services } from '../../src/system-app.ts';
import { systemClock } from '../../src/platform/ports.ts';

const PASSWORD = 'correct-horse-battery-staple';
const DOCTOR = 'doctor@demo.test';

async function signIn(s: BrowserSession, email: string): Promise<void> {
  const { page } = s;
  await page.goto('/sign-in');
  await page.fill('#email', email);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForURL((u) => u.pathname === '/', { waitUntil: 'load' }), page.locator('main form[action="/sign-in"] button[type="submit"]').click()]);
}

const surface = (page: Page, tooth: number, s: string) => page.locator(`main svg g[data-tooth="${tooth}"] polygon[data-surface="${s}"]`);
const mark = (page: Page, tooth: number, m: string) => page.locator(`main svg g[data-tooth="${tooth}"] [data-mark="${m}"]`);

/** Fills the tooth form and saves; lands on the tooth's page with the saved notice. */
async function chart(page: Page, patientId: string, tooth: number, fields: { finding: string; surface?: string; material?: string }): Promise<void> {
  const form = page.locator(`#dental-panel form[data-form="entry"]`);
  await form.locator('#finding').selectOption(fields.finding);
  if (fields.surface) await form.locator(`#surface_${fields.surface}`).check();
  if (fields.material) await form.locator('#material').selectOption(fields.material);
  await Promise.all([
    page.waitForURL((u) => u.pathname === `/patients/${patientId}/dental/teeth/${tooth}` && u.searchParams.get('done') === 'saved', { waitUntil: 'load' }),
    form.locator('button[type="submit"]').click(),
  ]);
  expect(await page.locator('#dental-panel [role="status"]').innerText()).toContain('Entry saved.');
}

/** Shows the chart as of a day with the display form. */
async function viewAsOf(page: Page, day: string): Promise<void> {
  await page.fill('main form[data-form="view"] input[name="asOf"]', day);
  await Promise.all([page.waitForURL((u) => u.searchParams.get('asOf') === day, { waitUntil: 'load' }), page.locator('main form[data-form="view"] button[type="submit"]').click()]);
}

let browser: Browser;
let served: ServedInstall;
const ids: Record<string, string> = {};

beforeAll(async () => {
  browser = await launchBrowser();
  served = await serveTestInstall({ demo: true });
  const clinic = (await served.install.system.clinics.bySlug('demo'))!;
  const h = await served.install.system.clinics.get(clinic.id);
  for (const mrn of ['D-0004', 'D-0005']) ids[mrn] = String((await h.client.execute({ sql: 'SELECT id FROM patients WHERE mrn = ?', args: [mrn] })).rows[0]!.id);
});

afterAll(async () => {
  await served?.close();
  await browser?.close();
});

// The clinic's yesterday (Asia/Bahrain), as the date field takes it.
const yesterday = () => localDay(new Date(Date.now() - 86_400_000), 'Asia/Bahrain');

describe('dental chart with JavaScript on (htmx panel)', () => {
  it('a doctor charts caries on 16 (occlusal) and a crown on 21, sees them in the SVG, then the chart as of yesterday without them', async () => {
    const s = await newSession(browser, { baseURL: served.baseURL, javaScriptEnabled: true });
    const { page } = s;
    const id = ids['D-0004']!;
    try {
      await signIn(s, DOCTOR);
      await page.goto(`/patients/${id}`);
      await Promise.all([page.waitForURL((u) => u.pathname === `/patients/${id}/dental`), page.locator(`main a[href="/patients/${id}/dental"]`).click()]);
      expect(await page.locator('#dental-panel [data-panel-tooth]').count()).toBe(0);

      // A click on the tooth loads its panel in place: the document (and its marker) stays.
      await page.evaluate(() => ((window as unknown as { __same?: boolean }).__same = true));
      await page.locator(`main svg a[href^="/patients/${id}/dental/teeth/16"]`).click();
      await page.locator('#dental-panel [data-panel-tooth="16"]').waitFor();
      expect(new URL(page.url()).pathname).toBe(`/patients/${id}/dental`);
      expect(await page.evaluate(() => (window as unknown as { __same?: boolean }).__same)).toBe(true);
      await chart(page, id, 16, { finding: 'caries', surface: 'O' });
      expect(await surface(page, 16, 'O').getAttribute('data-finding')).toBe('caries');
      expect(await surface(page, 16, 'O').getAttribute('fill')).toBe('#c62828');

      await page.locator(`main svg a[href^="/patients/${id}/dental/teeth/21"]`).click();
      await page.locator('#dental-panel [data-panel-tooth="21"]').waitFor();
      await chart(page, id, 21, { finding: 'crown', material: 'ceramic' });
      expect(await mark(page, 21, 'crown').count()).toBe(1);
      expect(await surface(page, 16, 'O').getAttribute('data-finding')).toBe('caries');
      expect(await page.locator('main [data-list="all-findings"]').innerText()).toContain('Crown, Ceramic');

      await viewAsOf(page, yesterday());
      expect(await surface(page, 16, 'O').getAttribute('data-finding')).toBeNull();
      expect(await surface(page, 16, 'O').getAttribute('fill')).toBe('#ffffff');
      expect(await mark(page, 21, 'crown').count()).toBe(0);
      expect(await page.locator('#dental-panel form[data-form="entry"]').count()).toBe(0);
      // Back to today: there they are again.
      await Promise.all([page.waitForURL((u) => !u.searchParams.has('asOf')), page.locator('main form[data-form="view"] a').click()]);
      expect(await mark(page, 21, 'crown').count()).toBe(1);

      // The archive's drawing of the same chart is a well-formed SVG document.
      const clinicId = (await served.install.system.clinics.bySlug('demo'))!.id;
      const svg = await services(served.install.system, systemClock).dental.dentalChartSvg(clinicId, id);
      const parsed = await page.evaluate((text) => {
        const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
        return { error: doc.querySelector('parsererror')?.textContent ?? null, root: doc.documentElement.namespaceURI, caries: doc.querySelector('g[data-tooth="16"] polygon[data-surface="O"]')?.getAttribute('data-finding') };
      }, svg);
      expect(parsed).toEqual({ error: null, root: 'http://www.w3.org/2000/svg', caries: 'caries' });

      expect(s.problems.errors).toEqual([]);
      expect(await s.problems.cspViolations()).toEqual([]);
    } finally {
      await s.close();
    }
  });
});

describe('dental chart without JavaScript, in Arabic', () => {
  it('the teeth are links to their pages; the same charting and the chart of yesterday work with plain forms', async () => {
    const s = await newSession(browser, { baseURL: served.baseURL, javaScriptEnabled: false });
    const { page } = s;
    const id = ids['D-0005']!;
    try {
      await signIn(s, DOCTOR);
      await page.goto(`/patients/${id}/dental`);
      await Promise.all([page.waitForURL((u) => u.pathname === `/patients/${id}/dental/teeth/16`), page.locator(`main svg a[href^="/patients/${id}/dental/teeth/16"]`).click()]);
      await chart(page, id, 16, { finding: 'caries', surface: 'O' });
      await Promise.all([page.waitForURL((u) => u.pathname === `/patients/${id}/dental/teeth/21`), page.locator(`main svg a[href^="/patients/${id}/dental/teeth/21"]`).click()]);
      await chart(page, id, 21, { finding: 'crown', material: 'zirconia' });
      expect(await surface(page, 16, 'O').getAttribute('data-finding')).toBe('caries');
      expect(await mark(page, 21, 'crown').count()).toBe(1);

      // In Arabic the page runs right to left, the arches still as seen facing the patient.
      await s.context.addCookies([{ name: 'lang', value: 'ar', url: served.baseURL }]);
      await page.goto(`/patients/${id}/dental`);
      expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
      const x = async (tooth: number) => (await page.locator(`main svg g[data-tooth="${tooth}"]`).boundingBox())!.x;
      expect(await x(18)).toBeLessThan(await x(11));
      expect(await x(11)).toBeLessThan(await x(21));
      expect(await x(21)).toBeLessThan(await x(28));
      expect(await page.locator('main svg').innerHTML()).toContain('الفك العلوي');

      await viewAsOf(page, yesterday());
      expect(await surface(page, 16, 'O').getAttribute('data-finding')).toBeNull();
      expect(await mark(page, 21, 'crown').count()).toBe(0);
      expect(s.problems.errors).toEqual([]);
    } finally {
      await s.close();
    }
  });
});
