// Patients through the real routes and service: registration in both scripts, search by name
// prefix (Arabic, English), CPR, phone and MRN; rectification history; duplicate warning;
// permissions; another clinic's id (AC2, AC3); strict forms (AC6); read audit naming the patient (LG1);
// no plaintext in the database (CR1); demo patients.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testInstall, type TestInstall } from '../helpers/system.ts';
import type { Client } from '../helpers/http.ts';
import { signedIn } from '../helpers/identity.ts';
import { SYSTEM } from '../../src/audit/types.ts';
import { registerSchema, toDemographics } from '../../src/features/patients/demographics.ts';
import { services } from '../../src/system-app.ts';
import { demoMrn } from '../../src/demo/patients.ts';

let t: TestInstall;
let demoId: string;
let reception: Client;

const FORM = {
  givenNameEn: 'Zahra',
  familyNameEn: 'Al-Qassab',
  givenNameAr: 'زهراء',
  familyNameAr: 'القصاب',
  dateOfBirth: '1990-07-14',
  sex: 'female',
  cpr: '900 712 345',
  nationality: 'Bahraini',
  phone: '3911 2233',
  email: 'zahra@example.com',
  address: 'Road 1, Block 2, Riffa',
  emergencyName: 'Hussain',
  emergencyRelationship: 'Brother',
  emergencyPhone: '+97339998877',
  insurancePayer: 'GIG',
  insuranceMember: 'M-77',
  insuranceExpiry: '2027-01-31',
  preferredLanguage: 'ar',
};

const idFrom = (res: Response) => res.headers.get('Location')!.match(/^\/patients\/(p_[a-z2-7]{26})\?registered=1$/)![1]!;
const mrnsIn = (html: string) => [...html.matchAll(/data-mrn="([^"]+)"/g)].map((m) => m[1]!);

let zahraId: string;

beforeAll(async () => {
  t = await testInstall({ demo: true });
  demoId = (await t.system.clinics.bySlug('demo'))!.id;
  reception = await signedIn(t, 'reception@demo.test');
  await reception.get('/patients/new');
  const res = await reception.post('/patients', FORM);
  expect(res.status).toBe(303);
  zahraId = idFrom(res);
});
afterAll(() => t.close());

describe('registering and finding a patient', () => {
  it('shows the chart with both scripts, MRN, age and sex', async () => {
    const res = await reception.get(`/patients/${zahraId}?registered=1`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Zahra Al-Qassab');
    expect(html).toContain('زهراء القصاب');
    expect(html).toMatch(/P-0000\d\d/);
    expect(html).toContain('900712345');
    // AC4: reception reads demographics, never the clinical summary; a doctor gets it on the chart.
    expect(html).not.toContain('id="clinical-summary"');
    const doctor = await signedIn(t, 'doctor@demo.test');
    await doctor.get(`/patients/${zahraId}`);
    expect(doctor.lastHtml).toContain('id="clinical-summary"');
  });

  const find = async (q: string) => mrnsIn(await (await reception.get(`/patients?q=${encodeURIComponent(q)}`)).text());
  const zahraMrn = async () => (await t.system.clinics.get(demoId)) && (await services(t.system, t.platform.clock).patients.get(demoId, zahraId))!.mrn;

  it('finds her by an Arabic name prefix, an English prefix, CPR, phone and MRN', async () => {
    const mrn = await zahraMrn();
    expect(await find('زه')).toContain(mrn);
    expect(await find('القص')).toContain(mrn);
    expect(await find('قصا')).toContain(mrn); // the article folds away
    expect(await find('zah')).toContain(mrn);
    expect(await find('ZAHRA al-qas')).toContain(mrn);
    expect(await find('900-712-345')).toEqual([mrn]);
    expect(await find('٩٠٠٧١٢٣٤٥')).toEqual([mrn]);
    expect(await find('+973 3911 2233')).toEqual([mrn]);
    expect(await find('39112233')).toEqual([mrn]);
    expect(await find(mrn.toLowerCase())).toEqual([mrn]);
    expect(await find('zahrax')).toEqual([]);
  });

  it('links each result to its chart and answers htmx with the results fragment', async () => {
    const res = await reception.get('/patients?q=zahra', { htmx: true });
    const html = await res.text();
    expect(html).not.toContain('<html');
    expect(html).toContain('id="results"');
    expect(html).toContain(`href="/patients/${zahraId}"`);
    expect(res.headers.get('Vary')).toContain('HX-Request');
    const page = await (await reception.get('/patients')).text();
    expect(page).toContain('hx-get="/patients"');
    expect(page).toContain('action="/patients"');
  });

  it('warns of a duplicate (same CPR, or same name and birth date) until "register anyway"', async () => {
    const again = await reception.post('/patients', { ...FORM, cpr: '' });
    expect(again.status).toBe(409);
    const html = await again.text();
    expect(html).toContain('data-testid="duplicates"');
    expect(html).toContain('name="registerAnyway"');
    const sameCpr = await reception.post('/patients', { ...FORM, givenNameEn: 'Other', givenNameAr: 'أخرى', dateOfBirth: '1991-01-01' });
    expect(sameCpr.status).toBe(409);
    const before = (await find('zahra')).length;
    const anyway = await reception.post('/patients', { ...FORM, cpr: '', registerAnyway: '1' });
    expect(anyway.status).toBe(303);
    expect((await find('zahra')).length).toBe(before + 1);
  });

  it('warns when the CPR does not begin with the birth YYMM, registers once the person confirms, and asks again on an edit that breaks it', async () => {
    const count = async () => (await t.system.clinics.get(demoId)).client.execute('SELECT count(*) AS n FROM patients').then((r) => Number(r.rows[0]!.n));
    const before = await count();
    const form = { ...FORM, givenNameEn: 'Maryam', givenNameAr: 'مريم', cpr: '850101234', phone: '', email: '' };
    const warned = await reception.post('/patients', form);
    expect(warned.status).toBe(409);
    const html = await warned.text();
    expect(html).toContain('data-testid="cpr-mismatch"');
    expect(html).toContain('name="confirmCpr"');
    expect(html).toContain('value="850101234"'); // what was typed is kept
    expect(await count()).toBe(before);
    const confirmed = await reception.post('/patients', { ...form, confirmCpr: '1' });
    expect(confirmed.status).toBe(303);
    expect(await count()).toBe(before + 1);
    const id = idFrom(confirmed);
    // A correction that leaves CPR and birth date alone is not asked again; one that changes the CPR is.
    const version = (await (await reception.get(`/patients/${id}/edit`)).text()).match(/name="version" value="(\d+)"/)![1]!;
    const address = await reception.post(`/patients/${id}`, { ...form, address: 'Road 9', version, reason: 'moved' });
    expect(address.status).toBe(303);
    const changed = await reception.post(`/patients/${id}`, { ...form, cpr: '860101234', version: String(Number(version) + 1), reason: 'typo' });
    expect(changed.status).toBe(409);
    expect(await changed.text()).toContain('data-testid="cpr-mismatch"');
    const ok = await reception.post(`/patients/${id}`, { ...form, cpr: '900701234', version: String(Number(version) + 1), reason: 'typo' });
    expect(ok.status).toBe(303);
  });

  it('refuses bad input with 400, the form again in the user\'s language, nothing saved', async () => {
    const count = async () => (await t.system.clinics.get(demoId)).client.execute('SELECT count(*) AS n FROM patients').then((r) => Number(r.rows[0]!.n));
    const n = await count();
    const cases: Record<string, string>[] = [
      { ...FORM, cpr: '12345' },
      { ...FORM, dateOfBirth: '2999-01-01' },
      { ...FORM, dateOfBirth: '1850-01-01' },
      { ...FORM, dateOfBirth: '2001-02-30' },
      { ...FORM, phone: 'call me' },
      { ...FORM, address: 'x'.repeat(501) },
      { ...FORM, extra: 'field' },
      { ...FORM, givenNameEn: '', familyNameEn: '', givenNameAr: '', familyNameAr: '' },
      { ...FORM, sex: 'robot' },
    ];
    for (const fields of cases) {
      const res = await reception.post('/patients', fields);
      expect(res.status, JSON.stringify(fields).slice(0, 80)).toBe(400);
      expect(await res.text()).toContain('action="/patients"');
    }
    reception.cookies.set('lang', 'ar');
    const ar = await (await reception.post('/patients', { ...FORM, dateOfBirth: '2999-01-01' })).text();
    expect(ar).toContain('لا يمكن أن يكون تاريخ الميلاد في المستقبل');
    reception.cookies.delete('lang');
    expect(await count()).toBe(n);
  });

  it('escapes user data everywhere (VE2)', async () => {
    const evil = '<script>alert(1)</script>" hx-get="/x';
    const res = await reception.post('/patients', { ...FORM, cpr: '', givenNameEn: evil, address: evil, registerAnyway: '1' });
    expect(res.status).toBe(303);
    const html = await (await reception.get(res.headers.get('Location')!)).text();
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('" hx-get="/x');
    expect(html).toContain('&lt;script&gt;');
  });
});

describe('correcting a record', () => {
  it('keeps the previous values in the history, with the reason and who', async () => {
    const edit = await (await reception.get(`/patients/${zahraId}/edit`)).text();
    const version = edit.match(/name="version" value="(\d+)"/)![1]!;
    const res = await reception.post(`/patients/${zahraId}`, { ...FORM, phone: '3922 4455', familyNameEn: 'Al-Qassab Hasan', version, reason: 'Patient brought new ID' });
    expect(res.status).toBe(303);
    const chart = await (await reception.get(`/patients/${zahraId}`)).text();
    expect(chart).toContain('Al-Qassab Hasan');
    const history = await (await reception.get(`/patients/${zahraId}/history`)).text();
    expect(history).toContain('Patient brought new ID');
    expect(history).toContain('Noor Abdulla');
    expect(history).toContain('3911 2233'); // the previous phone
    // The old phone no longer finds her; the new one does.
    const mrn = (await services(t.system, t.platform.clock).patients.get(demoId, zahraId))!.mrn;
    expect(mrnsIn(await (await reception.get('/patients?q=39112233')).text())).not.toContain(mrn);
    expect(mrnsIn(await (await reception.get('/patients?q=39224455')).text())).toEqual([mrn]);
    // A stale version is refused and nothing changes.
    const stale = await reception.post(`/patients/${zahraId}`, { ...FORM, address: 'elsewhere', version, reason: 'late' });
    expect(stale.status).toBe(409);
    expect(await (await reception.get(`/patients/${zahraId}`)).text()).not.toContain('elsewhere');
    // An edit needs a reason.
    const noReason = await reception.post(`/patients/${zahraId}`, { ...FORM, version: String(Number(version) + 1), reason: '' });
    expect(noReason.status).toBe(400);
  });
});

describe('access', () => {
  it('lets the accountant read but not register (403)', async () => {
    const accountant = await signedIn(t, 'accountant@demo.test');
    expect((await accountant.get('/patients?q=zahra')).status).toBe(200);
    expect((await accountant.get('/patients/new')).status).toBe(403);
    expect((await accountant.post('/patients', FORM)).status).toBe(403);
    expect((await accountant.get(`/patients/${zahraId}/edit`)).status).toBe(403);
  });

  it("answers 404 for a malformed id and for another clinic's patient (AC2, AC3)", async () => {
    const north = await t.system.clinics.create({ slug: 'north', name: 'North Clinic' });
    const svc = services(t.system, t.platform.clock).patients;
    const form = registerSchema.parse({ ...FORM, cpr: '' });
    const checked = toDemographics(form, '2026-12-04');
    if (!checked.ok) throw new Error('bad fixture');
    const [other] = await svc.create({ clinicId: north.id, actor: SYSTEM, requestId: 'req_test', route: 'test' }, [{ demographics: checked.value }]);
    for (const path of [`/patients/${other!.id}`, `/patients/${other!.id}/edit`, `/patients/${other!.id}/history`, '/patients/p_nope', '/patients/..%2f']) {
      expect((await reception.get(path)).status, path).toBe(404);
    }
    expect((await reception.post(`/patients/${other!.id}`, { ...FORM, version: '1', reason: 'x' })).status).toBe(404);
    expect(await (await reception.get(`/patients?q=${other!.mrn}`)).text()).not.toContain(other!.id);
  });
});

describe('demo patients', () => {
  it('has D-0001 ... D-0040, D-0001 with names in both scripts', async () => {
    const svc = services(t.system, t.platform.clock).patients;
    for (const n of [1, 2, 17, 40]) expect(await svc.getByMrn(demoId, demoMrn(n)), demoMrn(n)).not.toBeNull();
    expect(await svc.getByMrn(demoId, demoMrn(41))).toBeNull();
    const rich = (await svc.getByMrn(demoId, 'D-0001'))!.demographics;
    expect(rich.fullNameEn).toBe('Maryam Ahmed Al-Mahmood');
    expect(rich.fullNameAr).toBe('مريم أحمد المحمود');
    expect(rich.phones.length).toBe(2);
    const found = mrnsIn(await (await reception.get(`/patients?q=${encodeURIComponent('مريم المح')}`)).text());
    expect(found).toContain('D-0001');
  });
});

describe('audit and storage', () => {
  it('writes a read event naming the patient when a chart is viewed (LG1), and a create event on register', async () => {
    const doctor = await signedIn(t, 'doctor@demo.test');
    await doctor.get(`/patients/${zahraId}`);
    const h = await t.system.clinics.get(demoId);
    const rows = (await h.client.execute({ sql: "SELECT action, entity_type, entity_id, patient_id, route FROM audit_log WHERE patient_id = ? ORDER BY seq", args: [zahraId] })).rows;
    expect(rows.some((r) => r.action === 'create' && r.entity_type === 'patient')).toBe(true);
    expect(rows.some((r) => r.action === 'update' && r.entity_type === 'patient')).toBe(true);
    const last = rows[rows.length - 1]!;
    expect(last.action).toBe('read');
    expect(last.entity_id).toBe(zahraId);
    expect(last.route).toBe('/patients/:id');
  });

  it('stores no plaintext name, CPR or phone (CR1)', async () => {
    const h = await t.system.clinics.get(demoId);
    const dump = JSON.stringify([
      ...(await h.client.execute('SELECT * FROM patients')).rows,
      ...(await h.client.execute('SELECT * FROM patient_index')).rows,
      ...(await h.client.execute('SELECT * FROM patient_history')).rows,
    ]);
    for (const plain of ['Zahra', 'zahra', 'زهراء', 'القصاب', 'qassab', '900712345', '39112233', '+97339224455', 'Maryam', 'مريم', '840312345', '1990-07-14']) {
      expect(dump, plain).not.toContain(plain);
    }
  });

  it('binds the ciphertext to its row: moved to another row it fails to decrypt (CR1)', async () => {
    const h = await t.system.clinics.get(demoId);
    const svc = services(t.system, t.platform.clock).patients;
    const a = (await svc.getByMrn(demoId, demoMrn(2)))!;
    const own = (await h.client.execute({ sql: 'SELECT demographics FROM patients WHERE id = ?', args: [a.id] })).rows[0]!;
    const row = (await h.client.execute({ sql: 'SELECT demographics FROM patients WHERE id = ?', args: [zahraId] })).rows[0]!;
    await h.client.execute({ sql: 'UPDATE patients SET demographics = ? WHERE id = ?', args: [String(row.demographics), a.id] });
    await expect(svc.get(demoId, a.id)).rejects.toThrow(/does not belong/);
    await h.client.execute({ sql: 'UPDATE patients SET demographics = ? WHERE id = ?', args: [String(own.demographics), a.id] });
    expect((await svc.get(demoId, a.id))!.mrn).toBe(demoMrn(2));
  });
});
