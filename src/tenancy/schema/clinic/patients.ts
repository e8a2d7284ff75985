// Patients: identifiers in the clear (MRN), every personal detail in one encrypted column (CR1),
// and blind-index rows for search (CR2). No plaintext name, CPR or phone is stored anywhere.
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const patients = sqliteTable('patients', {
  /** p_ + 26 base32 characters. */
  id: text('id').primaryKey(),
  /** Medical record number, unique per clinic: D-0001 (demo), B-000001 (bench), P-000001. */
  mrn: text('mrn').notNull().unique(),
  /** Encrypted JSON of Demographics; associated data (clinic, 'patients', 'demographics', id). */
  demographics: text('demographics').notNull(),
  /** Restricted records are visible only to named clinicians (and break-glass, AC5). */
  restricted: integer('restricted', { mode: 'boolean' }).notNull().default(false),
  /** Optimistic concurrency: an edit names the version it started from. */
  version: integer('version').notNull().default(1),
  createdAt: text('created_at').notNull(),
  createdBy: text('created_by'),
  updatedAt: text('updated_at').notNull(),
});

/**
 * Blind-index rows: field (name | cpr | phone | dob | namedob) and a truncated HMAC under the
 * clinic's key for that field. Name rows hold every prefix of every name token.
 */
export const patientIndex = sqliteTable(
  'patient_index',
  {
    field: text('field').notNull(),
    token: text('token').notNull(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
  },
  (t) => [primaryKey({ columns: [t.field, t.token, t.patientId] }), index('patient_index_patient').on(t.patientId)],
);

/** Rectification (PDPL): every correction keeps what was there before, encrypted. */
export const patientHistory = sqliteTable(
  'patient_history',
  {
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    at: text('at').notNull(),
    userId: text('user_id'),
    /** Version of the record before this change. */
    version: integer('version').notNull(),
    /** Comma-separated names of the fields that changed (names only, no values). */
    fields: text('fields').notNull(),
    /** Encrypted JSON of the previous demographics; associated data (clinic, 'patient_history', 'previous', id). */
    previous: text('previous').notNull(),
    /** Encrypted reason (it may describe the patient); associated data (clinic, 'patient_history', 'reason', id). */
    reason: text('reason').notNull(),
  },
  (t) => [index('patient_history_patient').on(t.patientId, t.at)],
);
