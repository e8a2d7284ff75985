// The archive journey of issue 7 in a real browser: an administrator opens D-0001's chart, chooses
// "Create archive", gives a reason, watches the progress (htmx polls the section in place; without
// JavaScript the Refresh header reloads the page) until it is ready, downloads the ZIP, and the ZIP
// verifies. The in-process job worker builds it, as under `invent serve`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { launchBrowser, newSession, serveTestInstall, type BrowserSession, type ServedInstall } from '../helpers/browser.ts';
import { memoryLogger } from '../helpers/system.ts';
import { DEMO_PASSWORD } from '../helpers/identity.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { startJobWorker } from '../../src/jobs/self-host.ts';
import type { JobWorker } from '../../src/jobs/worker.ts';
import { systemClock } from '../../src/platform/ports.ts';
import { verifyArchive } from '../../src/archive/verify.ts';

let browser: Browser;
let served: ServedInstall;
let worker: JobWorker;
let d1: string;

beforeAll(async () => {
  browser = await launchBrowser();
  served = await serveTestInstall({ demo: true });
  const { system } = served.install;
  await seedDemo({ control: system.control, clinics: system.clinics, hasher: served.install.platform.hasher, assets: served.install.platform.assets }, DEMO_PASSWORD, { clinical: true });
  const h = await system.clinics.get((await system.clinics.bySlug('demo'))!.id);
  d1 = String((await h.client.execute("SELECT id FROM patients WHERE mrn = 'D-0001'")).rows[0]!.id);
  worker = startJobWorker({ system, clock: systemClock, log: memoryLogger() });
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await served?.close();
  await browser?.close();
});

async function signInAsAdmin(s: BrowserSession): Promise<void> {
  await s.page.goto('/sign-in');
  await s.page.fill('#email', 'admin@demo.test');
  await s.page.fill('#password', DEMO_PASSWORD);
  await Promise.all([s.page.waitForURL((u) => u.pathname === '/', { waitUntil: 'load' }), s.page.locator('main form[action="/sign-in"] button[type="submit"]').click()]);
}

describe.each([true, false])('an administrator archives D-0001 (JavaScript %s)', (javaScriptEnabled) => {
  it('creates the archive, sees it become ready, downloads it, and it verifies', async () => {
    const s = await newSession(browser, { baseURL: served.baseURL, javaScriptEnabled });
    try {
      const { page } = s;
      await signInAsAdmin(s);
      await page.goto(`/patients/${d1}`);
      await Promise.all([page.waitForURL((u) => u.pathname === `/patients/${d1}/archives/new`), page.locator(`main a[href="/patients/${d1}/archives/new"]`).click()]);
      await page.fill('#reason', 'Patient asked for a copy of her record');
      await Promise.all([page.waitForURL((u) => /^\/archives\/arc_[a-z2-7]{26}$/.test(u.pathname)), page.locator('main form[action$="/archives"] button[type="submit"]').click()]);
      const url = page.url();
      let loads = 0;
      page.on('load', () => void loads++);
      await page.locator('#archive-status[data-status="ready"]').waitFor({ timeout: 90_000 });
      // With JavaScript the section was swapped in place; without it the page reloaded itself.
      if (javaScriptEnabled) expect(loads).toBe(0);
      else expect(loads).toBeGreaterThan(0);
      expect(page.url()).toBe(url);
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#archive-status a[href$="/download"]').click()]);
      expect(download.suggestedFilename()).toMatch(/^D-0001_archive_\d{4}-\d{2}-\d{2}\.zip$/);
      const verdict = await verifyArchive(new Uint8Array(readFileSync((await download.path())!)), { name: 'd1.zip' });
      expect(verdict.problems).toEqual([]);
      expect(verdict.manifest!.patient.mrn).toBe('D-0001');
      expect(s.problems.errors).toEqual([]);
      expect(await s.problems.cspViolations()).toEqual([]);
    } finally {
      await s.close();
    }
  }, 150_000);
});
