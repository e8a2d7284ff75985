// Clinical records of a patient: encounters (SOAP notes, signed then locked), addenda, vitals,
// diagnoses, procedures, allergies, problems and medications. Free text that describes the patient
// is encrypted (CR1: associated data = clinic, table, column, row id); codes, dates, numbers and
// statuses stay plain so that they can be indexed and ordered.
import { index, integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { patients } from './patients.ts';

const patientRef = () =>
  text('patient_id')
    .notNull()
    .references(() => patients.id);

export const encounters = sqliteTable(
  'encounters',
  {
    /** enc_ + 26 base32 characters. */
    id: text('id').primaryKey(),
    patientId: patientRef(),
    /** ISO UTC. */
    startedAt: text('started_at').notNull(),
    /** consultation | follow-up | procedure | dental | telephone */
    type: text('type').notNull(),
    clinicianId: text('clinician_id').notNull(),
    /** Encrypted (may be null when left empty). */
    chiefComplaint: text('chief_complaint'),
    subjective: text('subjective'),
    objective: text('objective'),
    assessment: text('assessment'),
    plan: text('plan'),
    /** draft | signed; a signed encounter is locked and changes are addenda. */
    status: text('status').notNull().default('draft'),
    signedAt: text('signed_at'),
    signedBy: text('signed_by'),
    updatedAt: text('updated_at').notNull(),
  },
  // Keyset paging of a patient's timeline (started_at, id) descending.
  (t) => [index('encounters_patient_time').on(t.patientId, t.startedAt, t.id)],
);

export const encounterAddenda = sqliteTable(
  'encounter_addenda',
  {
    id: text('id').primaryKey(),
    encounterId: text('encounter_id')
      .notNull()
      .references(() => encounters.id),
    authorId: text('author_id').notNull(),
    at: text('at').notNull(),
    /** Encrypted. */
    text: text('text').notNull(),
  },
  (t) => [index('encounter_addenda_encounter').on(t.encounterId, t.at)],
);

export const vitals = sqliteTable(
  'vitals',
  {
    id: text('id').primaryKey(),
    patientId: patientRef(),
    encounterId: text('encounter_id').references(() => encounters.id),
    takenAt: text('taken_at').notNull(),
    takenBy: text('taken_by').notNull(),
    systolic: integer('systolic'),
    diastolic: integer('diastolic'),
    pulse: integer('pulse'),
    temperatureC: real('temperature_c'),
    respRate: integer('resp_rate'),
    spo2: integer('spo2'),
    weightKg: real('weight_kg'),
    heightCm: real('height_cm'),
    /** Computed on the server from weight and height (this record's, or the last recorded height). */
    bmi: real('bmi'),
  },
  (t) => [index('vitals_patient_time').on(t.patientId, t.takenAt), index('vitals_encounter').on(t.encounterId)],
);

export const diagnoses = sqliteTable(
  'diagnoses',
  {
    id: text('id').primaryKey(),
    patientId: patientRef(),
    encounterId: text('encounter_id')
      .notNull()
      .references(() => encounters.id),
    /** Canonical ICD-10 code ('J06.9'), or null for free text only. */
    icd10: text('icd10'),
    /** Encrypted: the title or the clinician's free text. */
    text: text('text').notNull(),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: text('recorded_at').notNull(),
  },
  (t) => [index('diagnoses_encounter').on(t.encounterId), index('diagnoses_patient').on(t.patientId)],
);

export const procedures = sqliteTable(
  'procedures',
  {
    id: text('id').primaryKey(),
    patientId: patientRef(),
    encounterId: text('encounter_id')
      .notNull()
      .references(() => encounters.id),
    code: text('code'),
    /** Encrypted. */
    text: text('text').notNull(),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: text('recorded_at').notNull(),
  },
  (t) => [index('procedures_encounter').on(t.encounterId)],
);

export const allergies = sqliteTable(
  'allergies',
  {
    id: text('id').primaryKey(),
    patientId: patientRef(),
    /** Encrypted. */
    substance: text('substance').notNull(),
    /** Encrypted (nullable). */
    reaction: text('reaction'),
    /** mild | moderate | severe */
    severity: text('severity').notNull(),
    /** active | inactive | resolved */
    status: text('status').notNull().default('active'),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: text('recorded_at').notNull(),
  },
  (t) => [index('allergies_patient').on(t.patientId)],
);

export const problems = sqliteTable(
  'problems',
  {
    id: text('id').primaryKey(),
    patientId: patientRef(),
    icd10: text('icd10'),
    /** Encrypted. */
    text: text('text').notNull(),
    /** YYYY-MM-DD. */
    onset: text('onset'),
    /** active | resolved */
    status: text('status').notNull().default('active'),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: text('recorded_at').notNull(),
  },
  (t) => [index('problems_patient').on(t.patientId)],
);

export const medications = sqliteTable(
  'medications',
  {
    id: text('id').primaryKey(),
    patientId: patientRef(),
    /** Encrypted: name, strength, dose. */
    name: text('name').notNull(),
    strength: text('strength'),
    dose: text('dose'),
    /** active | stopped */
    status: text('status').notNull().default('active'),
    /** YYYY-MM-DD. */
    startDate: text('start_date'),
    stopDate: text('stop_date'),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: text('recorded_at').notNull(),
  },
  (t) => [index('medications_patient').on(t.patientId, t.status)],
);
