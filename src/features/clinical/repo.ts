// Clinical queries, and the encryption of their free text (CR1) on the way in and out.
import { and, desc, eq, lt, or } from 'drizzle-orm';
import type { ClinicHandle } from '../../tenancy/registry.ts';
import type { ClinicDb } from '../../tenancy/db.ts';
import { allergies, diagnoses, encounterAddenda, encounters, medications, patients, problems, procedures, vitals } from '../../tenancy/schema/clinic/index.ts';
import type { Addendum, Allergy, Diagnosis, Encounter, EncounterListItem, EncounterType, Medication, Problem, Procedure, Vitals } from './types.ts';
import { NOTE_FIELDS } from './types.ts';
import { sealColumn, unsealColumn } from '../../tenancy/columns.ts';

type Table = 'encounters' | 'encounter_addenda' | 'diagnoses' | 'procedures' | 'allergies' | 'problems' | 'medications';

/** This feature's tables only (tenancy/columns.ts does the work). */
export const seal = (h: ClinicHandle, table: Table, column: string, rowId: string, text: string) => sealColumn(h, table, column, rowId, text);
export const unseal = (h: ClinicHandle, table: Table, column: string, rowId: string, token: string | null) => unsealColumn(h, table, column, rowId, token);

const COLUMN: Record<(typeof NOTE_FIELDS)[number], string> = {
  chiefComplaint: 'chief_complaint',
  subjective: 'subjective',
  objective: 'objective',
  assessment: 'assessment',
  plan: 'plan',
};
export const noteColumn = (f: (typeof NOTE_FIELDS)[number]) => COLUMN[f];

/** The patient's id and restriction flag, if they exist in this clinic. */
export async function patientRef(db: ClinicDb, id: string): Promise<{ id: string; restricted: boolean } | undefined> {
  return (await db.select({ id: patients.id, restricted: patients.restricted }).from(patients).where(eq(patients.id, id)))[0];
}

type EncounterRow = typeof encounters.$inferSelect;

export async function encounterRow(db: ClinicDb, id: string): Promise<EncounterRow | undefined> {
  return (await db.select().from(encounters).where(eq(encounters.id, id)))[0];
}

export async function toListItem(h: ClinicHandle, r: Pick<EncounterRow, 'id' | 'patientId' | 'startedAt' | 'type' | 'clinicianId' | 'status' | 'chiefComplaint'>): Promise<EncounterListItem> {
  return {
    id: r.id,
    patientId: r.patientId,
    startedAt: r.startedAt,
    type: r.type as EncounterType,
    clinicianId: r.clinicianId,
    status: r.status === 'signed' ? 'signed' : 'draft',
    chiefComplaint: await unseal(h, 'encounters', 'chief_complaint', r.id, r.chiefComplaint),
  };
}

const listColumns = {
  id: encounters.id,
  patientId: encounters.patientId,
  startedAt: encounters.startedAt,
  type: encounters.type,
  clinicianId: encounters.clinicianId,
  status: encounters.status,
  chiefComplaint: encounters.chiefComplaint,
};

/** A page of a patient's encounters, newest first, after the (startedAt, id) cursor: one index range scan. */
export async function encounterRows(db: ClinicDb, patientId: string, before: { at: string; id: string } | undefined, limit: number) {
  const where = before
    ? and(eq(encounters.patientId, patientId), or(lt(encounters.startedAt, before.at), and(eq(encounters.startedAt, before.at), lt(encounters.id, before.id))))
    : eq(encounters.patientId, patientId);
  return db.select(listColumns).from(encounters).where(where).orderBy(desc(encounters.startedAt), desc(encounters.id)).limit(limit);
}

type VitalsRow = typeof vitals.$inferSelect;
export const toVitals = (r: VitalsRow): Vitals => ({
  id: r.id,
  encounterId: r.encounterId,
  takenAt: r.takenAt,
  takenBy: r.takenBy,
  systolic: r.systolic,
  diastolic: r.diastolic,
  pulse: r.pulse,
  temperatureC: r.temperatureC,
  respRate: r.respRate,
  spo2: r.spo2,
  weightKg: r.weightKg,
  heightCm: r.heightCm,
  bmi: r.bmi,
});

export async function lastVitals(db: ClinicDb, patientId: string): Promise<Vitals | null> {
  const r = (await db.select().from(vitals).where(eq(vitals.patientId, patientId)).orderBy(desc(vitals.takenAt), desc(vitals.id)).limit(1))[0];
  return r ? toVitals(r) : null;
}

/** The last height recorded for the patient (for BMI when only the weight is taken). */
export async function lastHeight(db: ClinicDb, patientId: string): Promise<number | null> {
  const rows = await db.select({ h: vitals.heightCm }).from(vitals).where(eq(vitals.patientId, patientId)).orderBy(desc(vitals.takenAt)).limit(50);
  return rows.find((r) => r.h !== null)?.h ?? null;
}

export async function fullEncounter(h: ClinicHandle, r: EncounterRow): Promise<Encounter> {
  const [dx, px, vs, ad] = await Promise.all([
    h.db.select().from(diagnoses).where(eq(diagnoses.encounterId, r.id)).orderBy(diagnoses.recordedAt, diagnoses.id),
    h.db.select().from(procedures).where(eq(procedures.encounterId, r.id)).orderBy(procedures.recordedAt, procedures.id),
    h.db.select().from(vitals).where(eq(vitals.encounterId, r.id)).orderBy(vitals.takenAt),
    h.db.select().from(encounterAddenda).where(eq(encounterAddenda.encounterId, r.id)).orderBy(encounterAddenda.at, encounterAddenda.id),
  ]);
  const notes = Object.fromEntries(await Promise.all(NOTE_FIELDS.map(async (f) => [f, await unseal(h, 'encounters', COLUMN[f], r.id, r[f])] as const)));
  return {
    ...(await toListItem(h, r)),
    notes: notes as Encounter['notes'],
    signedAt: r.signedAt,
    signedBy: r.signedBy,
    updatedAt: r.updatedAt,
    diagnoses: await Promise.all(dx.map(async (d): Promise<Diagnosis> => ({ id: d.id, icd10: d.icd10, text: await unseal(h, 'diagnoses', 'text', d.id, d.text) }))),
    procedures: await Promise.all(px.map(async (p): Promise<Procedure> => ({ id: p.id, code: p.code, text: await unseal(h, 'procedures', 'text', p.id, p.text) }))),
    vitals: vs.map(toVitals),
    addenda: await Promise.all(ad.map(async (a): Promise<Addendum> => ({ id: a.id, authorId: a.authorId, at: a.at, text: await unseal(h, 'encounter_addenda', 'text', a.id, a.text) }))),
  };
}

export async function allergiesOf(h: ClinicHandle, patientId: string): Promise<Allergy[]> {
  const rows = await h.db.select().from(allergies).where(eq(allergies.patientId, patientId)).orderBy(desc(allergies.recordedAt));
  return Promise.all(
    rows.map(async (r) => ({
      id: r.id,
      substance: await unseal(h, 'allergies', 'substance', r.id, r.substance),
      reaction: await unseal(h, 'allergies', 'reaction', r.id, r.reaction),
      severity: r.severity as Allergy['severity'],
      status: r.status as Allergy['status'],
      recordedAt: r.recordedAt,
      recordedBy: r.recordedBy,
    })),
  );
}

export async function problemsOf(h: ClinicHandle, patientId: string): Promise<Problem[]> {
  const rows = await h.db.select().from(problems).where(eq(problems.patientId, patientId)).orderBy(desc(problems.recordedAt));
  return Promise.all(
    rows.map(async (r) => ({
      id: r.id,
      icd10: r.icd10,
      text: await unseal(h, 'problems', 'text', r.id, r.text),
      onset: r.onset,
      status: r.status as Problem['status'],
      recordedAt: r.recordedAt,
    })),
  );
}

export async function medicationsOf(h: ClinicHandle, patientId: string, onlyActive: boolean): Promise<Medication[]> {
  const where = onlyActive ? and(eq(medications.patientId, patientId), eq(medications.status, 'active')) : eq(medications.patientId, patientId);
  const rows = await h.db.select().from(medications).where(where).orderBy(desc(medications.recordedAt));
  return Promise.all(
    rows.map(async (r) => ({
      id: r.id,
      name: await unseal(h, 'medications', 'name', r.id, r.name),
      strength: await unseal(h, 'medications', 'strength', r.id, r.strength),
      dose: await unseal(h, 'medications', 'dose', r.id, r.dose),
      status: r.status as Medication['status'],
      startDate: r.startDate,
      stopDate: r.stopDate,
      recordedAt: r.recordedAt,
    })),
  );
}

