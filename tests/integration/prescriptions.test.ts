// Prescriptions through the real routes: a doctor writes, signs, prints (read back with pdftotext)
// and cancels; the allergy warning and its override; nurse and assistant read only; reception and
// accountant see nothing (AC4); another clinic's or a malformed id is unknown (AC2, AC3); strict
// forms (AC6); every write and the print audited naming the patient (LG1); no plaintext (CR1).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, tempDir, testInstall, type TestInstall } from '../helpers/system.ts';
import type { Client } from '../helpers/http.ts';
import { addUser, signedIn } from '../helpers/identity.ts';
import { SYSTEM } from '../../src/audit/types.ts';
import type { AuditContext } from '../../src/audit/context.ts';
import { services } from '../../src/system-app.ts';
import { ClinicalService } from '../../src/features/clinical/service.ts';
import { registerSchema, toDemographics } from '../../src/features/patients/demographics.ts';
import { allergyMatches } from '../../src/features/prescriptions/allergy.ts';

const clock = new FakeClock(Date.parse('2026-12-04T21:30:00Z'));
const out = tempDir('invent-rx-pdf-');
let t: TestInstall;
let demoId: string;
let patientId: string;
let doctor: Client;

const RX_LOCATION = /^\/prescriptions\/(rx_[a-z2-7]{26})\?done=saved$/;
const LICENCE = 'BH-MD 12345';
const AR_NAME = 'مريم أحمد المحمود';
const AR_INSTRUCTIONS = 'تناول كبسولة واحدة بعد الأكل مع كوب من الماء';
const AR_INSTRUCTIONS_2 = 'قرص عند الحاجة للألم أو الحرارة';

const item = (n: number, fields: Record<string, string>) => Object.fromEntries(Object.entries(fields).map(([k, v]) => [`${k}_${n}`, v]));
const AMOX = {
  licenceNo: LICENCE,
  ...item(0, {
    medicine: 'Amoxicillin',
    strength: '500 mg',
    form: 'capsule',
    dose: '1 capsule',
    route: 'oral',
    frequency: 'three times daily',
    duration: '7 days',
    quantity: '21',
    refills: '0',
    instructionsEn: 'Take one capsule after meals with a glass of water.',
    instructionsAr: AR_INSTRUCTIONS,
  }),
  ...item(1, { medicine: 'Paracetamol', strength: '500 mg', form: 'tablet', dose: '1 tablet', route: 'oral', frequency: 'every 6 hours as needed', quantity: '20', instructionsAr: AR_INSTRUCTIONS_2 }),
};

const ctxOf = (clinicId: string, roles: string[]): AuditContext => ({ clinicId, actor: { ...SYSTEM, roles }, requestId: 'req_test', route: 'test' });
const count = async (table: string) => Number((await (await t.system.clinics.get(demoId)).client.execute(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);

/** Posts a prescription; returns its id (or fails the test with the page). */
async function write(client: Client, fields: Record<string, string>): Promise<string> {
  await client.get(`/patients/${patientId}/prescriptions/new`);
  const res = await client.post(`/patients/${patientId}/prescriptions`, fields);
  expect(res.status, client.lastHtml.slice(0, 2000)).toBe(303);
  return res.headers.get('Location')!.match(RX_LOCATION)![1]!;
}

let n = 0;
function pdftotext(bytes: Uint8Array): string {
  const file = join(out.path, `rx-${++n}.pdf`);
  writeFileSync(file, bytes);
  const res = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  expect(res.status, res.stderr).toBe(0);
  // Poppler wraps right-to-left runs in embedding controls (see pdf-text.test.ts): strip them.
  return res.stdout.replace(/[\u202a-\u202e\u2066-\u2069]/g, '');
}

beforeAll(async () => {
  t = await testInstall({ demo: true, clock });
  demoId = (await t.system.clinics.bySlug('demo'))!.id;
  patientId = (await services(t.system, clock).patients.getByMrn(demoId, 'D-0001'))!.id;
  doctor = await signedIn(t, 'doctor@demo.test');
});
afterAll(async () => {
  await t.close();
  out.remove();
});

describe('allergy matching', () => {
  it('matches whole words, case-insensitively, either way round', () => {
    expect(allergyMatches(['Penicillin V potassium'], ['penicillin'])).toHaveLength(1);
    expect(allergyMatches(['Amoxicillin'], ['Amoxicillin and clavulanic acid'])).toHaveLength(1);
    expect(allergyMatches(['AMOXICILLIN 500'], ['amoxicillin'])).toHaveLength(1);
    expect(allergyMatches(['Amoxicillin'], ['Penicillin', 'cillin', 'latex'])).toEqual([]);
    expect(allergyMatches(['Ibuprofen'], [''])).toEqual([]);
  });
});

describe('a doctor writes, signs and prints a prescription', () => {
  let rxId: string;

  it('saves a draft with two items, shown in both languages', async () => {
    const form = await doctor.get(`/patients/${patientId}/prescriptions/new`);
    expect(form.status).toBe(200);
    expect(doctor.lastHtml).toContain('name="medicine_2"');
    rxId = await write(doctor, AMOX);
    const page = await doctor.get(`/prescriptions/${rxId}?done=saved`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('data-status="draft"');
    expect(html).toContain('Amoxicillin');
    expect(html).toContain(AR_INSTRUCTIONS);
    expect(html).toContain(`action="/prescriptions/${rxId}/sign"`);
    // A draft is not printable.
    expect((await doctor.get(`/prescriptions/${rxId}/pdf`)).status).toBe(409);
  });

  it('adds item rows: with htmx one at a time in place, without JavaScript all rows at once', async () => {
    const frag = await doctor.get(`/patients/${patientId}/prescriptions/new/row?n=3`, { htmx: true });
    expect(frag.status).toBe(200);
    const html = await frag.text();
    expect(html).not.toContain('<html');
    expect(html).toContain('name="medicine_3"');
    expect(html).toContain(`hx-get="/patients/${patientId}/prescriptions/new/row?n=4"`);
    expect((await doctor.get(`/patients/${patientId}/prescriptions/new/row?n=10`, { htmx: true })).status).toBe(400);
    const last = await (await doctor.get(`/patients/${patientId}/prescriptions/new/row?n=9`, { htmx: true })).text();
    expect(last).toContain('name="medicine_9"');
    expect(last).not.toContain('rx-add-row');
    await doctor.get(`/patients/${patientId}/prescriptions/new?rows=10`);
    expect(doctor.lastHtml).toContain('name="instructionsAr_9"');
    expect(doctor.lastHtml).not.toContain('name="medicine_10"');
  });

  it('its prescriber edits the draft (items replaced, bad input saves nothing); another doctor cannot (403)', async () => {
    await doctor.get(`/prescriptions/${rxId}`);
    expect(doctor.lastHtml).toContain(`href="/prescriptions/${rxId}/edit"`);
    const edit = await doctor.get(`/prescriptions/${rxId}/edit`);
    expect(edit.status).toBe(200);
    expect(doctor.lastHtml).toContain(`action="/prescriptions/${rxId}"`);
    expect(doctor.lastHtml).toContain('value="Paracetamol"');
    const bad = await doctor.post(`/prescriptions/${rxId}`, { ...AMOX, quantity_1: '-3' });
    expect(bad.status).toBe(400);
    const changed = { ...AMOX, ...item(1, { medicine: 'Ibuprofen', strength: '400 mg', form: 'tablet', quantity: '10', instructionsAr: AR_INSTRUCTIONS_2 }) };
    const ok = await doctor.post(`/prescriptions/${rxId}`, changed);
    expect(ok.status, doctor.lastHtml.slice(0, 1500)).toBe(303);
    const html = await (await doctor.get(`/prescriptions/${rxId}`)).text();
    expect(html).toContain('Ibuprofen');
    expect(html).not.toContain('Paracetamol');
    expect(html).toContain('data-status="draft"');
    await addUser(t, 'demo', 'other.doctor@demo.test', ['doctor']);
    const other = await signedIn(t, 'other.doctor@demo.test', 'a quiet river under granite hills');
    expect((await other.get(`/prescriptions/${rxId}/edit`)).status).toBe(403);
    await other.get(`/prescriptions/${rxId}`);
    expect(other.lastHtml).not.toContain(`href="/prescriptions/${rxId}/edit"`);
    expect((await other.post(`/prescriptions/${rxId}`, AMOX)).status).toBe(403);
    expect(await (await doctor.get(`/prescriptions/${rxId}`)).text()).toContain('Ibuprofen');
    // Put it back as the later tests expect it.
    expect((await doctor.post(`/prescriptions/${rxId}`, AMOX)).status).toBe(303);
  });

  it('signs it; then it is locked', async () => {
    expect((await doctor.post(`/prescriptions/${rxId}/sign`, {})).status).toBe(303);
    const html = await (await doctor.get(`/prescriptions/${rxId}`)).text();
    expect(html).toContain('data-status="signed"');
    expect(html).not.toContain(`action="/prescriptions/${rxId}/sign"`);
    expect((await doctor.post(`/prescriptions/${rxId}/sign`, {})).status).toBe(409);
    expect(html).not.toContain(`href="/prescriptions/${rxId}/edit"`);
    expect((await doctor.get(`/prescriptions/${rxId}/edit`)).status).toBe(409);
    expect((await doctor.post(`/prescriptions/${rxId}`, AMOX)).status).toBe(409);
  });

  it('remembers the licence number for the next form', async () => {
    await doctor.get(`/patients/${patientId}/prescriptions/new`);
    expect(doctor.lastHtml).toContain(`value="${LICENCE}"`);
  });

  it('prints a PDF with letterhead, doctor, licence, both names, MRN, clinic date and Arabic instructions in logical order', async () => {
    const res = await doctor.get(`/prescriptions/${rxId}/pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('application/pdf');
    expect(res.headers.get('Content-Disposition')).toBe('inline; filename="prescription-D-0001-2026-12-05.pdf"');
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const bytes = new Uint8Array(await res.arrayBuffer());
    console.log(`prescription PDF: ${bytes.length} bytes`);
    expect(bytes.length).toBeLessThan(150_000);
    const text = pdftotext(bytes);
    const clinic = await t.system.clinics.get(demoId);
    const line = (has: string) => text.split('\n').find((l) => l.includes(has)) ?? '';
    expect(line(clinic.name)).toContain(clinic.name);
    expect(text).toContain('Dr. Ahmed Al-Khalifa');
    expect(text).toContain(LICENCE);
    expect(text).toContain('Maryam Ahmed Al-Mahmood');
    expect(text).toMatch(new RegExp(`Patient \\(Arabic\\)\\s+${AR_NAME}`));
    expect(text).toContain('D-0001');
    // 21:30 UTC on 4 December is 00:30 on 5 December in Bahrain.
    expect(text).toContain('5 December 2026');
    expect(text).toContain('Amoxicillin');
    expect(text).toContain('Take one capsule after meals with a glass of water.');
    expect(line(AR_INSTRUCTIONS).trim()).toBe(AR_INSTRUCTIONS);
    expect(line(AR_INSTRUCTIONS_2).trim()).toBe(AR_INSTRUCTIONS_2);
  });

  it('prints in Arabic with the Arabic labels', async () => {
    await doctor.post('/lang', { lang: 'ar', next: '/' });
    const res = await doctor.get(`/prescriptions/${rxId}/pdf`);
    await doctor.post('/lang', { lang: 'en', next: '/' });
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    const text = pdftotext(bytes);
    expect(text).toContain('وصفة طبية');
    expect(text).toContain(AR_NAME);
    expect(text).toContain(AR_INSTRUCTIONS);
  });

  it('LG1: audits the create, the signature and each print, naming the patient', async () => {
    const h = await t.system.clinics.get(demoId);
    const rows = (await h.client.execute({ sql: 'SELECT action, entity_type, patient_id, route, detail FROM audit_log WHERE entity_id = ? ORDER BY seq', args: [rxId] })).rows;
    const acts = rows.map((r) => `${r.action} ${r.route}`);
    expect(acts).toContain('create /patients/:id/prescriptions');
    expect(acts).toContain('update /prescriptions/:id/sign');
    expect(acts.filter((a) => a === 'print /prescriptions/:id/pdf')).toHaveLength(2);
    expect(acts).toContain('read /prescriptions/:id');
    for (const r of rows) {
      expect(r.entity_type).toBe('prescription');
      expect(r.patient_id).toBe(patientId);
    }
    expect(JSON.parse(String(rows.find((r) => r.action === 'print')!.detail)).sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('lists the patient prescriptions, and the chart links to them', async () => {
    const html = await (await doctor.get(`/patients/${patientId}/prescriptions`)).text();
    expect(html).toContain(`data-rx="${rxId}"`);
    expect(html).toContain('Amoxicillin, Paracetamol');
    expect(await (await doctor.get(`/patients/${patientId}`)).text()).toContain(`href="/patients/${patientId}/prescriptions"`);
  });
});

describe('cancelling', () => {
  it('cancels with a reason, keeps the record, and refuses any later change', async () => {
    const id = await write(doctor, { licenceNo: LICENCE, ...item(0, { medicine: 'Cetirizine', strength: '10 mg' }) });
    await doctor.get(`/prescriptions/${id}`);
    expect((await doctor.post(`/prescriptions/${id}/cancel`, { reason: 'x' })).status).toBe(400);
    expect((await doctor.post(`/prescriptions/${id}/cancel`, { reason: 'Written for the wrong strength' })).status).toBe(303);
    const html = await (await doctor.get(`/prescriptions/${id}`)).text();
    expect(html).toContain('data-status="cancelled"');
    expect(html).toContain('Written for the wrong strength');
    expect((await doctor.post(`/prescriptions/${id}/cancel`, { reason: 'again and again' })).status).toBe(409);
    expect((await doctor.post(`/prescriptions/${id}/sign`, {})).status).toBe(409);
    expect((await doctor.get(`/prescriptions/${id}/pdf`)).status).toBe(409);
    const h = await t.system.clinics.get(demoId);
    expect((await h.client.execute({ sql: 'SELECT status FROM prescriptions WHERE id = ?', args: [id] })).rows[0]!.status).toBe('cancelled');
  });
});

describe('allergy warning', () => {
  const clinical = () => new ClinicalService({ clinics: t.system.clinics, clock });

  it('warns when a medicine matches an active allergy, saves nothing until "prescribe anyway", and records the override', async () => {
    await clinical().addAllergy(ctxOf(demoId, ['doctor']), patientId, { substance: 'Penicillin', reaction: 'Hives', severity: 'severe' });
    const form = { licenceNo: LICENCE, ...item(0, { medicine: 'penicillin V', strength: '250 mg', instructionsAr: 'قبل الأكل بساعة' }) };
    const before = await count('prescriptions');
    await doctor.get(`/patients/${patientId}/prescriptions/new`);
    expect(doctor.lastHtml).toContain('data-testid="allergy-banner"');
    const warned = await doctor.post(`/patients/${patientId}/prescriptions`, form);
    expect(warned.status).toBe(409);
    const html = await warned.text();
    expect(html).toContain('data-testid="allergy-warning"');
    expect(html).toContain('name="prescribeAnyway"');
    expect(html).toContain('value="penicillin V"');
    expect(await count('prescriptions')).toBe(before);

    const id = await write(doctor, { ...form, prescribeAnyway: '1' });
    const page = await (await doctor.get(`/prescriptions/${id}`)).text();
    expect(page).toContain('data-testid="allergy-override"');
    expect((await doctor.post(`/prescriptions/${id}/sign`, {})).status).toBe(303);
    const h = await t.system.clinics.get(demoId);
    const row = (await h.client.execute({ sql: 'SELECT allergy_override, allergy_matches FROM prescriptions WHERE id = ?', args: [id] })).rows[0]!;
    expect(row.allergy_override).toBe(1);
    expect(String(row.allergy_matches)).not.toContain('Penicillin');
    const sign = (await h.client.execute({ sql: "SELECT detail FROM audit_log WHERE entity_id = ? AND route = '/prescriptions/:id/sign'", args: [id] })).rows[0]!;
    expect(JSON.parse(String(sign.detail)).allergyOverride).toBe(true);
    const text = pdftotext(new Uint8Array(await (await doctor.get(`/prescriptions/${id}/pdf`)).arrayBuffer()));
    expect(text).toContain('Allergy warning acknowledged by the prescriber: Penicillin.');
  });

  it('does not warn for a medicine that only shares letters with the allergy', async () => {
    await write(doctor, { licenceNo: LICENCE, ...item(0, { medicine: 'Amoxicillin' }) });
  });

  it('refuses to sign a draft that an allergy recorded since then matches', async () => {
    const id = await write(doctor, { licenceNo: LICENCE, ...item(0, { medicine: 'Ibuprofen', strength: '400 mg' }) });
    await clinical().addAllergy(ctxOf(demoId, ['doctor']), patientId, { substance: 'ibuprofen', reaction: '', severity: 'moderate' });
    await doctor.get(`/prescriptions/${id}`);
    expect((await doctor.post(`/prescriptions/${id}/sign`, {})).status).toBe(409);
    expect(await (await doctor.get(`/prescriptions/${id}`)).text()).toContain('data-status="draft"');
  });
});

describe('who may do what', () => {
  let rxId: string;
  beforeAll(async () => {
    rxId = await write(doctor, { licenceNo: LICENCE, ...item(0, { medicine: 'Omeprazole', strength: '20 mg' }) });
    await doctor.get(`/prescriptions/${rxId}`);
    await doctor.post(`/prescriptions/${rxId}/sign`, {});
  });

  it('AC4: nurse and assistant read and print but cannot write, sign or cancel (403)', async () => {
    for (const email of ['nurse@demo.test', 'assistant@demo.test']) {
      const c = await signedIn(t, email);
      expect((await c.get(`/patients/${patientId}/prescriptions`)).status, email).toBe(200);
      const page = await c.get(`/prescriptions/${rxId}`);
      expect(page.status, email).toBe(200);
      const html = await page.text();
      expect(html).toContain('Omeprazole');
      expect(html).not.toContain('/cancel"');
      expect((await c.get(`/prescriptions/${rxId}/pdf`)).status, email).toBe(200);
      const before = await count('prescriptions');
      expect((await c.get(`/patients/${patientId}/prescriptions/new`)).status, email).toBe(403);
      expect((await c.post(`/patients/${patientId}/prescriptions`, AMOX)).status, email).toBe(403);
      expect((await c.post(`/prescriptions/${rxId}/sign`, {})).status, email).toBe(403);
      expect((await c.post(`/prescriptions/${rxId}/cancel`, { reason: 'not mine to cancel' })).status, email).toBe(403);
      expect(await count('prescriptions')).toBe(before);
    }
  });

  it('AC4: reception and accountant get 403 on every prescription route and see no prescription data', async () => {
    for (const email of ['reception@demo.test', 'accountant@demo.test']) {
      const c = await signedIn(t, email);
      for (const path of [`/patients/${patientId}/prescriptions`, `/patients/${patientId}/prescriptions/new`, `/patients/${patientId}/prescriptions/new/row?n=3`, `/prescriptions/${rxId}`, `/prescriptions/${rxId}/pdf`]) {
        const res = await c.get(path);
        expect(res.status, `${email} ${path}`).toBe(403);
        expect(await res.text()).not.toContain('Omeprazole');
      }
      expect((await c.post(`/patients/${patientId}/prescriptions`, AMOX)).status).toBe(403);
      expect((await c.post(`/prescriptions/${rxId}/sign`, {})).status).toBe(403);
      expect((await c.post(`/prescriptions/${rxId}/cancel`, { reason: 'no reason at all' })).status).toBe(403);
      const chart = await (await c.get(`/patients/${patientId}`)).text();
      expect(chart).not.toContain('/prescriptions"');
    }
  });

  it("AC2, AC3: a malformed id or another clinic's prescription is 404", async () => {
    const north = await t.system.clinics.create({ slug: 'rx-north', name: 'North Clinic' });
    const svc = services(t.system, clock);
    const form = registerSchema.parse({ givenNameEn: 'Ali', familyNameEn: 'Hasan', dateOfBirth: '1980-01-01', sex: 'male' });
    const checked = toDemographics(form, '2026-12-04');
    if (!checked.ok) throw new Error('bad fixture');
    const [other] = await svc.patients.create(ctxOf(north.id, ['doctor']), [{ demographics: checked.value }]);
    const made = await svc.prescriptions.createDraft(ctxOf(north.id, ['doctor']), other!.id, {
      items: [{ medicine: 'Aspirin', strength: '', form: '', dose: '', route: '', frequency: '', duration: '', quantity: null, refills: 0, instructionsEn: '', instructionsAr: '' }],
      licenceNo: 'N-1',
      prescriberName: 'Dr North',
      prescribeAnyway: false,
    });
    if (!made.ok) throw new Error('north draft not saved');
    for (const path of [`/prescriptions/${made.id}`, `/prescriptions/${made.id}/pdf`, `/patients/${other!.id}/prescriptions`, `/patients/${other!.id}/prescriptions/new`, '/prescriptions/rx_nope', '/prescriptions/..%2f', `/prescriptions/${rxId}x/pdf`]) {
      expect((await doctor.get(path)).status, path).toBe(404);
    }
    await doctor.get(`/prescriptions/${rxId}`);
    expect((await doctor.post(`/prescriptions/${made.id}/sign`, {})).status).toBe(404);
    expect((await doctor.post(`/prescriptions/${made.id}/cancel`, { reason: 'not this clinic' })).status).toBe(404);
    expect((await doctor.post(`/patients/${other!.id}/prescriptions`, AMOX)).status).toBe(404);
    expect((await svc.prescriptions.get(north.id, made.id))!.status).toBe('draft');
  });
});

describe('bad input (AC6)', () => {
  const long = 'x'.repeat(201);
  const cases: Array<[string, Record<string, string>]> = [
    ['over-long medicine', { licenceNo: LICENCE, medicine_0: long }],
    ['over-long Arabic instructions', { licenceNo: LICENCE, medicine_0: 'Cetirizine', instructionsAr_0: 'ع'.repeat(501) }],
    ['no licence', { medicine_0: 'Cetirizine' }],
    ['a licence with markup', { licenceNo: '<b>1</b>', medicine_0: 'Cetirizine' }],
    ['no medicine at all', { licenceNo: LICENCE }],
    ['a row without its medicine', { licenceNo: LICENCE, medicine_0: 'Cetirizine', dose_1: '1 tablet' }],
    ['a quantity that is not a number', { licenceNo: LICENCE, medicine_0: 'Cetirizine', quantity_0: 'ten' }],
    ['too many refills', { licenceNo: LICENCE, medicine_0: 'Cetirizine', refills_0: '13' }],
    ['a control character', { licenceNo: LICENCE, medicine_0: 'Ceti\u0007rizine' }],
    ['a row past the last one', { licenceNo: LICENCE, medicine_0: 'Cetirizine', medicine_10: 'Aspirin' }],
    ['an unknown field', { licenceNo: LICENCE, medicine_0: 'Cetirizine', status: 'signed' }],
    ['a malformed encounter id', { licenceNo: LICENCE, medicine_0: 'Cetirizine', encounterId: 'enc_../x' }],
    ['an encounter of nobody', { licenceNo: LICENCE, medicine_0: 'Cetirizine', encounterId: `enc_${'a'.repeat(26)}` }],
  ];
  for (const [name, fields] of cases) {
    it(`refuses ${name} with 400 on the same form, saving nothing`, async () => {
      const [rx, items] = [await count('prescriptions'), await count('prescription_items')];
      await doctor.get(`/patients/${patientId}/prescriptions/new`);
      const res = await doctor.post(`/patients/${patientId}/prescriptions`, fields);
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain(`action="/patients/${patientId}/prescriptions"`);
      expect(html).toMatch(/class="alert"/);
      expect([await count('prescriptions'), await count('prescription_items')]).toEqual([rx, items]);
    });
  }
});

describe('storage (CR1)', () => {
  it('keeps no plaintext medicine, instructions, allergy or cancel reason in the prescription tables', async () => {
    const h = await t.system.clinics.get(demoId);
    const dump = JSON.stringify([
      ...(await h.client.execute('SELECT * FROM prescriptions')).rows,
      ...(await h.client.execute('SELECT * FROM prescription_items')).rows,
    ]).toLowerCase();
    expect(await count('prescription_items')).toBeGreaterThan(5);
    for (const plain of ['amoxicillin', 'paracetamol', 'penicillin', 'omeprazole', 'ibuprofen', 'cetirizine', 'after meals', AR_INSTRUCTIONS, 'wrong strength', '500 mg']) {
      expect(dump, plain).not.toContain(plain);
    }
  });

  it('binds an item ciphertext to its row: moved to another row it fails to decrypt', async () => {
    const h = await t.system.clinics.get(demoId);
    const items = (await h.client.execute('SELECT id, prescription_id, medicine FROM prescription_items ORDER BY id LIMIT 2')).rows;
    const [a, b] = [items[0]!, items[1]!];
    await h.client.execute({ sql: 'UPDATE prescription_items SET medicine = ? WHERE id = ?', args: [String(b.medicine), String(a.id)] });
    const svc = services(t.system, clock).prescriptions;
    await expect(svc.get(demoId, String(a.prescription_id))).rejects.toThrow(/does not belong/);
    await h.client.execute({ sql: 'UPDATE prescription_items SET medicine = ? WHERE id = ?', args: [String(a.medicine), String(a.id)] });
    expect(await svc.get(demoId, String(a.prescription_id))).not.toBeNull();
  });
});

describe('restricted records (AC5)', () => {
  it('closes every prescription page of a restricted patient to a clinician not named, with the break-glass form', async () => {
    const h = await t.system.clinics.get(demoId);
    const restrictedId = String((await h.client.execute("SELECT id FROM patients WHERE mrn = 'D-0003'")).rows[0]!.id);
    await doctor.get(`/patients/${restrictedId}/prescriptions/new`);
    const res = await doctor.post(`/patients/${restrictedId}/prescriptions`, { licenceNo: LICENCE, medicine_0: 'Loratadine' });
    expect(res.status).toBe(303);
    const rxId = res.headers.get('Location')!.match(RX_LOCATION)![1]!;
    await doctor.get(`/patients/${restrictedId}/restriction`);
    expect((await doctor.post(`/patients/${restrictedId}/restriction`, { restricted: '1' })).status).toBe(303);
    expect((await doctor.get(`/prescriptions/${rxId}`)).status).toBe(200);
    const nurse = await signedIn(t, 'nurse@demo.test');
    for (const path of [`/patients/${restrictedId}/prescriptions`, `/prescriptions/${rxId}`, `/prescriptions/${rxId}/pdf`]) {
      const closed = await nurse.get(path);
      expect(closed.status, path).toBe(403);
      const html = await closed.text();
      expect(html).toContain(`action="/patients/${restrictedId}/break-glass"`);
      expect(html).not.toContain('Loratadine');
    }
  });
});
