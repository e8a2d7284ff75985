// The dental chart: append-only dated entries by their authors (a trigger in the migration refuses
// UPDATE); the chart of any date is the fold of the entries recorded before it (src/dental/fold.ts).
// The note is encrypted (CR1: associated data = clinic, table, column, row id); tooth, surface,
// finding and dates stay plain so that they can be ordered and checked.
import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { patients } from './patients.ts';

export const dentalEntries = sqliteTable(
  'dental_entries',
  {
    /** dnt_ + 26 base32 characters. */
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    /** FDI (ISO 3950): 11-48 permanent, 51-85 primary. */
    tooth: integer('tooth').notNull(),
    /** M | O | D | B | L, or null for the whole tooth. */
    surface: text('surface'),
    /** present | missing | extracted | implant | to-extract | crown | bridge | root-canal | caries | filling | fracture | sealant | note */
    finding: text('finding').notNull(),
    /** record | remove | reject */
    action: text('action').notNull(),
    /** completed | planned */
    status: text('status').notNull(),
    material: text('material'),
    /** 1: proposed by someone who may only draft; shown apart until a dentist settles it. */
    draft: integer('draft').notNull().default(0),
    /** Encrypted, or null when none. */
    note: text('note'),
    /** ISO UTC. */
    recordedAt: text('recorded_at').notNull(),
    recordedBy: text('recorded_by').notNull(),
  },
  (t) => [
    // The fold reads a patient's entries in the order recorded.
    index('dental_entries_patient_time').on(t.patientId, t.recordedAt),
    check('dental_entries_tooth', sql`${t.tooth} BETWEEN 11 AND 85 AND ${t.tooth} % 10 BETWEEN 1 AND 8`),
    check('dental_entries_surface', sql`${t.surface} IS NULL OR ${t.surface} IN ('M', 'O', 'D', 'B', 'L')`),
    check('dental_entries_action', sql`${t.action} IN ('record', 'remove', 'reject')`),
    check('dental_entries_status', sql`${t.status} IN ('completed', 'planned')`),
    check('dental_entries_draft', sql`${t.draft} IN (0, 1)`),
  ],
);
