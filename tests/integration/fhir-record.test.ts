// record.json for demo patient D-0001 (issue 7): the record read from a real clinic database holds
// every encounter, vital, diagnosis, procedure, addendum, allergy, problem, medication, prescription
// item, dental finding and correction; its FHIR bundle validates with zero errors and every
// reference resolves; PD1: every table with a patient id is covered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testInstall, type TestInstall } from '../helpers/system.ts';
import { DEMO_PASSWORD } from '../helpers/identity.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { findUserByEmail } from '../../src/auth/users.ts';
import type { ClinicHandle } from '../../src/tenancy/registry.ts';
import type { AuditContext } from '../../src/audit/context.ts';
import { ClinicalService } from '../../src/features/clinical/service.ts';
import { PatientService } from '../../src/features/patients/service.ts';
import { toFormValues } from '../../src/features/patients/demographics.ts';
import { loadPatientRecord, PATIENT_TABLES, type PatientRecord } from '../../src/archive/patient-record.ts';
import { buildFhirBundle } from '../../src/archive/fhir/bundle.ts';
import type { Bundle } from '../../src/archive/fhir/types.ts';
import { isUrnReferenceWarning, referencesOf, validationIssues } from '../helpers/fhir.ts';
import { requiredBindingReport } from '../helpers/fhir-bindings.ts';
import { coverageGaps } from '../helpers/schema-coverage.ts';

let t: TestInstall;
let h: ClinicHandle;
let patientId: string;
let doctorId: string;
let record: PatientRecord;
let bundle: Bundle;
const AT = '2026-12-04T08:00:00.000Z';

const rows = async (sql: string) => (await h.client.execute({ sql, args: [patientId] })).rows;
const ids = async (sql: string) => (await rows(sql)).map((r) => String(r.id));
const count = async (sql: string) => Number(Object.values((await rows(sql))[0]!)[0]);

beforeAll(async () => {
  t = await testInstall({ demo: true });
  await seedDemo({ control: t.system.control, clinics: t.system.clinics, hasher: t.platform.hasher }, DEMO_PASSWORD, { clinical: true });
  h = await t.system.clinics.get((await t.system.clinics.bySlug('demo'))!.id);
  patientId = String((await h.client.execute("SELECT id FROM patients WHERE mrn = 'D-0001'")).rows[0]!.id);
  doctorId = (await findUserByEmail(t.system.control, 'doctor@demo.test'))!.id;

  // What the demo lacks, added through the services as staff would: a procedure on the draft
  // encounter, an addendum on a signed one, vitals outside any encounter, a correction of the record.
  const ctx: AuditContext = { clinicId: h.id, actor: { userId: doctorId, kind: 'user', roles: ['doctor'], sessionHash: null, ip: null, userAgent: null }, requestId: 'req_fhir', route: 'test' };
  const clinical = new ClinicalService({ clinics: t.system.clinics, clock: t.platform.clock, control: t.system.control });
  const draftId = String((await rows("SELECT id FROM encounters WHERE patient_id = ? AND status = 'draft' LIMIT 1"))[0]!.id);
  const draft = await clinical.encounter(ctx, draftId);
  await clinical.editEncounter(ctx, draftId, { type: draft.type, notes: draft.notes, procedure: { code: '87880', text: 'Rapid strep test' } });
  const signedId = String((await rows("SELECT id FROM encounters WHERE patient_id = ? AND status = 'signed' LIMIT 1"))[0]!.id);
  await clinical.addAddendum(ctx, signedId, 'Culture result: no growth.');
  expect((await clinical.recordVitals(ctx, patientId, { systolic: '131', diastolic: '84', weightKg: '80' })).ok).toBe(true);
  const patients = new PatientService({ clinics: t.system.clinics, clock: t.platform.clock, control: t.system.control });
  const current = (await patients.get(h.id, patientId))!;
  const form = { ...toFormValues(current.demographics), address: 'Building 1, Road 2, Block 3, Manama', confirmCpr: '1' };
  expect((await patients.edit(ctx, patientId, form as never, current.version, 'Moved house')).ok).toBe(true);

  record = (await loadPatientRecord(h, patientId, { control: t.system.control }))!;
  bundle = buildFhirBundle(record, { generatedAt: AT });
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('the FHIR record of demo patient D-0001', () => {
  it('the record holds every row the database has for the patient, decrypted', async () => {
    const encounterIds = await ids('SELECT id FROM encounters WHERE patient_id = ? ORDER BY started_at, id');
    expect(encounterIds.length).toBeGreaterThanOrEqual(30);
    expect(record.encounters.map((e) => e.id)).toEqual(encounterIds);
    expect(record.vitals.map((v) => v.id).sort()).toEqual((await ids('SELECT id FROM vitals WHERE patient_id = ?')).sort());
    expect(record.encounters.flatMap((e) => e.diagnoses.map((d) => d.id)).sort()).toEqual((await ids('SELECT id FROM diagnoses WHERE patient_id = ?')).sort());
    expect(record.encounters.flatMap((e) => e.procedures.map((p) => p.id))).toEqual(await ids('SELECT id FROM procedures WHERE patient_id = ?'));
    const addenda = await ids('SELECT a.id FROM encounter_addenda a JOIN encounters e ON e.id = a.encounter_id WHERE e.patient_id = ?');
    expect(addenda).toHaveLength(1);
    expect(record.encounters.flatMap((e) => e.addenda.map((a) => a.id))).toEqual(addenda);
    expect(record.allergies.map((a) => a.id).sort()).toEqual((await ids('SELECT id FROM allergies WHERE patient_id = ?')).sort());
    expect(record.problems.map((p) => p.id).sort()).toEqual((await ids('SELECT id FROM problems WHERE patient_id = ?')).sort());
    expect(record.medications.map((m) => m.id).sort()).toEqual((await ids('SELECT id FROM medications WHERE patient_id = ?')).sort());
    expect(record.prescriptions.map((p) => p.id).sort()).toEqual((await ids('SELECT id FROM prescriptions WHERE patient_id = ?')).sort());
    const items = await ids('SELECT i.id FROM prescription_items i JOIN prescriptions p ON p.id = i.prescription_id WHERE p.patient_id = ?');
    expect(record.prescriptions.flatMap((p) => p.items.map((i) => i.id)).sort()).toEqual(items.sort());
    expect(record.history.map((x) => x.id)).toEqual(await ids('SELECT id FROM patient_history WHERE patient_id = ? ORDER BY at'));
    expect(record.dental?.map((d) => d.id).sort()).toEqual((await ids('SELECT id FROM dental_entries WHERE patient_id = ?')).sort());
    // Decrypted, with names: what the chart shows.
    expect(record.patient.mrn).toBe('D-0001');
    expect(record.allergies.map((a) => a.substance)).toContain('Penicillin');
    expect(record.encounters.some((e) => e.notes.subjective.length > 0)).toBe(true);
    expect(record.staff.find((s) => s.id === doctorId)?.name).toBe('Dr. Ahmed Al-Khalifa');
  });

  it('the bundle validates against FHIR R4 with zero errors, and every required code is in its value set', async () => {
    const { errors, warnings } = await validationIssues(bundle);
    expect(errors).toEqual([]);
    expect(warnings.filter((w) => !isUrnReferenceWarning(w))).toEqual([]);
    const bindings = await requiredBindingReport(bundle);
    expect(bindings.problems).toEqual([]);
    expect(bindings.checked).toBeGreaterThan(200);
  });

  it('every encounter, vital, diagnosis, procedure, allergy, problem, medication, prescription item and finding is in the bundle', async () => {
    const idents = new Set(bundle.entry.flatMap((e) => [e.resource.identifier ?? []].flat().map((i) => (i as { value: string }).value)));
    const must = [
      ...(await ids('SELECT id FROM encounters WHERE patient_id = ?')),
      ...(await ids('SELECT id FROM diagnoses WHERE patient_id = ?')),
      ...(await ids('SELECT id FROM procedures WHERE patient_id = ?')),
      ...(await ids('SELECT id FROM allergies WHERE patient_id = ?')),
      ...(await ids('SELECT id FROM problems WHERE patient_id = ?')),
      ...(await ids('SELECT id FROM medications WHERE patient_id = ?')),
      ...(await ids('SELECT i.id FROM prescription_items i JOIN prescriptions p ON p.id = i.prescription_id WHERE p.patient_id = ?')),
    ];
    for (const id of must) expect(idents.has(id), id).toBe(true);
    const vitalIds = [...idents].map((v) => v.split('#')[0]);
    for (const id of await ids('SELECT id FROM vitals WHERE patient_id = ?')) expect(vitalIds, id).toContain(id);
    const measurements = await count(`SELECT sum((systolic IS NOT NULL OR diastolic IS NOT NULL) + (pulse IS NOT NULL) + (temperature_c IS NOT NULL)
      + (resp_rate IS NOT NULL) + (spo2 IS NOT NULL) + (weight_kg IS NOT NULL) + (height_cm IS NOT NULL) + (bmi IS NOT NULL)) FROM vitals WHERE patient_id = ?`);
    const of = (type: string) => bundle.entry.filter((e) => e.resource.resourceType === type).map((e) => e.resource as Record<string, any>);
    expect(of('Observation').filter((o) => o.category[0].coding[0].code === 'vital-signs')).toHaveLength(measurements);
    expect(of('Encounter')).toHaveLength(record.encounters.length);
    expect(of('Composition').flatMap((c) => c.section ?? []).filter((s: { title: string }) => s.title.startsWith('Addendum'))).toHaveLength(1);
    expect(of('MedicationRequest')).toHaveLength(await count('SELECT count(*) FROM prescription_items i JOIN prescriptions p ON p.id = i.prescription_id WHERE p.patient_id = ?'));
    expect(of('Provenance')).toHaveLength(await count('SELECT count(*) FROM patient_history WHERE patient_id = ?'));
    expect(of('Observation').filter((o) => o.category[0].coding[0].code === 'exam').length).toBeGreaterThan(0);
    expect(of('Patient')[0]!.name.map((n: { text: string }) => n.text)).toHaveLength(2);
  });

  it('every reference resolves to an entry of the type it names', () => {
    const byUrl = new Map(bundle.entry.map((e) => [e.fullUrl, e.resource.resourceType]));
    const refs = bundle.entry.flatMap((e) => referencesOf(e.resource));
    expect(refs.length).toBeGreaterThan(500);
    for (const r of refs) expect(byUrl.get(r.reference), `${r.path} -> ${r.reference}`).toBe(r.type);
  });

  it('ids are stable: reading and building again gives the same bundle', async () => {
    const again = buildFhirBundle((await loadPatientRecord(h, patientId, { control: t.system.control }))!, { generatedAt: AT });
    expect(again.entry.map((e) => e.fullUrl)).toEqual(bundle.entry.map((e) => e.fullUrl));
    expect(JSON.stringify(again)).toBe(JSON.stringify(bundle));
  });

  it('an unknown patient has no record', async () => {
    expect(await loadPatientRecord(h, 'p_aaaaaaaaaaaaaaaaaaaaaaaaaa')).toBeNull();
  });

  it('PD1 schema coverage: every clinic table with a patient_id is in the record or listed with its reason', async () => {
    const { missing, stale } = await coverageGaps(h.client, PATIENT_TABLES);
    expect(missing, 'tables with patient_id that PATIENT_TABLES (src/archive/patient-record.ts) does not name').toEqual([]);
    expect(stale).toEqual([]);
    for (const [table, c] of Object.entries(PATIENT_TABLES)) expect(c.how.length, table).toBeGreaterThan(10);
    // Every table the record claims has rows for D-0001 and all of them are in the record.
    const inRecord: Record<string, number> = {
      patients: 1,
      patient_history: record.history.length,
      encounters: record.encounters.length,
      vitals: record.vitals.length,
      diagnoses: record.encounters.reduce((n, e) => n + e.diagnoses.length, 0),
      procedures: record.encounters.reduce((n, e) => n + e.procedures.length, 0),
      allergies: record.allergies.length,
      problems: record.problems.length,
      medications: record.medications.length,
      prescriptions: record.prescriptions.length,
      dental_entries: record.dental?.length ?? 0,
    };
    const claimed = Object.entries(PATIENT_TABLES).filter(([, c]) => c.in === 'record').map(([tbl]) => tbl);
    expect(claimed.sort()).toEqual(Object.keys(inRecord).sort());
    for (const table of claimed) {
      const n = table === 'patients' ? await count('SELECT count(*) FROM patients WHERE id = ?') : await count(`SELECT count(*) FROM ${table} WHERE patient_id = ?`);
      expect(n, table).toBeGreaterThan(0);
      expect(inRecord[table], table).toBe(n);
    }
  });
});
