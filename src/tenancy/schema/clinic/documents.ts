// Attachments: uploaded files of a patient (images, DICOM, PDFs, plain text). The bytes live in the
// BlobStore, encrypted per file (crypto/file.ts) under a random name; this row holds what the file
// is. Title, original file name and the deletion reason can reveal the patient's condition, so they
// are encrypted (CR1: associated data = clinic, table, column, row id). An attachment is never
// removed: deleting it marks it (who, when, why) and keeps the blob for retention.
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { patients } from './patients.ts';

export const attachments = sqliteTable(
  'attachments',
  {
    /** att_ + 26 base32 characters. */
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    /** The encounter it belongs to, if any (enc_...); checked to be this patient's. */
    encounterId: text('encounter_id'),
    /** imaging | lab | referral | id-insurance | other */
    category: text('category').notNull(),
    /** Encrypted. */
    title: text('title').notNull(),
    /** Encrypted: the name the file had on the uploader's computer. */
    originalName: text('original_name').notNull(),
    /** Decided from the bytes and the extension together (FU1), never from the browser's claim. */
    mediaType: text('media_type').notNull(),
    bytes: integer('bytes').notNull(),
    /** SHA-256 (hex) of the original bytes. */
    sha256: text('sha256').notNull(),
    /** The BlobStore name of the encrypted bytes (random; says nothing about the file). */
    blobName: text('blob_name').notNull().unique(),
    /** YYYY-MM-DD, when the image was taken or the report issued (optional). */
    takenOn: text('taken_on'),
    uploadedAt: text('uploaded_at').notNull(),
    uploadedBy: text('uploaded_by').notNull(),
    deletedAt: text('deleted_at'),
    deletedBy: text('deleted_by'),
    /** Encrypted. */
    deleteReason: text('delete_reason'),
  },
  (t) => [index('attachments_patient').on(t.patientId, t.uploadedAt), index('attachments_encounter').on(t.encounterId)],
);
