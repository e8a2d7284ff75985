// The demo clinic's clinical records (CONTRACT.md "Demo clinic"): D-0001 has at least 30 encounters
// with vitals and diagnoses, allergies, problems, active medications and signed prescriptions; the
// demo doctor sees them on the chart; the other demo patients have 0-4 encounters; a second seed
// adds nothing. (Test installations seed without them; `invent demo` and the first start ask for them.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testInstall, type TestInstall } from '../helpers/system.ts';
import type { ClinicHandle } from '../../src/tenancy/registry.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { findUserByEmail } from '../../src/auth/users.ts';
import { DEMO_PASSWORD, signedIn } from '../helpers/identity.ts';

let t: TestInstall;
let h: ClinicHandle;
let richId: string;

const one = async (sql: string, args: string[] = []) => (await h.client.execute({ sql, args })).rows[0]!;
const n = async (sql: string, args: string[] = []) => Number(Object.values(await one(sql, args))[0]);

const COUNTS = `SELECT (SELECT count(*) FROM encounters) + (SELECT count(*) FROM vitals) + (SELECT count(*) FROM diagnoses)
  + (SELECT count(*) FROM allergies) + (SELECT count(*) FROM problems) + (SELECT count(*) FROM medications)
  + (SELECT count(*) FROM prescriptions) + (SELECT count(*) FROM prescription_items) + (SELECT count(*) FROM audit_log) AS n`;

beforeAll(async () => {
  t = await testInstall({ demo: true });
  await seedDemo({ control: t.system.control, clinics: t.system.clinics, hasher: t.platform.hasher }, DEMO_PASSWORD, { clinical: true });
  h = await t.system.clinics.get((await t.system.clinics.bySlug('demo'))!.id);
  richId = String((await one("SELECT id FROM patients WHERE mrn = 'D-0001'")).id);
});

afterAll(async () => {
  await t?.close();
});

describe('demo clinical records', () => {
  it('D-0001 has 30+ encounters over the years, each with vitals and a diagnosis, most signed by the demo doctor', async () => {
    const doctorId = (await findUserByEmail(t.system.control, 'doctor@demo.test'))!.id;
    const encounters = await n('SELECT count(*) FROM encounters WHERE patient_id = ?', [richId]);
    expect(encounters).toBeGreaterThanOrEqual(30);
    expect(await n('SELECT count(DISTINCT encounter_id) FROM vitals WHERE patient_id = ?', [richId])).toBe(encounters);
    expect(await n("SELECT count(DISTINCT encounter_id) FROM diagnoses WHERE patient_id = ? AND icd10 IS NOT NULL", [richId])).toBe(encounters);
    const signed = await n("SELECT count(*) FROM encounters WHERE patient_id = ? AND status = 'signed' AND signed_by = ?", [richId, doctorId]);
    expect(signed).toBeGreaterThan(encounters / 2);
    expect(await n("SELECT count(*) FROM encounters WHERE patient_id = ? AND status = 'draft'", [richId])).toBeGreaterThanOrEqual(1);
    const span = await one('SELECT min(started_at) AS a, max(started_at) AS b FROM encounters WHERE patient_id = ?', [richId]);
    const years = (Date.parse(String(span.b)) - Date.parse(String(span.a))) / (365 * 86_400_000);
    expect(years).toBeGreaterThan(2.5);
    expect(years).toBeLessThan(3.1);
  });

  it('D-0001 has allergies, problems, active medications and signed prescriptions; others have 0-4 encounters', async () => {
    expect(await n("SELECT count(*) FROM allergies WHERE patient_id = ? AND severity = 'severe'", [richId])).toBeGreaterThanOrEqual(1);
    expect(await n("SELECT count(*) FROM problems WHERE patient_id = ? AND icd10 IN ('E11.9', 'I10')", [richId])).toBe(2);
    expect(await n("SELECT count(*) FROM medications WHERE patient_id = ? AND status = 'active'", [richId])).toBeGreaterThanOrEqual(2);
    const rx = await n("SELECT count(*) FROM prescriptions WHERE patient_id = ? AND status = 'signed'", [richId]);
    expect(rx).toBeGreaterThanOrEqual(2);
    expect(rx).toBeLessThanOrEqual(3);
    const per = (await h.client.execute("SELECT p.mrn, (SELECT count(*) FROM encounters e WHERE e.patient_id = p.id) AS n FROM patients p WHERE p.mrn <> 'D-0001'")).rows;
    expect(per).toHaveLength(39);
    for (const r of per) expect(Number(r.n)).toBeLessThanOrEqual(4);
    expect(per.some((r) => Number(r.n) > 0)).toBe(true);
  });

  it('the demo doctor sees them on the chart, decrypted', async () => {
    const doctor = await signedIn(t, 'doctor@demo.test');
    const summary = await doctor.get(`/patients/${richId}/clinical`);
    expect(summary.status).toBe(200);
    const html = await summary.text();
    for (const text of ['Penicillin', 'Metformin', 'E11.9', 'I10']) expect(html).toContain(text);
    const timeline = await doctor.get(`/patients/${richId}/encounters`);
    expect(timeline.status).toBe(200);
    expect(await timeline.text()).toMatch(/Diabetes review|Blood pressure check|Sore throat/);
    const rx = await doctor.get(`/patients/${richId}/prescriptions`);
    expect(rx.status).toBe(200);
    expect(await rx.text()).toContain('Metformin');
  });

  it('a second seed adds nothing', async () => {
    const before = await n(COUNTS);
    await seedDemo({ control: t.system.control, clinics: t.system.clinics, hasher: t.platform.hasher }, DEMO_PASSWORD, { clinical: true });
    expect(await n(COUNTS)).toBe(before);
  });
});
