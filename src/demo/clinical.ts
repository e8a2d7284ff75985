// Deterministic clinical records for the demo and bench clinics (CONTRACT.md "Demo clinic"):
// encounters with vitals and an ICD-10 diagnosis, and for D-0001 allergies, problems, medications and
// signed prescriptions. Variety comes from the index, never from chance. Rows are sealed with the
// same associated data the clinical and prescription features use (clinic, table, column, row id)
// and written in batches, each batch and its audit events in one transaction (auditedDbWrite).
import { sql } from 'drizzle-orm';
import { systemClock, type Clock } from '../platform/ports.ts';
import type { ClinicHandle, ClinicRegistry } from '../tenancy/registry.ts';
import { allergies, diagnoses, encounters, medications, prescriptionItems, prescriptions, prescriberProfiles, problems, vitals } from '../tenancy/schema/clinic/index.ts';
import { auditedDbWrite } from '../audit/log.ts';
import { SYSTEM, type AuditEvent } from '../audit/types.ts';
import { sealColumn } from '../tenancy/columns.ts';
import { newId } from '../crypto/bytes.ts';
import { lookupIcd10 } from '../clinical/icd10/index.ts';
import { bmiOf } from '../features/clinical/vitals.ts';

const ROUTE = 'invent demo';
const DAY = 86_400_000;

/** Who the records name: the clinician who wrote and signed, the nurse who took vitals. */
export interface ClinicalStaff {
  doctorId: string;
  doctorName: string;
  nurseId: string;
}

interface Visit {
  type: 'consultation' | 'follow-up' | 'procedure' | 'dental' | 'telephone';
  code: string;
  complaint: string;
  subjective: string;
  assessment: string;
  plan: string;
}

const VISITS: Visit[] = [
  { type: 'follow-up', code: 'E11.9', complaint: 'Diabetes review', subjective: 'Checks sugars at home, fasting 7-9 mmol/L.', assessment: 'Type 2 diabetes, fair control.', plan: 'Continue metformin; HbA1c in 3 months.' },
  { type: 'follow-up', code: 'I10', complaint: 'Blood pressure check', subjective: 'No headache or chest pain.', assessment: 'Essential hypertension, controlled.', plan: 'Continue amlodipine; review in 3 months.' },
  { type: 'consultation', code: 'J06.9', complaint: 'Sore throat and runny nose', subjective: 'Three days of coryza, no fever.', assessment: 'Viral upper respiratory infection.', plan: 'Fluids, paracetamol; return if worse.' },
  { type: 'consultation', code: 'E78.5', complaint: 'Cholesterol results', subjective: 'Came for lipid results.', assessment: 'Hyperlipidaemia.', plan: 'Diet advice; atorvastatin 20 mg.' },
  { type: 'consultation', code: 'K21.9', complaint: 'Heartburn after meals', subjective: 'Burning after late dinners for two weeks.', assessment: 'Gastro-oesophageal reflux.', plan: 'Omeprazole 20 mg for 4 weeks; lifestyle advice.' },
  { type: 'telephone', code: 'J20.9', complaint: 'Cough for a week', subjective: 'Productive cough, no breathlessness.', assessment: 'Acute bronchitis.', plan: 'Symptomatic care; call back if fever.' },
  { type: 'dental', code: 'K02.9', complaint: 'Toothache lower left', subjective: 'Pain with cold drinks.', assessment: 'Dental caries.', plan: 'Restoration booked.' },
  { type: 'consultation', code: 'N39.0', complaint: 'Burning on urination', subjective: 'Two days of dysuria and frequency.', assessment: 'Urinary tract infection.', plan: 'Nitrofurantoin 5 days; urine culture.' },
  { type: 'consultation', code: 'H10.9', complaint: 'Red eye', subjective: 'Sticky right eye since yesterday.', assessment: 'Conjunctivitis.', plan: 'Eye hygiene; chloramphenicol drops.' },
  { type: 'procedure', code: 'L30.9', complaint: 'Itchy rash on forearm', subjective: 'Rash for a week after new soap.', assessment: 'Dermatitis.', plan: 'Emollient and hydrocortisone 1%.' },
  { type: 'follow-up', code: 'E66.9', complaint: 'Weight management', subjective: 'Walking 30 minutes most days.', assessment: 'Obesity, losing slowly.', plan: 'Dietitian referral.' },
  { type: 'consultation', code: 'A09', complaint: 'Diarrhoea since yesterday', subjective: 'Loose stools, no blood.', assessment: 'Gastroenteritis.', plan: 'Oral rehydration; review if persists.' },
];

/** Checked once: every code the seed writes is in the bundled list, with its title. */
const TITLES = new Map(
  VISITS.map((v) => {
    const entry = lookupIcd10(v.code);
    if (!entry) throw new Error(`demo ICD-10 code ${v.code} is not in the bundled list`);
    return [v.code, entry.titleEn] as const;
  }),
);

type Tx = Parameters<Parameters<typeof auditedDbWrite>[2]>[0];
type EncounterRow = typeof encounters.$inferInsert;
type VitalsRow = typeof vitals.$inferInsert;
type DiagnosisRow = typeof diagnoses.$inferInsert;

/** Rows waiting to be written, with their audit events. */
class Batch {
  encounters: EncounterRow[] = [];
  vitals: VitalsRow[] = [];
  diagnoses: DiagnosisRow[] = [];
  events: AuditEvent[] = [];
  get size() {
    return this.encounters.length;
  }
}

// Demo text is never empty, so the column is always sealed.
const seal = async (h: ClinicHandle, table: string, column: string, rowId: string, text: string) => (await sealColumn(h, table, column, rowId, text))!;

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Encounter `k` of `count` for the patient with index `n`: spread evenly over the last ~3 years
 * (oldest first), during clinic hours, with vitals and a diagnosis; signed unless `draft`.
 */
async function addEncounter(
  h: ClinicHandle,
  b: Batch,
  staff: ClinicalStaff,
  p: { id: string; n: number },
  k: number,
  count: number,
  now: number,
  opts: { draft: boolean; perRecordEvents: boolean },
): Promise<void> {
  const visit = VISITS[(p.n * 5 + k * 7) % VISITS.length]!;
  const daysBack = Math.floor(((count - k - 0.5) * 1090) / count) + 1;
  const day = Math.floor((now - daysBack * DAY) / DAY) * DAY;
  // 08:00-14:59 Bahrain is 05:00-11:59 UTC.
  const startMs = day + (5 + ((p.n + k * 3) % 7)) * 3_600_000 + ((k * 13) % 60) * 60_000;
  const startedAt = iso(startMs);
  const signedAt = iso(startMs + 40 * 60_000);
  const id = newId('enc');
  const [complaint, subjective, assessment, plan] = await Promise.all([
    seal(h, 'encounters', 'chief_complaint', id, visit.complaint),
    seal(h, 'encounters', 'subjective', id, visit.subjective),
    seal(h, 'encounters', 'assessment', id, visit.assessment),
    seal(h, 'encounters', 'plan', id, visit.plan),
  ]);
  b.encounters.push({
    id,
    patientId: p.id,
    startedAt,
    type: visit.type,
    clinicianId: staff.doctorId,
    chiefComplaint: complaint,
    subjective,
    objective: null,
    assessment,
    plan,
    status: opts.draft ? 'draft' : 'signed',
    signedAt: opts.draft ? null : signedAt,
    signedBy: opts.draft ? null : staff.doctorId,
    updatedAt: opts.draft ? startedAt : signedAt,
  });
  const v = (p.n * 31 + k * 17) % 97;
  const heightCm = 150 + ((p.n * 7) % 35);
  const weightKg = Math.round((heightCm - 100 + (v % 25) - 5) * 10) / 10;
  const vitalsId = newId('vit');
  b.vitals.push({
    id: vitalsId,
    patientId: p.id,
    encounterId: id,
    takenAt: iso(startMs + 5 * 60_000),
    takenBy: staff.nurseId,
    systolic: 110 + (v % 40),
    diastolic: 68 + (v % 22),
    pulse: 60 + ((v * 3) % 40),
    temperatureC: Math.round((36.4 + (v % 12) / 10) * 10) / 10,
    respRate: 12 + (v % 8),
    spo2: 95 + (v % 5),
    weightKg,
    heightCm,
    bmi: bmiOf(weightKg, heightCm),
  });
  const dxId = newId('dx');
  b.diagnoses.push({
    id: dxId,
    patientId: p.id,
    encounterId: id,
    icd10: visit.code,
    text: await seal(h, 'diagnoses', 'text', dxId, TITLES.get(visit.code)!),
    recordedBy: staff.doctorId,
    recordedAt: startedAt,
  });
  if (opts.perRecordEvents) {
    const ev = (type: string, entityId: string, detail: AuditEvent['detail']): AuditEvent => ({
      action: 'create',
      outcome: 'success',
      actor: SYSTEM,
      entity: { type, id: entityId, patientId: p.id },
      route: ROUTE,
      detail,
    });
    b.events.push(ev('encounter', id, { type: visit.type, signed: !opts.draft }), ev('vitals', vitalsId, { encounter: id }), ev('diagnosis', dxId, { encounter: id, icd10: visit.code }));
  }
}

/** Multi-row inserts kept under SQLite's limit on bound parameters. */
async function insertChunked<T>(rows: T[], perInsert: number, insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += perInsert) await insert(rows.slice(i, i + perInsert));
}

async function writeEncounterRows(tx: Tx, b: Batch): Promise<void> {
  await insertChunked(b.encounters, 200, (c) => tx.insert(encounters).values(c));
  await insertChunked(b.vitals, 200, (c) => tx.insert(vitals).values(c));
  await insertChunked(b.diagnoses, 300, (c) => tx.insert(diagnoses).values(c));
}

/** Writes the batch and its events (or one summary event when none were listed) in one transaction. */
async function flush(h: ClinicHandle, clock: Clock, b: Batch, requestId: string, summary: { patients: number; patientId?: string }): Promise<void> {
  if (b.size === 0) return;
  const events: AuditEvent[] =
    b.events.length > 0
      ? b.events
      : [
          {
            action: 'create',
            outcome: 'success',
            actor: SYSTEM,
            entity: { type: 'encounter', id: null, patientId: summary.patientId ?? null },
            requestId,
            route: ROUTE,
            detail: { batch: true, patients: summary.patients, encounters: b.encounters.length, vitals: b.vitals.length, diagnoses: b.diagnoses.length },
          },
        ];
  await auditedDbWrite(h.db, clock, async (tx) => {
    await writeEncounterRows(tx, b);
    return { result: undefined, events: events.map((e) => ({ ...e, requestId })) };
  });
}

async function encounterCount(h: ClinicHandle, patientId: string): Promise<number> {
  return Number((await h.client.execute({ sql: 'SELECT count(*) AS n FROM encounters WHERE patient_id = ?', args: [patientId] })).rows[0]?.n ?? 0);
}

/** Encounters per demo patient D-0002 ... (0-4, from the index). */
export const demoEncounterCount = (n: number) => (n * 7 + 3) % 5;
/** Encounters per bench patient (0-3, from the index). */
export const benchEncounterCount = (n: number) => (n * 5 + 1) % 4;

export const DEMO_RICH_ENCOUNTERS = 36;

/**
 * The demo clinic's clinical records: D-0001 rich (36 encounters, two drafts, allergies, problems,
 * medications, three signed prescriptions), D-0002 ... with 0-4 encounters each. Does nothing when
 * D-0001 already has encounters; returns how many encounters it wrote.
 */
export async function seedDemoClinical(clinics: ClinicRegistry, clinicId: string, staff: ClinicalStaff, clock: Clock = systemClock): Promise<number> {
  const h = await clinics.get(clinicId);
  const rows = (await h.client.execute("SELECT id, mrn FROM patients WHERE mrn LIKE 'D-%' ORDER BY mrn")).rows;
  const patients = rows.map((r) => ({ id: String(r.id), n: Number(String(r.mrn).slice(2)) }));
  const rich = patients.find((p) => p.n === 1);
  if (!rich || (await encounterCount(h, rich.id)) > 0) return 0;
  const now = clock.now().getTime();
  const requestId = newId('req');
  const b = new Batch();
  for (let k = 0; k < DEMO_RICH_ENCOUNTERS; k++) {
    // The two most recent are still drafts.
    await addEncounter(h, b, staff, rich, k, DEMO_RICH_ENCOUNTERS, now, { draft: k >= DEMO_RICH_ENCOUNTERS - 2, perRecordEvents: true });
  }
  for (const p of patients) {
    if (p.n === 1) continue;
    const count = demoEncounterCount(p.n);
    for (let k = 0; k < count; k++) await addEncounter(h, b, staff, p, k, count, now, { draft: false, perRecordEvents: true });
  }
  const chart = await richChart(h, staff, rich.id, now);
  await auditedDbWrite(h.db, clock, async (tx) => {
    await writeEncounterRows(tx, b);
    await tx.insert(allergies).values(chart.allergies);
    await tx.insert(problems).values(chart.problems);
    await tx.insert(medications).values(chart.medications);
    await tx.insert(prescriptions).values(chart.prescriptions);
    await tx.insert(prescriptionItems).values(chart.items);
    await tx
      .insert(prescriberProfiles)
      .values({ userId: staff.doctorId, licenceNo: DEMO_LICENCE, updatedAt: iso(now) })
      .onConflictDoNothing();
    return { result: undefined, events: [...b.events, ...chart.events].map((e) => ({ ...e, requestId })) };
  });
  return b.size;
}

const DEMO_LICENCE = 'NHRA-DR-10482';

const ALLERGIES = [
  { substance: 'Penicillin', reaction: 'Anaphylaxis', severity: 'severe' },
  { substance: 'Latex', reaction: 'Contact urticaria', severity: 'moderate' },
  { substance: 'Dust mites', reaction: 'Sneezing, itchy eyes', severity: 'mild' },
] as const;
const PROBLEMS = [
  { code: 'E11.9', onsetYearsAgo: 6 },
  { code: 'I10', onsetYearsAgo: 4 },
  { code: 'E78.5', onsetYearsAgo: 2 },
] as const;
const MEDICATIONS = [
  { name: 'Metformin', strength: '500 mg', dose: '1 tablet twice daily with meals', yearsAgo: 6 },
  { name: 'Amlodipine', strength: '5 mg', dose: '1 tablet once daily', yearsAgo: 4 },
  { name: 'Atorvastatin', strength: '20 mg', dose: '1 tablet at night', yearsAgo: 2 },
] as const;
const RX_ITEMS = [
  { medicine: 'Metformin', strength: '500 mg', form: 'tablet', dose: '1 tablet', route: 'oral', frequency: 'twice daily', duration: '90 days', quantity: 180, refills: 1, instructionsEn: 'Take with meals.', instructionsAr: 'يؤخذ مع الطعام.' },
  { medicine: 'Amlodipine', strength: '5 mg', form: 'tablet', dose: '1 tablet', route: 'oral', frequency: 'once daily', duration: '90 days', quantity: 90, refills: 1, instructionsEn: 'Take in the morning.', instructionsAr: 'يؤخذ في الصباح.' },
  { medicine: 'Atorvastatin', strength: '20 mg', form: 'tablet', dose: '1 tablet', route: 'oral', frequency: 'at night', duration: '90 days', quantity: 90, refills: 0, instructionsEn: 'Take at bedtime.', instructionsAr: 'يؤخذ قبل النوم.' },
  { medicine: 'Omeprazole', strength: '20 mg', form: 'capsule', dose: '1 capsule', route: 'oral', frequency: 'once daily', duration: '28 days', quantity: 28, refills: 0, instructionsEn: 'Take before breakfast.', instructionsAr: 'يؤخذ قبل الإفطار.' },
];
/** Three signed prescriptions: items by index into RX_ITEMS, and how many days ago. */
const PRESCRIPTIONS = [
  { items: [0, 1], daysAgo: 400 },
  { items: [3], daysAgo: 200 },
  { items: [0, 1, 2], daysAgo: 30 },
];

async function richChart(h: ClinicHandle, staff: ClinicalStaff, patientId: string, now: number) {
  const events: AuditEvent[] = [];
  const ev = (type: string, id: string, detail: AuditEvent['detail']) =>
    events.push({ action: 'create', outcome: 'success', actor: SYSTEM, entity: { type, id, patientId }, route: ROUTE, detail });
  const date = (ms: number) => iso(ms).slice(0, 10);
  const recordedAt = iso(now - 1000 * DAY);

  const allergyRows = await Promise.all(
    ALLERGIES.map(async (a) => {
      const id = newId('alg');
      ev('allergy', id, { severity: a.severity });
      return {
        id,
        patientId,
        substance: await seal(h, 'allergies', 'substance', id, a.substance),
        reaction: await seal(h, 'allergies', 'reaction', id, a.reaction),
        severity: a.severity,
        status: 'active',
        recordedBy: staff.doctorId,
        recordedAt,
      };
    }),
  );
  const problemRows = await Promise.all(
    PROBLEMS.map(async (p) => {
      const id = newId('prb');
      ev('problem', id, { icd10: p.code });
      return {
        id,
        patientId,
        icd10: p.code,
        text: await seal(h, 'problems', 'text', id, TITLES.get(p.code)!),
        onset: date(now - p.onsetYearsAgo * 365 * DAY),
        status: 'active',
        recordedBy: staff.doctorId,
        recordedAt,
      };
    }),
  );
  const medicationRows = await Promise.all(
    MEDICATIONS.map(async (m) => {
      const id = newId('med');
      ev('medication', id, null);
      return {
        id,
        patientId,
        name: await seal(h, 'medications', 'name', id, m.name),
        strength: await seal(h, 'medications', 'strength', id, m.strength),
        dose: await seal(h, 'medications', 'dose', id, m.dose),
        status: 'active',
        startDate: date(now - m.yearsAgo * 365 * DAY),
        stopDate: null,
        recordedBy: staff.doctorId,
        recordedAt,
      };
    }),
  );
  const rxRows: (typeof prescriptions.$inferInsert)[] = [];
  const itemRows: (typeof prescriptionItems.$inferInsert)[] = [];
  for (const rx of PRESCRIPTIONS) {
    const id = newId('rx');
    const at = now - rx.daysAgo * DAY;
    rxRows.push({
      id,
      patientId,
      encounterId: null,
      prescriberId: staff.doctorId,
      prescriberName: staff.doctorName,
      licenceNo: DEMO_LICENCE,
      status: 'signed',
      allergyOverride: 0,
      allergyMatches: null,
      createdAt: iso(at),
      createdBy: staff.doctorId,
      signedAt: iso(at + 5 * 60_000),
      signedBy: staff.doctorId,
    });
    for (const [position, index] of rx.items.entries()) {
      const it = RX_ITEMS[index]!;
      const itemId = `rxi_${id.slice(3)}_${position}`;
      const s = (column: string, v: string) => seal(h, 'prescription_items', column, itemId, v);
      itemRows.push({
        id: itemId,
        prescriptionId: id,
        position,
        medicine: await s('medicine', it.medicine),
        strength: await s('strength', it.strength),
        form: it.form,
        dose: await s('dose', it.dose),
        route: it.route,
        frequency: it.frequency,
        duration: it.duration,
        quantity: it.quantity,
        refills: it.refills,
        instructionsEn: await s('instructions_en', it.instructionsEn),
        instructionsAr: await s('instructions_ar', it.instructionsAr),
      });
    }
    ev('prescription', id, { items: rx.items.length, allergyOverride: false });
    ev('prescription', id, { op: 'sign', items: rx.items.length, allergyOverride: false });
  }
  return { allergies: allergyRows, problems: problemRows, medications: medicationRows, prescriptions: rxRows, items: itemRows, events };
}

/**
 * The bench clinic's encounters: every bench patient without encounters gets its 0-3, and B-000001
 * is topped up to `richEncounters` (when given). Batches of about `batch` encounters per transaction,
 * one audit event per batch (the system, with the counts). Returns how many encounters it wrote.
 */
export async function seedBenchClinical(
  clinics: ClinicRegistry,
  clinicId: string,
  staff: ClinicalStaff,
  opts: { richEncounters?: number; clock?: Clock; batch?: number; onProgress?: (patients: number, encounters: number) => void } = {},
): Promise<number> {
  const clock = opts.clock ?? systemClock;
  const h = await clinics.get(clinicId);
  const now = clock.now().getTime();
  const batchSize = opts.batch ?? 2000;
  let written = 0;

  const first = (await h.client.execute("SELECT id FROM patients WHERE mrn = 'B-000001'")).rows[0];
  if (first && opts.richEncounters) {
    const have = await encounterCount(h, String(first.id));
    const rich = { id: String(first.id), n: 1 };
    let b = new Batch();
    // Already written ones keep their dates; the top-up continues the even spread.
    for (let k = have; k < opts.richEncounters; k++) {
      await addEncounter(h, b, staff, rich, k, opts.richEncounters, now, { draft: k % 50 === 49, perRecordEvents: false });
      if (b.size >= batchSize) {
        await flush(h, clock, b, newId('req'), { patients: 1, patientId: rich.id });
        written += b.size;
        b = new Batch();
      }
    }
    await flush(h, clock, b, newId('req'), { patients: 1, patientId: rich.id });
    written += b.size;
  }

  // Patients with none yet (a refill, or a clinic seeded before encounters existed).
  const todo = (
    await h.db.all<{ id: string; mrn: string }>(
      sql`SELECT id, mrn FROM patients p WHERE mrn LIKE 'B-%' AND mrn <> 'B-000001' AND NOT EXISTS (SELECT 1 FROM encounters e WHERE e.patient_id = p.id) ORDER BY mrn`,
    )
  ).map((r) => ({ id: r.id, n: Number(r.mrn.slice(2)) }));
  let b = new Batch();
  let patientsInBatch = 0;
  for (const [i, p] of todo.entries()) {
    const count = benchEncounterCount(p.n);
    for (let k = 0; k < count; k++) await addEncounter(h, b, staff, p, k, count, now, { draft: false, perRecordEvents: false });
    patientsInBatch++;
    if (b.size >= batchSize || i === todo.length - 1) {
      await flush(h, clock, b, newId('req'), { patients: patientsInBatch });
      written += b.size;
      b = new Batch();
      patientsInBatch = 0;
      opts.onProgress?.(i + 1, written);
    }
  }
  return written;
}
