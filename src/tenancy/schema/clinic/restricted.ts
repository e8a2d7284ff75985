// Restricted records and break-glass (AC5): a restricted patient is visible only to named
// clinicians; another clinician may break the glass with a written reason, for a limited time.
import { index, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** The clinicians named on a restricted record. */
export const patientClinicians = sqliteTable(
  'patient_clinicians',
  {
    patientId: text('patient_id').notNull(),
    userId: text('user_id').notNull(),
    addedBy: text('added_by').notNull(),
    addedAt: text('added_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.patientId, t.userId] })],
);

/** Emergency access grants: who, to whom, why, until when. Kept for review, never deleted. */
export const breakGlass = sqliteTable(
  'break_glass',
  {
    id: text('id').primaryKey(),
    patientId: text('patient_id').notNull(),
    userId: text('user_id').notNull(),
    /** As written by the clinician; the same text is in the audit event (the file is encrypted at rest). */
    reason: text('reason').notNull(),
    grantedAt: text('granted_at').notNull(),
    expiresAt: text('expires_at').notNull(),
    reviewedBy: text('reviewed_by'),
    reviewedAt: text('reviewed_at'),
  },
  (t) => [index('break_glass_user_patient').on(t.userId, t.patientId, t.expiresAt)],
);
