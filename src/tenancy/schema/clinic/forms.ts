// Consents and forms: templates kept by administrators, their immutable versions, and the records
// patients sign against one exact version (template id + version, its content kept as it was). A
// record is never deleted and never edited: a consent can only be withdrawn. Hand-written triggers
// in the migration enforce both. Names, answers, signatures, reasons and the signed PDF are
// encrypted (CR1: associated data = clinic, table, column, row id); codes, dates and hashes stay plain.
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { patients } from './patients.ts';

export const formTemplates = sqliteTable(
  'form_templates',
  {
    /** ft_ + 26 base32 characters. */
    id: text('id').primaryKey(),
    /** consent | questionnaire */
    kind: text('kind').notNull(),
    /** The built-in template this came from ('treatment-consent' ...), so seeding twice adds nothing. */
    code: text('code'),
    currentVersion: integer('current_version').notNull(),
    /** active | retired: a retired template takes no new records; old ones keep pointing at it. */
    status: text('status').notNull().default('active'),
    createdAt: text('created_at').notNull(),
    createdBy: text('created_by').notNull(),
    updatedAt: text('updated_at').notNull(),
    retiredAt: text('retired_at'),
    retiredBy: text('retired_by'),
  },
  (t) => [uniqueIndex('form_templates_code').on(t.code)],
);

export const formTemplateVersions = sqliteTable(
  'form_template_versions',
  {
    /** ftv_ + 26 base32 characters. */
    id: text('id').primaryKey(),
    templateId: text('template_id')
      .notNull()
      .references(() => formTemplates.id),
    version: integer('version').notNull(),
    /** JSON: titles and bodies in English and Arabic, consent scope, fields. Not patient data. */
    content: text('content').notNull(),
    /** SHA-256 of `content`, printed on every record made with it. */
    contentSha256: text('content_sha256').notNull(),
    createdAt: text('created_at').notNull(),
    createdBy: text('created_by').notNull(),
  },
  (t) => [uniqueIndex('form_template_versions_template').on(t.templateId, t.version)],
);

export const formRecords = sqliteTable(
  'form_records',
  {
    /** fr_ + 26 base32 characters. */
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    templateId: text('template_id')
      .notNull()
      .references(() => formTemplates.id),
    versionId: text('version_id')
      .notNull()
      .references(() => formTemplateVersions.id),
    templateVersion: integer('template_version').notNull(),
    /** consent | questionnaire (the template's kind, kept for listing without a join). */
    kind: text('kind').notNull(),
    /** YYYY-MM-DD, the clinic's date of signing. */
    signedOn: text('signed_on').notNull(),
    /** ISO UTC. */
    recordedAt: text('recorded_at').notNull(),
    recordedBy: text('recorded_by').notNull(),
    /** patient | guardian */
    signer: text('signer').notNull(),
    /** Encrypted (guardian only). */
    guardianName: text('guardian_name'),
    /** parent | legal-guardian | spouse | child | sibling | other (guardian only). */
    guardianRelationship: text('guardian_relationship'),
    /** Encrypted JSON: field id -> answer. */
    answers: text('answers'),
    /** drawn | typed (consents); null for a questionnaire. */
    signatureKind: text('signature_kind'),
    /** Encrypted: the drawn strokes (signature.ts format) or the typed full name. */
    signature: text('signature'),
    witnessId: text('witness_id'),
    /** Snapshot of the witness's name, as printed on the PDF. */
    witnessName: text('witness_name'),
    pdfSha256: text('pdf_sha256').notNull(),
    pdfBytes: integer('pdf_bytes').notNull(),
    /** active | withdrawn */
    status: text('status').notNull().default('active'),
    withdrawnOn: text('withdrawn_on'),
    withdrawnAt: text('withdrawn_at'),
    withdrawnBy: text('withdrawn_by'),
    /** Encrypted. */
    withdrawReason: text('withdraw_reason'),
  },
  (t) => [index('form_records_patient').on(t.patientId, t.signedOn)],
);

/** The signed PDF of each record, apart so that lists never read it. */
export const formDocuments = sqliteTable('form_documents', {
  recordId: text('record_id')
    .primaryKey()
    .references(() => formRecords.id),
  /** Encrypted base64 of the PDF bytes; form_records.pdf_sha256 is the hash of the bytes. */
  pdf: text('pdf').notNull(),
  createdAt: text('created_at').notNull(),
});
