// Security events of one clinic: what an administrator should look at (SECURITY.md, issue 4).
import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const securityEvents = sqliteTable(
  'security_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: text('at').notNull(),
    /** sign-in-burst | lockout | break-glass | 2fa-reset | large-export | audit-verify-failed | ... */
    kind: text('kind').notNull(),
    subjectUserId: text('subject_user_id'),
    patientId: text('patient_id'),
    /** JSON of short, non-secret facts. */
    detail: text('detail').notNull().default('{}'),
    reviewedBy: text('reviewed_by'),
    reviewedAt: text('reviewed_at'),
    createdAt: text('created_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
  },
  (t) => [index('security_events_open').on(t.reviewedAt, t.at)],
);
