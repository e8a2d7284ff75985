// Everything the clinical core holds about one patient, read through the features' own repos
// (decrypting as they do) into one plain PatientRecord: the source of record.json and the PDFs.
// No permission check and no audit event here: the caller (the archive job, started by an
// administrator after re-authentication) has decided and audits the export as a whole.
import { asc, eq, inArray } from 'drizzle-orm';
import type { ClinicHandle } from '../tenancy/registry.ts';
import type { ControlDb } from '../tenancy/db.ts';
import { diagnoses, medications, prescriptions, problems, procedures, vitals } from '../tenancy/schema/clinic/index.ts';
import { users } from '../tenancy/schema/control.ts';
import { historyOf, rowById, toPatient } from '../features/patients/repo.ts';
import { allergiesOf, encounterRow, encounterRows, fullEncounter, medicationsOf, problemsOf, toVitals } from '../features/clinical/repo.ts';
import { licenceOf, toPrescription } from '../features/prescriptions/repo.ts';
import { entriesOf } from '../features/dental/repo.ts';
import type { PatientRecord, RecordEncounter, Recorded, StaffMember } from './fhir/record.ts';

export type { PatientRecord, RecordEncounter, StaffMember, DocumentInput, ConsentInput } from './fhir/record.ts';

const PAGE = 100;

/**
 * How each clinic table with a patient_id column reaches the archive (PD1). `record`: a PatientRecord
 * field loadPatientRecord fills; `archive`: added by the archive builder (src/archive/build.ts) with
 * the files they point at; `excluded`: why not. The schema-coverage tests fail for any table with a
 * patient_id that is missing here.
 */
export const PATIENT_TABLES: Record<string, { in: 'record' | 'archive' | 'excluded'; how: string }> = {
  patients: { in: 'record', how: 'patient (Patient, Organization)' },
  patient_history: { in: 'record', how: 'history (Provenance; previous values for the PDF)' },
  encounters: { in: 'record', how: 'encounters (Encounter, Composition with the note and addenda)' },
  vitals: { in: 'record', how: 'vitals (Observation, vital-signs)' },
  diagnoses: { in: 'record', how: 'encounters[].diagnoses (Condition, encounter-diagnosis)' },
  procedures: { in: 'record', how: 'encounters[].procedures (Procedure)' },
  allergies: { in: 'record', how: 'allergies (AllergyIntolerance)' },
  problems: { in: 'record', how: 'problems (Condition, problem-list-item)' },
  medications: { in: 'record', how: 'medications (MedicationStatement)' },
  prescriptions: { in: 'record', how: 'prescriptions with items (MedicationRequest per item)' },
  dental_entries: { in: 'record', how: 'dental (Observation per finding standing; the full history in charts/dental.json)' },
  attachments: { in: 'archive', how: 'documents, filled by the archive builder (DocumentReference); bytes under attachments/, listed in attachments/index.csv; soft-deleted ones (usually filed under the wrong patient) stay out' },
  form_records: { in: 'archive', how: 'consents, filled by the archive builder (Consent); every signed consent and completed form as PDF under consents/' },
  patient_index: { in: 'excluded', how: 'blind-index tokens (HMACs) derived from the demographics; no content of their own' },
  patient_clinicians: { in: 'excluded', how: 'access list of a restricted record; the restriction is Patient.meta.security R' },
  break_glass: { in: 'excluded', how: 'emergency-access grants: staff accountability, reviewed from the audit log' },
  audit_log: { in: 'excluded', how: 'the trail of who did what to the record, not the record; kept hash-chained (invent audit verify)' },
  security_events: { in: 'excluded', how: 'security monitoring of accounts and exports, not the patient record' },
  archives: { in: 'excluded', how: "the export register of this patient's archives (who, why, size, hash): about the archive, not in it" },
};

/** Display names (control database) and licence numbers (clinic) of these staff ids. */
export async function loadStaff(h: ClinicHandle, control: ControlDb | undefined, ids: Iterable<string>): Promise<StaffMember[]> {
  const unique = [...new Set(ids)].sort();
  const names = new Map<string, string>();
  for (let i = 0; control && i < unique.length; i += 500) {
    const rows = await control.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, unique.slice(i, i + 500)));
    for (const r of rows) names.set(r.id, r.name);
  }
  return Promise.all(unique.map(async (id) => ({ id, name: names.get(id) ?? id, licenceNo: await licenceOf(h.db, id) })));
}

/** Every encounter of the patient, oldest first, each in full (notes, diagnoses, procedures, vitals, addenda). */
async function allEncounters(h: ClinicHandle, patientId: string) {
  const out = [];
  let before: { at: string; id: string } | undefined;
  for (;;) {
    const rows = await encounterRows(h.db, patientId, before, PAGE);
    for (const r of rows) out.push(await fullEncounter(h, (await encounterRow(h.db, r.id))!));
    const last = rows[rows.length - 1];
    if (rows.length < PAGE || !last) break;
    before = { at: last.startedAt, id: last.id };
  }
  return out.reverse();
}

/** Who recorded each diagnosis, procedure, problem and medication (plain columns; the repos' shapes leave them out). */
async function authorship(h: ClinicHandle, patientId: string): Promise<Map<string, Recorded>> {
  const cols = <T extends typeof diagnoses | typeof procedures | typeof problems | typeof medications>(t: T) =>
    h.db.select({ id: t.id, recordedBy: t.recordedBy, recordedAt: t.recordedAt }).from(t).where(eq(t.patientId, patientId));
  const rows = (await Promise.all([cols(diagnoses), cols(procedures), cols(problems), cols(medications)])).flat();
  return new Map(rows.map((r) => [r.id, { recordedBy: r.recordedBy, recordedAt: r.recordedAt }]));
}

/** The patient's whole record, or null when there is no such patient in this clinic. */
export async function loadPatientRecord(h: ClinicHandle, patientId: string, opts: { control?: ControlDb } = {}): Promise<PatientRecord | null> {
  const row = await rowById(h.db, patientId);
  if (!row) return null;
  const [patient, history, rawEncounters, vitalRows, allergies, problemList, medicationList, rxRows, dental] = await Promise.all([
    toPatient(h, row),
    historyOf(h, patientId).then((x) => x.reverse()),
    allEncounters(h, patientId),
    h.db.select().from(vitals).where(eq(vitals.patientId, patientId)).orderBy(asc(vitals.takenAt), asc(vitals.id)),
    allergiesOf(h, patientId).then((x) => x.reverse()),
    problemsOf(h, patientId).then((x) => x.reverse()),
    medicationsOf(h, patientId, false).then((x) => x.reverse()),
    h.db.select().from(prescriptions).where(eq(prescriptions.patientId, patientId)).orderBy(asc(prescriptions.createdAt), asc(prescriptions.id)),
    entriesOf(h, patientId),
  ]);
  // Read after the rows themselves, and these rows are never deleted: every row read above is here.
  const who = await authorship(h, patientId);
  const by = (id: string, at: string): Recorded => who.get(id) ?? { recordedBy: 'unknown', recordedAt: at };
  const encounters: RecordEncounter[] = rawEncounters.map((e) => ({
    ...e,
    diagnoses: e.diagnoses.map((d) => ({ ...d, ...by(d.id, e.startedAt) })),
    procedures: e.procedures.map((p) => ({ ...p, ...by(p.id, e.startedAt) })),
  }));
  const prescriptionList = await Promise.all(rxRows.map((r) => toPrescription(h, r)));
  const problemsWithAuthor = problemList.map((p) => ({ ...p, recordedBy: by(p.id, p.recordedAt).recordedBy }));
  const medicationsWithAuthor = medicationList.map((m) => ({ ...m, recordedBy: by(m.id, m.recordedAt).recordedBy }));
  const vitalList = vitalRows.map(toVitals);

  const staffIds = new Set<string>();
  const add = (id: string | null | undefined) => void (id && staffIds.add(id));
  for (const e of encounters) {
    add(e.clinicianId);
    add(e.signedBy);
    for (const a of e.addenda) add(a.authorId);
    for (const x of [...e.diagnoses, ...e.procedures]) add(x.recordedBy);
  }
  for (const v of vitalList) add(v.takenBy);
  for (const x of [...allergies, ...problemsWithAuthor, ...medicationsWithAuthor]) add(x.recordedBy);
  for (const rx of prescriptionList) [rx.prescriberId, rx.createdBy, rx.signedBy, rx.cancelledBy].forEach(add);
  for (const hst of history) add(hst.userId);
  for (const d of dental) add(d.by);

  return {
    clinic: { id: h.id, slug: h.slug, name: h.name, timezone: h.timezone },
    patient,
    history,
    staff: await loadStaff(h, opts.control, staffIds),
    encounters,
    vitals: vitalList,
    allergies,
    problems: problemsWithAuthor,
    medications: medicationsWithAuthor,
    prescriptions: prescriptionList,
    dental,
  };
}
