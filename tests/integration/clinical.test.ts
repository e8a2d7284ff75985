// Clinical records through the real routes and service: a doctor writes, diagnoses (ICD-10) and
// signs an encounter, records vitals; signing locks it and changes become addenda; nurses record
// vitals and allergies but cannot sign; receptionists reach no clinical route and see no clinical
// text (AC4); impossible vitals, over-long notes, unknown fields and malformed ids save nothing
// (AC2, AC6); free text is encrypted in the database (CR1); every write is audited with its
// patient (LG1); the timeline pages by keyset over hundreds of encounters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { testInstall, type TestInstall } from '../helpers/system.ts';
import type { Client } from '../helpers/http.ts';
import { addUser, signedIn } from '../helpers/identity.ts';
import { patients } from '../../src/tenancy/schema/clinic/index.ts';
import { ClinicalService, ClinicalError } from '../../src/features/clinical/service.ts';
import { unseal } from '../../src/features/clinical/repo.ts';
import { FieldDecryptError } from '../../src/crypto/field.ts';
import type { AuditContext } from '../../src/audit/context.ts';
import type { ClinicHandle } from '../../src/tenancy/registry.ts';

let t: TestInstall;
let h: ClinicHandle;
let doctor: Client;
let nurse: Client;
let reception: Client;
let pA: string; // the main test patient
let pB: string; // the paging patient
let pC: string; // the restricted patient
let encId: string;

const SECRET = {
  complaint: 'Zq-complaint earache for three days',
  subjective: 'Zq-subjective pain worse at night',
  objective: 'Zq-objective red bulging tympanic membrane',
  assessment: 'Zq-assessment acute otitis media',
  plan: 'Zq-plan amoxicillin and review',
  addendum: 'Zq-addendum culture result negative',
  allergy: 'Zq-penicillin',
  reaction: 'Zq-hives',
  problem: 'Zq-problem asthma since childhood',
  medication: 'Zq-salbutamol inhaler',
};
const MARKER = 'Zq-';

const count = async (table: string, where = '1 = 1', args: (string | number)[] = []) =>
  Number((await h.client.execute({ sql: `SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`, args })).rows[0]!.n);

const doctorCtx = (): AuditContext => ({
  clinicId: h.id,
  actor: { userId: 'u_test_doctor', kind: 'user', roles: ['doctor'], sessionHash: null, ip: null, userAgent: null },
  requestId: 'req_test',
  route: 'test',
});

beforeAll(async () => {
  t = await testInstall({ demo: true });
  const clinic = (await t.system.clinics.bySlug('demo'))!;
  h = await t.system.clinics.get(clinic.id);
  const rows = await h.db.select({ id: patients.id, mrn: patients.mrn }).from(patients).orderBy(patients.mrn).limit(4);
  expect(rows.length).toBeGreaterThanOrEqual(4);
  pA = rows[1]!.id;
  pB = rows[2]!.id;
  pC = rows[3]!.id;
  doctor = await signedIn(t, 'doctor@demo.test');
  nurse = await signedIn(t, 'nurse@demo.test');
  reception = await signedIn(t, 'reception@demo.test');
});

afterAll(async () => {
  await t?.close();
});

describe('encounters: write, diagnose, sign, addenda', () => {
  it('a doctor writes an encounter with an ICD-10 diagnosis (LG1: create events name the patient)', async () => {
    expect((await doctor.get(`/patients/${pA}/encounters/new`)).status).toBe(200);
    const res = await doctor.post(`/patients/${pA}/encounters/new`, {
      type: 'consultation',
      chiefComplaint: SECRET.complaint,
      subjective: SECRET.subjective,
      objective: SECRET.objective,
      assessment: SECRET.assessment,
      plan: SECRET.plan,
      dxCode: 'h66.90',
      dxText: '',
    });
    expect(res.status).toBe(303);
    const m = res.headers.get('Location')!.match(/^\/encounters\/(enc_[a-z2-7]{26})\?saved=1$/);
    expect(m).toBeTruthy();
    encId = m![1]!;
    const page = await doctor.get(`/encounters/${encId}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(SECRET.subjective);
    expect(html).toContain('H66.90');
    expect(html).toContain('Otitis media');
    expect(html).toContain('data-status="draft"');
    const events = (await h.client.execute({ sql: "SELECT action, entity_type, patient_id FROM audit_log WHERE entity_type IN ('encounter', 'diagnosis') AND action = 'create'", args: [] })).rows;
    expect(events.map((e) => e.entity_type).sort()).toEqual(['diagnosis', 'encounter']);
    expect(events.every((e) => e.patient_id === pA)).toBe(true);
    // The read is audited with the patient too.
    const read = (await h.client.execute({ sql: "SELECT patient_id FROM audit_log WHERE action = 'read' AND entity_type = 'encounter' AND entity_id = ?", args: [encId] })).rows;
    expect(read.length).toBeGreaterThan(0);
    expect(read[0]!.patient_id).toBe(pA);
  });

  it('the draft can be edited; a diagnosis with a code in the right shape but not listed is accepted, a malformed code is refused', async () => {
    const base = { type: 'consultation', chiefComplaint: SECRET.complaint, subjective: SECRET.subjective, objective: SECRET.objective, assessment: SECRET.assessment, plan: SECRET.plan };
    await doctor.get(`/encounters/${encId}`);
    const bad = await doctor.post(`/encounters/${encId}`, { ...base, dxCode: '12345', dxText: 'x' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('This is not an ICD-10 code');
    const ok = await doctor.post(`/encounters/${encId}`, { ...base, dxCode: 'Z99.89', dxText: 'Zq-other dependence' });
    expect(ok.status).toBe(303);
    expect(await count('diagnoses', 'encounter_id = ?', [encId])).toBe(2);
  });

  it('a doctor records vitals for the encounter: BMI is computed on the server', async () => {
    await doctor.get(`/patients/${pA}/vitals/new?encounter=${encId}`);
    const res = await doctor.post(`/patients/${pA}/vitals`, { encounterId: encId, systolic: '124', diastolic: '82', pulse: '76', temperatureC: '37.8', respRate: '16', spo2: '98', weightKg: '80', heightCm: '180' });
    expect(res.status).toBe(303);
    const row = (await h.client.execute({ sql: 'SELECT bmi, encounter_id FROM vitals WHERE patient_id = ?', args: [pA] })).rows[0]!;
    expect(row.bmi).toBe(24.7);
    expect(row.encounter_id).toBe(encId);
    const page = await (await doctor.get(`/encounters/${encId}`)).text();
    expect(page).toContain('124/82');
    // A document (an X-ray, a lab report) can be uploaded from the encounter, linked to it.
    expect(page).toContain(`href="/patients/${pA}/documents/new?encounter=${encId}"`);
  });

  it('a nurse records vitals and allergies but cannot sign, write or edit an encounter (403)', async () => {
    await nurse.get(`/patients/${pA}/vitals/new`);
    const v = await nurse.post(`/patients/${pA}/vitals`, { weightKg: '81.5' });
    expect(v.status).toBe(303);
    // The last recorded height (180 cm) gives the BMI.
    const bmi = (await h.client.execute({ sql: 'SELECT bmi FROM vitals WHERE patient_id = ? AND weight_kg = 81.5', args: [pA] })).rows[0]!.bmi;
    expect(bmi).toBe(25.2);
    const a = await nurse.post(`/patients/${pA}/allergies`, { substance: SECRET.allergy, reaction: SECRET.reaction, severity: 'severe' });
    expect(a.status).toBe(303);
    expect((await nurse.post(`/encounters/${encId}/sign`, {})).status).toBe(403);
    expect((await nurse.post(`/encounters/${encId}`, { type: 'consultation' })).status).toBe(403);
    expect((await nurse.post(`/patients/${pA}/encounters/new`, { type: 'consultation' })).status).toBe(403);
    expect(await count('encounters', "status = 'signed'")).toBe(0);
    // ...and may read the encounter (clinical:read).
    expect((await nurse.get(`/encounters/${encId}`)).status).toBe(200);
  });

  it("another doctor can read the draft but neither edit nor sign it (403, nothing changed); the form is not offered", async () => {
    await addUser(t, 'demo', 'second.doctor@demo.test', ['doctor']);
    const other = await signedIn(t, 'second.doctor@demo.test', 'a quiet river under granite hills');
    const page = await other.get(`/encounters/${encId}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).not.toContain(`action="/encounters/${encId}/sign"`);
    expect(html).not.toContain(`action="/encounters/${encId}"`);
    const edit = await other.post(`/encounters/${encId}`, { type: 'consultation', chiefComplaint: 'Zq-overwritten' });
    expect(edit.status).toBe(403);
    expect(await edit.text()).toContain('Only the clinician who wrote this draft');
    expect((await other.post(`/encounters/${encId}/sign`, {})).status).toBe(403);
    expect(await count('encounters', "status = 'signed'")).toBe(0);
    expect((await doctor.get(`/encounters/${encId}`).then((r) => r.text())).includes('Zq-overwritten')).toBe(false);
  });

  it('a doctor signs; afterwards edits are refused (409) and changes are dated addenda by their author', async () => {
    await doctor.get(`/encounters/${encId}`);
    const s = await doctor.post(`/encounters/${encId}/sign`, {});
    expect(s.status).toBe(303);
    const row = (await h.client.execute({ sql: 'SELECT status, signed_at, signed_by, subjective FROM encounters WHERE id = ?', args: [encId] })).rows[0]!;
    expect(row.status).toBe('signed');
    expect(row.signed_at).toBeTruthy();
    expect(row.signed_by).toBeTruthy();
    const edit = await doctor.post(`/encounters/${encId}`, { type: 'consultation', subjective: 'Zq-rewritten after signing' });
    expect(edit.status).toBe(409);
    expect(await edit.text()).toContain('signed and locked');
    expect((await h.client.execute({ sql: 'SELECT subjective FROM encounters WHERE id = ?', args: [encId] })).rows[0]!.subjective).toBe(row.subjective);
    expect((await doctor.post(`/encounters/${encId}/sign`, {})).status).toBe(409);
    const svc = new ClinicalService({ clinics: t.system.clinics, clock: t.platform.clock });
    await expect(svc.editEncounter(doctorCtx(), encId, { type: 'consultation', notes: { chiefComplaint: '', subjective: 'x', objective: '', assessment: '', plan: '' } })).rejects.toThrow(ClinicalError);

    await doctor.get(`/encounters/${encId}`);
    const add = await doctor.post(`/encounters/${encId}/addenda`, { text: SECRET.addendum });
    expect(add.status).toBe(303);
    const html = await (await doctor.get(`/encounters/${encId}`)).text();
    expect(html).toContain(SECRET.addendum);
    expect(html).toContain('Dr. Ahmed Al-Khalifa');
    const ad = (await h.client.execute({ sql: 'SELECT author_id, at FROM encounter_addenda WHERE encounter_id = ?', args: [encId] })).rows;
    expect(ad).toHaveLength(1);
    expect(ad[0]!.author_id).toBe(row.signed_by);
    const signEvent = (await h.client.execute({ sql: "SELECT detail, patient_id FROM audit_log WHERE action = 'update' AND entity_type = 'encounter' AND entity_id = ? ORDER BY seq DESC LIMIT 1", args: [encId] })).rows[0]!;
    expect(String(signEvent.detail)).toContain('signed');
    expect(signEvent.patient_id).toBe(pA);
  });

  it('problems and medications show in the summary, with the allergy banner', async () => {
    await doctor.get(`/patients/${pA}/problems/new`);
    expect((await doctor.post(`/patients/${pA}/problems`, { code: 'J45.9', text: SECRET.problem, onset: '2001-05-01' })).status).toBe(303);
    await doctor.get(`/patients/${pA}/medications/new`);
    expect((await doctor.post(`/patients/${pA}/medications`, { name: SECRET.medication, strength: '100 mcg', dose: '2 puffs as needed', startDate: '2020-01-01' })).status).toBe(303);
    const html = await (await doctor.get(`/patients/${pA}/clinical`)).text();
    for (const s of [SECRET.allergy, SECRET.problem, SECRET.medication, SECRET.complaint, '81.5 kg']) expect(html).toContain(s);
    expect(html).toContain('allergy-banner');
    const summary = await new ClinicalService({ clinics: t.system.clinics, clock: t.platform.clock }).summary(doctorCtx(), pA);
    expect(summary.allergies[0]!.substance).toBe(SECRET.allergy);
    expect(summary.activeMedications).toHaveLength(1);
    expect(summary.lastVitals?.weightKg).toBe(81.5);
    expect(summary.recentEncounters[0]!.chiefComplaint).toBe(SECRET.complaint);
  });

  it('a medication is stopped and a problem resolved from the summary; a record of another patient is 404', async () => {
    const html = await (await doctor.get(`/patients/${pA}/clinical`)).text();
    const stop = html.match(/action="(\/patients\/p_[a-z2-7]+\/medications\/med_[a-z2-7]+\/status)"/)![1]!;
    const medId = stop.split('/')[4]!;
    expect((await doctor.post(stop.replace(pA, pB), { status: 'stopped' })).status).toBe(404);
    expect((await doctor.post(stop, { status: 'finished' })).status).toBe(400);
    expect((await doctor.post(stop, { status: 'stopped' })).status).toBe(303);
    const row = (await h.client.execute({ sql: 'SELECT status, stop_date FROM medications WHERE id = ?', args: [medId] })).rows[0]!;
    expect(row.status).toBe('stopped');
    expect(row.stop_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const ev = (await h.client.execute({ sql: "SELECT patient_id FROM audit_log WHERE action = 'update' AND entity_type = 'medication' AND entity_id = ?", args: [medId] })).rows;
    expect(ev).toHaveLength(1);
    expect(ev[0]!.patient_id).toBe(pA);
    const after = await (await doctor.get(`/patients/${pA}/clinical`)).text();
    expect(after).not.toContain(SECRET.medication);
    const resolve = after.match(/action="(\/patients\/p_[a-z2-7]+\/problems\/prb_[a-z2-7]+\/status)"/)![1]!;
    expect((await doctor.post(resolve, { status: 'resolved' })).status).toBe(303);
    expect(await count('problems', "status = 'resolved'")).toBe(1);
  });

  it('an encounter takes its date and time in the clinic time zone; a future one is refused', async () => {
    await doctor.get(`/patients/${pA}/encounters/new`);
    const before = await count('encounters');
    const future = await doctor.post(`/patients/${pA}/encounters/new`, { type: 'telephone', startedAt: '2999-01-01T10:00', chiefComplaint: 'Zq-later' });
    expect(future.status).toBe(400);
    expect(await future.text()).toContain('cannot be in the future');
    expect((await doctor.post(`/patients/${pA}/encounters/new`, { type: 'telephone', startedAt: '2026-02-30T10:00' })).status).toBe(400);
    expect(await count('encounters')).toBe(before);
    const res = await doctor.post(`/patients/${pA}/encounters/new`, { type: 'telephone', startedAt: '2026-03-01T09:30', chiefComplaint: 'Zq-phone call' });
    expect(res.status).toBe(303);
    const id = res.headers.get('Location')!.split('/')[2]!.split('?')[0]!;
    expect((await h.client.execute({ sql: 'SELECT started_at FROM encounters WHERE id = ?', args: [id] })).rows[0]!.started_at).toBe('2026-03-01T06:30:00.000Z');
    expect(await (await doctor.get(`/encounters/${id}`)).text()).toContain('value="2026-03-01T09:30"');
  });

  it('GET /icd10 answers JSON or a datalist fragment', async () => {
    const json = await doctor.get('/icd10?q=otitis', { headers: { Accept: 'application/json' } });
    expect(json.status).toBe(200);
    const body = (await json.json()) as { results: { code: string }[] };
    expect(body.results.some((r) => r.code.startsWith('H6'))).toBe(true);
    const frag = await doctor.get('/icd10?dxCode=J06', { htmx: true });
    expect(await frag.text()).toContain('<datalist id="icd10-options">');
    expect((await doctor.get(`/icd10?q=${'a'.repeat(101)}`)).status).toBe(400);
  });
});

describe('AC4: receptionists and accountants reach no clinical route and see no clinical text', () => {
  it('AC4: every clinical route answers 403 to a receptionist', async () => {
    const gets = [
      `/patients/${pA}/clinical`,
      `/patients/${pA}/encounters`,
      `/patients/${pA}/encounters/new`,
      `/encounters/${encId}`,
      `/patients/${pA}/vitals/new`,
      `/patients/${pA}/allergies/new`,
      `/patients/${pA}/problems/new`,
      `/patients/${pA}/medications/new`,
      '/icd10?q=otitis',
    ];
    await reception.get('/');
    for (const p of gets) expect((await reception.get(p)).status, p).toBe(403);
    const posts: [string, Record<string, string>][] = [
      [`/patients/${pA}/encounters/new`, { type: 'consultation', chiefComplaint: 'x' }],
      [`/encounters/${encId}`, { type: 'consultation' }],
      [`/encounters/${encId}/sign`, {}],
      [`/encounters/${encId}/addenda`, { text: 'x' }],
      [`/patients/${pA}/vitals`, { pulse: '70' }],
      [`/patients/${pA}/allergies`, { substance: 'x', severity: 'mild' }],
      [`/patients/${pA}/problems`, { text: 'x' }],
      [`/patients/${pA}/medications`, { name: 'x' }],
      [`/patients/${pA}/allergies/alg_aaaaaaaaaaaaaaaaaaaaaaaaaa/status`, { status: 'resolved' }],
    ];
    for (const [p, f] of posts) {
      await reception.get('/');
      expect((await reception.post(p, f)).status, p).toBe(403);
    }
    const accountant = await signedIn(t, 'accountant@demo.test');
    for (const p of gets) expect((await accountant.get(p)).status, p).toBe(403);
    // The service refuses them too, whatever page calls it.
    const ctx = { ...doctorCtx(), actor: { ...doctorCtx().actor, roles: ['receptionist'] } };
    const svc = new ClinicalService({ clinics: t.system.clinics, clock: t.platform.clock });
    await expect(svc.summary(ctx, pA)).rejects.toMatchObject({ problem: 'forbidden' });
  });

  it('AC4: the pages a receptionist can see contain none of the clinical text', async () => {
    for (const p of ['/', `/patients/${pA}`, '/patients']) {
      const res = await reception.get(p);
      expect(res.status, p).toBe(200);
      expect(await res.text(), p).not.toContain(MARKER);
    }
  });
});

describe('bad input saves nothing (AC2, AC6)', () => {
  it('impossible vitals get a message per field and save nothing', async () => {
    const before = await count('vitals');
    await nurse.get(`/patients/${pA}/vitals/new`);
    const res = await nurse.post(`/patients/${pA}/vitals`, { systolic: '400', diastolic: '90', pulse: '7', temperatureC: '52', spo2: '120', weightKg: '0', heightCm: '20', respRate: '' });
    expect(res.status).toBe(400);
    const html = await res.text();
    for (const msg of ['Systolic pressure must be', 'Pulse must be', 'Temperature must be', 'SpO₂ must be', 'Weight must be', 'Height must be']) expect(html).toContain(msg);
    const inverted = await nurse.post(`/patients/${pA}/vitals`, { systolic: '80', diastolic: '120' });
    expect(inverted.status).toBe(400);
    expect(await inverted.text()).toContain('Diastolic pressure must be lower');
    expect((await nurse.post(`/patients/${pA}/vitals`, {})).status).toBe(400);
    expect((await nurse.post(`/patients/${pA}/vitals`, { pulse: 'seventy' })).status).toBe(400);
    expect((await nurse.post(`/patients/${pA}/vitals`, { pulse: '70', encounterId: 'enc_aaaaaaaaaaaaaaaaaaaaaaaaaa' })).status).toBe(400);
    expect(await count('vitals')).toBe(before);
  });

  it('over-long notes and unknown fields are refused with nothing saved', async () => {
    const before = await count('encounters');
    await doctor.get(`/patients/${pA}/encounters/new`);
    const long = await doctor.post(`/patients/${pA}/encounters/new`, { type: 'consultation', subjective: 'x'.repeat(20_001) });
    expect(long.status).toBe(400);
    expect(await long.text()).toContain('field-error');
    expect((await doctor.post(`/patients/${pA}/encounters/new`, { type: 'consultation', isAdmin: '1' })).status).toBe(400);
    expect((await doctor.post(`/patients/${pA}/encounters/new`, { type: 'home-visit' })).status).toBe(400);
    expect(await count('encounters')).toBe(before);
    const allergies = await count('allergies');
    expect((await doctor.post(`/patients/${pA}/allergies`, { substance: 'x'.repeat(201), severity: 'mild' })).status).toBe(400);
    expect((await doctor.post(`/patients/${pA}/allergies`, { substance: 'latex', severity: 'deadly' })).status).toBe(400);
    expect(await count('allergies')).toBe(allergies);
  });

  it('AC2: malformed or unknown ids give 404', async () => {
    for (const p of ['/encounters/nope', '/encounters/enc_aaaaaaaaaaaaaaaaaaaaaaaaaa', '/patients/p_bad/encounters', '/patients/p_aaaaaaaaaaaaaaaaaaaaaaaaaa/clinical', '/patients/p_aaaaaaaaaaaaaaaaaaaaaaaaaa/encounters/new']) {
      expect((await doctor.get(p)).status, p).toBe(404);
    }
    expect((await doctor.get(`/patients/${pA}/encounters?before=garbage`)).status).toBe(404);
    await doctor.get('/');
    const before = await count('encounters');
    expect((await doctor.post('/patients/p_aaaaaaaaaaaaaaaaaaaaaaaaaa/encounters/new', { type: 'consultation' })).status).toBe(404);
    expect((await doctor.post('/encounters/enc_aaaaaaaaaaaaaaaaaaaaaaaaaa/sign', {})).status).toBe(404);
    expect((await doctor.post('/patients/p_aaaaaaaaaaaaaaaaaaaaaaaaaa/vitals', { pulse: '70' })).status).toBe(404);
    expect(await count('encounters')).toBe(before);
  });
});

describe('AC5: restricted patients', () => {
  it('AC5: clinical data of a restricted patient is refused to a clinician who is not named, and shown once named', async () => {
    const svc = new ClinicalService({ clinics: t.system.clinics, clock: t.platform.clock });
    const id = await svc.createEncounter(doctorCtx(), pC, { type: 'telephone', notes: { chiefComplaint: 'Zq-restricted call', subjective: '', objective: '', assessment: '', plan: '' } });
    await h.client.execute({ sql: 'UPDATE patients SET restricted = 1 WHERE id = ?', args: [pC] });
    for (const p of [`/patients/${pC}/clinical`, `/patients/${pC}/encounters`, `/encounters/${id}`]) {
      const res = await doctor.get(p);
      expect(res.status, p).toBe(403);
      expect(await res.text()).not.toContain(MARKER);
    }
    await doctor.get('/');
    expect((await doctor.post(`/patients/${pC}/vitals`, { pulse: '70' })).status).toBe(403);
    const doctorId = (await h.client.execute({ sql: 'SELECT clinician_id FROM encounters WHERE id = ?', args: [encId] })).rows[0]!.clinician_id as string;
    await h.client.execute({ sql: 'INSERT INTO patient_clinicians (patient_id, user_id, added_by, added_at) VALUES (?, ?, ?, ?)', args: [pC, doctorId, doctorId, new Date().toISOString()] });
    const named = await doctor.get(`/encounters/${id}`);
    expect(named.status).toBe(200);
    expect(await named.text()).toContain('Zq-restricted call');
  });
});

describe('CR1: clinical free text is encrypted in the database', () => {
  it('CR1: raw rows hold no plaintext, and a ciphertext moved to another row does not decrypt', async () => {
    const tables = ['encounters', 'encounter_addenda', 'diagnoses', 'allergies', 'problems', 'medications'];
    for (const table of tables) {
      const rows = (await h.client.execute(`SELECT * FROM ${table}`)).rows;
      expect(rows.length, table).toBeGreaterThan(0);
      expect(JSON.stringify(rows), table).not.toContain(MARKER);
    }
    const enc = (await h.client.execute({ sql: 'SELECT id, subjective FROM encounters WHERE id = ?', args: [encId] })).rows[0]!;
    expect(String(enc.subjective)).toMatch(/^v1\./);
    expect(await unseal(h, 'encounters', 'subjective', encId, String(enc.subjective))).toBe(SECRET.subjective);
    await expect(unseal(h, 'encounters', 'subjective', 'enc_aaaaaaaaaaaaaaaaaaaaaaaaaa', String(enc.subjective))).rejects.toThrow(FieldDecryptError);
    await expect(unseal(h, 'encounters', 'plan', encId, String(enc.subjective))).rejects.toThrow(FieldDecryptError);
  });
});

describe('timeline: keyset paging', () => {
  it('encountersPage pages correctly over 250 encounters (ties on started_at broken by id)', async () => {
    const svc = new ClinicalService({ clinics: t.system.clinics, clock: t.platform.clock });
    const ctx = doctorCtx();
    const base = Date.parse('2020-01-01T00:00:00Z');
    for (let i = 0; i < 250; i++) {
      // Pairs share a start time, so the id decides their order.
      const startedAt = new Date(base + Math.floor(i / 2) * 3_600_000).toISOString();
      await svc.createEncounter(ctx, pB, { type: 'follow-up', notes: { chiefComplaint: `visit ${i}`, subjective: '', objective: '', assessment: '', plan: '' } }, { startedAt });
    }
    const seen: { id: string; startedAt: string }[] = [];
    let before: string | undefined;
    let pages = 0;
    do {
      const page = await svc.encountersPage(ctx, pB, { before, limit: 20 });
      pages++;
      seen.push(...page.items);
      before = page.next;
      if (before) expect(page.items).toHaveLength(20);
    } while (before && pages < 50);
    expect(pages).toBe(13);
    expect(seen).toHaveLength(250);
    expect(new Set(seen.map((s) => s.id)).size).toBe(250);
    const sorted = [...seen].sort((a, b) => (a.startedAt === b.startedAt ? (a.id < b.id ? 1 : -1) : a.startedAt < b.startedAt ? 1 : -1));
    expect(seen.map((s) => s.id)).toEqual(sorted.map((s) => s.id));
    const plan = (await h.client.execute({ sql: 'EXPLAIN QUERY PLAN SELECT id FROM encounters WHERE patient_id = ? AND started_at < ? ORDER BY started_at DESC, id DESC LIMIT 21', args: [pB, '2030'] })).rows;
    expect(JSON.stringify(plan)).toContain('encounters_patient_time');
  });

  it('the timeline page shows 20 and a load-more link; the htmx fragment is just the next rows', async () => {
    const first = await doctor.get(`/patients/${pB}/encounters`);
    expect(first.status).toBe(200);
    const html = await first.text();
    expect(html.match(/class="encounter-row"/g)).toHaveLength(20);
    const next = html.match(/data-next="([^"]+)"/)![1]!;
    const href = `/patients/${pB}/encounters?before=${encodeURIComponent(next)}`;
    expect(html).toContain(`href="${href.replace(/&/g, '&amp;')}"`);
    const frag = await doctor.get(href, { htmx: true });
    const fragHtml = await frag.text();
    expect(fragHtml).not.toContain('<html');
    expect(fragHtml.match(/class="encounter-row"/g)).toHaveLength(20);
    const plain = await doctor.get(href);
    expect(await plain.text()).toContain('<html');
  });
});
