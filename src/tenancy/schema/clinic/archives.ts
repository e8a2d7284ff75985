// Patient archive packages (issue 7): one row per requested archive. The ZIP itself is kept in the
// BlobStore, encrypted (crypto/file.ts), for a day, then deleted; the row stays as the export record
// (who, when, why, what, how big, its SHA-256), which the Exports page and the audit log show.
// The reason can reveal the patient's situation, so it is encrypted (CR1).
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { patients } from './patients.ts';

export const archives = sqliteTable(
  'archives',
  {
    /** arc_ + 26 base32 characters. */
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    /** The job that builds it (control database), null for an archive built by the CLI. */
    jobId: text('job_id'),
    /** queued | building | ready | delivered (CLI, written to a file) | failed | expired */
    status: text('status').notNull(),
    requestedAt: text('requested_at').notNull(),
    /** A user id, or 'operator' for the CLI. */
    requestedBy: text('requested_by').notNull(),
    /** Encrypted. */
    reason: text('reason').notNull(),
    /** JSON: the record types and date range included (today: everything). */
    scope: text('scope').notNull(),
    /** BlobStore name of the encrypted ZIP while it is kept. */
    blobName: text('blob_name'),
    bytes: integer('bytes'),
    /** SHA-256 (hex) of the ZIP as downloaded. */
    sha256: text('sha256'),
    files: integer('files'),
    readyAt: text('ready_at'),
    /** The ZIP is deleted after this time (24 hours after it is ready). */
    expiresAt: text('expires_at'),
    deletedAt: text('deleted_at'),
    downloads: integer('downloads').notNull().default(0),
    /** The failure, without patient data, when status is failed. */
    error: text('error'),
  },
  (t) => [index('archives_patient').on(t.patientId, t.requestedAt), index('archives_requested').on(t.requestedAt), index('archives_expiry').on(t.status, t.expiresAt)],
);
