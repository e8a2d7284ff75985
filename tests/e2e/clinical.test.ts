// The clinical journeys of issue 5 in a real browser: a receptionist registers a patient in both
// scripts and finds her by an Arabic name prefix, by CPR and by phone (as you type with htmx; the
// plain form without JavaScript); a nurse records vitals; a doctor writes, codes and signs an
// encounter, writes and signs a prescription and opens its PDF; the receptionist cannot open the
// encounter (403) and sees none of the clinical record.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchBrowser, newSession, serveTestInstall, type BrowserSession, type ServedInstall } from '../helpers/browser.ts';

const PASSWORD = 'correct-horse-battery-staple';
const RECEPTION = 'reception@demo.test';
const NURSE = 'nurse@demo.test';
const DOCTOR = 'doctor@demo.test';

const PATIENT = {
  givenNameEn: 'Zainab',
  familyNameEn: 'Al-Dosari',
  givenNameAr: 'زينب',
  familyNameAr: 'الدوسري',
  dateOfBirth: '1995-05-12',
  cpr: '950512347',
  phone: '+973 3912 3456',
};

// Text only the doctor writes: none of it may reach the receptionist.
const NOTE = {
  chiefComplaint: 'Sore throat and fever for three days',
  subjective: 'Reports odynophagia, no cough, no rash.',
  objective: 'Pharynx erythematous, tonsils not enlarged.',
  assessment: 'Viral upper respiratory tract infection.',
  plan: 'Fluids, paracetamol, review if worse.',
};
const DX_TEXT = 'Acute upper respiratory infection';
const MEDICINE = 'Paracetamol';

const path = (p: Page) => new URL(p.url()).pathname;

/** Clicks a submit button and waits until the browser has loaded the page it leads to. */
async function submitTo(page: Page, button: Locator, pathname: RegExp | string): Promise<void> {
  const match = (p: string) => (typeof pathname === 'string' ? p === pathname : pathname.test(p));
  await Promise.all([page.waitForURL((u) => match(u.pathname), { waitUntil: 'load' }), button.click()]);
}

async function signIn(s: BrowserSession, email: string): Promise<void> {
  const { page } = s;
  await page.goto('/sign-in');
  await page.fill('#email', email);
  await page.fill('#password', PASSWORD);
  await submitTo(page, page.locator('main form[action="/sign-in"] button[type="submit"]'), '/');
}

/** The MRNs in the search results on the page now. */
const resultMrns = (page: Page) => page.locator('#results tr[data-mrn]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-mrn')));

/** Registers the patient as the receptionist; returns her id and MRN from the chart it lands on. */
async function register(s: BrowserSession): Promise<{ id: string; mrn: string }> {
  const { page } = s;
  await page.goto('/patients');
  await submitTo(page, page.locator('main a[href="/patients/new"]'), '/patients/new');
  for (const [name, value] of Object.entries(PATIENT)) await page.fill(`#${name}`, value);
  await page.selectOption('#sex', 'female');
  await submitTo(page, page.locator('main form[action="/patients"] button[type="submit"]'), /^\/patients\/[^/]+$/);
  expect(new URL(page.url()).searchParams.get('registered')).toBe('1');
  const header = page.locator('main header.patient-header');
  const id = (await header.getAttribute('data-patient'))!;
  const mrn = (await header.locator('strong[dir="ltr"]').first().textContent())!.trim();
  expect(await header.locator('h1').textContent()).toContain(PATIENT.givenNameAr);
  expect(await header.locator('h1').textContent()).toContain(PATIENT.givenNameEn);
  expect(id).toBeTruthy();
  expect(mrn).toMatch(/\S/);
  return { id, mrn };
}

/** Searches from the search page: as you type with htmx (no page load), or the plain form without JS. */
async function find(s: BrowserSession, javaScriptEnabled: boolean, q: string, mrn: string): Promise<void> {
  const { page } = s;
  if (javaScriptEnabled) {
    await page.goto('/patients');
    // A marker on this document: if the results came by a full page load, it would be gone.
    await page.evaluate(() => ((window as unknown as { __same?: boolean }).__same = true));
    await page.locator('#q').pressSequentially(q, { delay: 20 });
    await expect.poll(() => resultMrns(page), { timeout: 5_000 }).toContain(mrn);
    expect(await page.evaluate(() => (window as unknown as { __same?: boolean }).__same)).toBe(true);
  } else {
    await page.goto('/patients');
    await page.fill('#q', q);
    await submitTo(page, page.locator('main form[role="search"] button[type="submit"]'), '/patients');
    expect(new URL(page.url()).searchParams.get('q')).toBe(q);
    expect(await resultMrns(page)).toContain(mrn);
  }
}

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe('receptionist registers and finds a patient with JavaScript off', () => {
  let served: ServedInstall;
  beforeAll(async () => {
    served = await serveTestInstall({ demo: true });
  });
  afterAll(() => served?.close());

  it('registers in Arabic and English, finds her by Arabic prefix, CPR and phone with the plain form', async () => {
    const s = await newSession(browser, { baseURL: served.baseURL, javaScriptEnabled: false });
    try {
      await signIn(s, RECEPTION);
      const { mrn } = await register(s);
      await find(s, false, PATIENT.familyNameAr.slice(0, 3), mrn);
      await find(s, false, PATIENT.givenNameAr.slice(0, 2), mrn);
      await find(s, false, PATIENT.cpr, mrn);
      await find(s, false, '39123456', mrn);
      expect(s.problems.errors).toEqual([]);
    } finally {
      await s.close();
    }
  });
});

describe('clinical journey with JavaScript on', () => {
  let served: ServedInstall;
  let patient: { id: string; mrn: string };
  let encounterPath: string;
  beforeAll(async () => {
    served = await serveTestInstall({ demo: true });
  });
  afterAll(() => served?.close());

  it('receptionist registers a patient and finds her as she types (Arabic prefix, CPR, phone)', async () => {
    const s = await newSession(browser, { baseURL: served.baseURL, javaScriptEnabled: true });
    try {
      await signIn(s, RECEPTION);
      patient = await register(s);
      await find(s, true, PATIENT.familyNameAr.slice(0, 3), patient.mrn);
      await find(s, true, PATIENT.givenNameAr.slice(0, 2), patient.mrn);
      await find(s, true, PATIENT.cpr, patient.mrn);
      await find(s, true, '39123456', patient.mrn);
      expect(s.problems.errors).toEqual([]);
      expect(await s.problems.cspViolations()).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('a nurse records vitals', async () => {
    const s = await newSession(browser, { baseURL: served.baseURL, javaScriptEnabled: true });
    const { page } = s;
    try {
      await signIn(s, NURSE);
      await page.goto(`/patients/${patient.id}/vitals/new`);
      const vitals = { systolic: '118', diastolic: '76', pulse: '88', temperatureC: '38.2', respRate: '16', spo2: '98', weightKg: '61', heightCm: '165' };
      for (const [name, value] of Object.entries(vitals)) await page.fill(`#${name}`, value);
      await submitTo(page, page.locator(`main form[action="/patients/${patient.id}/vitals"] button[type="submit"]`), `/patients/${patient.id}/clinical`);
      const last = await page.locator('.clinical-summary').textContent();
      expect(last).toContain('118');
      expect(last).toContain('38.2');
      expect(s.problems.errors).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('a doctor writes, codes and signs an encounter, then writes, signs and prints a prescription', async () => {
    const s = await newSession(browser, { baseURL: served.baseURL, javaScriptEnabled: true });
    const { page } = s;
    try {
      await signIn(s, DOCTOR);
      await page.goto(`/patients/${patient.id}/encounters/new`);
      for (const [name, value] of Object.entries(NOTE)) await page.fill(`#${name}`, value);
      await page.fill('#dxCode', 'J06.9');
      await page.fill('#dxText', DX_TEXT);
      await submitTo(page, page.locator('main form.encounter-form button[type="submit"]'), /^\/encounters\/[^/]+$/);
      encounterPath = path(page);
      expect(await page.locator('main article.encounter').getAttribute('data-status')).toBe('draft');
      expect(await page.locator('main [data-diagnosis] code').textContent()).toBe('J06.9');

      await submitTo(page, page.locator(`main form[action="${encounterPath}/sign"] button[type="submit"]`), encounterPath);
      expect(new URL(page.url()).searchParams.get('signed')).toBe('1');
      const article = page.locator('main article.encounter');
      expect(await article.getAttribute('data-status')).toBe('signed');
      expect(await article.locator('.notes').textContent()).toContain(NOTE.assessment);
      // Locked: no note form any more.
      expect(await page.locator('main form.encounter-form').count()).toBe(0);

      // The prescription.
      await page.goto(`/patients/${patient.id}/prescriptions/new`);
      await page.fill('#licenceNo', 'NHRA-12345');
      const item = { medicine: MEDICINE, strength: '500 mg', form: 'tablet', dose: '1 tablet', route: 'oral', frequency: 'every 6 hours', duration: '5 days', quantity: '20', refills: '0' };
      for (const [name, value] of Object.entries(item)) await page.fill(`#${name}_0`, value);
      await page.fill('#instructionsEn_0', 'Take after food.');
      await page.fill('#instructionsAr_0', 'يؤخذ بعد الأكل.');
      await submitTo(page, page.locator(`main form[action="/patients/${patient.id}/prescriptions"] button[type="submit"]`), /^\/prescriptions\/[^/]+$/);
      const rxPath = path(page);
      await submitTo(page, page.locator(`main form[action="${rxPath}/sign"] button[type="submit"]`), rxPath);
      expect(new URL(page.url()).searchParams.get('done')).toBe('signed');

      const pdfLink = page.locator(`main a[href="${rxPath}/pdf"]`);
      expect(await pdfLink.count()).toBe(1);
      const pdf = await page.request.get((await pdfLink.getAttribute('href'))!);
      expect(pdf.status()).toBe(200);
      expect(pdf.headers()['content-type']).toContain('application/pdf');
      const bytes = await pdf.body();
      expect(bytes.length).toBeGreaterThan(1000);
      expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');

      // The chart the doctor sees carries the record (what the receptionist's must not).
      await page.goto(`/patients/${patient.id}`);
      const summary = await page.locator('main #clinical-summary').innerText();
      expect(summary).toContain(NOTE.chiefComplaint);
      expect(summary).toContain('38.2');
      expect(await page.locator('main .allergy-banner').count()).toBe(1);

      expect(s.problems.errors).toEqual([]);
      expect(await s.problems.cspViolations()).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('the receptionist cannot open the encounter (403) and sees no clinical data', async () => {
    const s = await newSession(browser, { baseURL: served.baseURL, javaScriptEnabled: true });
    const { page } = s;
    try {
      await signIn(s, RECEPTION);
      expect((await page.goto(encounterPath))?.status()).toBe(403);
      expect((await page.goto(`/patients/${patient.id}/clinical`))?.status()).toBe(403);
      expect((await page.goto(`/patients/${patient.id}/encounters`))?.status()).toBe(403);
      expect((await page.goto(`/patients/${patient.id}/prescriptions`))?.status()).toBe(403);

      // Every page she can reach about this patient: none of the clinical record is on it.
      const secrets = [...Object.values(NOTE), DX_TEXT, 'J06.9', MEDICINE, '38.2'];
      for (const to of [`/patients/${patient.id}`, `/patients/${patient.id}/history`, `/patients?q=${encodeURIComponent(PATIENT.cpr)}`]) {
        const res = await page.goto(to);
        expect(res?.status(), to).toBe(200);
        const text = (await page.content()) + (await page.locator('body').innerText());
        for (const secret of secrets) expect(text, `${secret} on ${to}`).not.toContain(secret);
      }
      // The chart she sees has no clinical sections, and no links into them.
      expect(await page.goto(`/patients/${patient.id}`).then(() => page.locator('main .clinical-summary, main .allergy-banner').count())).toBe(0);
      expect(await page.locator(`main a[href^="/patients/${patient.id}/clinical"], main a[href^="/patients/${patient.id}/encounters"], main a[href^="/encounters/"]`).count()).toBe(0);
    } finally {
      await s.close();
    }
  });
});
