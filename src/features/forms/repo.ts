// Queries of templates, versions and records, and the encryption of what names or describes the
// patient (CR1) on the way in and out. The signed PDF is sealed as base64 in its own table.
import { and, desc, eq } from 'drizzle-orm';
import type { ClinicHandle } from '../../tenancy/registry.ts';
import type { ClinicDb } from '../../tenancy/db.ts';
import type { ClinicTx } from '../../audit/log.ts';
import { formDocuments, formRecords, formTemplateVersions, formTemplates } from '../../tenancy/schema/clinic/index.ts';
import { sealColumn, unsealColumn } from '../../tenancy/columns.ts';
import { decodeBase64, encodeBase64 } from '../../crypto/bytes.ts';
import { parseContent, type FormKind, type TemplateContent } from './content.ts';
import type { Relationship, Signer } from './answers.ts';

export const RECORD_ID = /^fr_[a-z2-7]{26}$/;
export const LIST_LIMIT = 500;

type Db = ClinicDb | ClinicTx;
type Table = 'form_records' | 'form_documents';
export const seal = (h: ClinicHandle, table: Table, column: string, rowId: string, text: string) => sealColumn(h, table, column, rowId, text);
const unseal = (h: ClinicHandle, table: Table, column: string, rowId: string, token: string | null) => unsealColumn(h, table, column, rowId, token);

export type TemplateRow = typeof formTemplates.$inferSelect;
export type VersionRow = typeof formTemplateVersions.$inferSelect;
export type RecordRow = typeof formRecords.$inferSelect;

export interface TemplateVersion {
  id: string;
  templateId: string;
  version: number;
  content: TemplateContent;
  contentSha256: string;
  createdAt: string;
  createdBy: string;
}

export interface Template {
  id: string;
  kind: FormKind;
  code: string | null;
  status: 'active' | 'retired';
  currentVersion: number;
  createdAt: string;
  updatedAt: string;
  retiredAt: string | null;
  /** The current version. */
  current: TemplateVersion;
}

export interface RecordSummary {
  id: string;
  patientId: string;
  kind: FormKind;
  templateId: string;
  templateVersion: number;
  titleEn: string;
  titleAr: string;
  signedOn: string;
  recordedAt: string;
  signer: Signer;
  signatureKind: 'drawn' | 'typed' | null;
  witnessName: string;
  pdfSha256: string;
  pdfBytes: number;
  status: 'active' | 'withdrawn';
  withdrawnOn: string | null;
}

export interface FormRecord extends RecordSummary {
  versionId: string;
  content: TemplateContent;
  contentSha256: string;
  recordedBy: string;
  guardianName: string;
  relationship: Relationship | null;
  answers: Record<string, string>;
  /** Drawn strokes (signature.ts) or the typed name. */
  signature: string;
  witnessId: string | null;
  withdrawnAt: string | null;
  withdrawnBy: string | null;
  withdrawReason: string;
}

export const toVersion = (r: VersionRow): TemplateVersion => ({
  id: r.id,
  templateId: r.templateId,
  version: r.version,
  content: parseContent(r.content),
  contentSha256: r.contentSha256,
  createdAt: r.createdAt,
  createdBy: r.createdBy,
});

const toTemplate = (t: TemplateRow, v: VersionRow): Template => ({
  id: t.id,
  kind: t.kind as FormKind,
  code: t.code,
  status: t.status as Template['status'],
  currentVersion: t.currentVersion,
  createdAt: t.createdAt,
  updatedAt: t.updatedAt,
  retiredAt: t.retiredAt,
  current: toVersion(v),
});

const withCurrent = (db: Db) =>
  db
    .select({ t: formTemplates, v: formTemplateVersions })
    .from(formTemplates)
    .innerJoin(formTemplateVersions, and(eq(formTemplateVersions.templateId, formTemplates.id), eq(formTemplateVersions.version, formTemplates.currentVersion)));

export async function templates(db: Db): Promise<Template[]> {
  return (await withCurrent(db).orderBy(formTemplates.status, formTemplates.createdAt)).map((r) => toTemplate(r.t, r.v));
}

export async function template(db: Db, id: string): Promise<Template | null> {
  const r = (await withCurrent(db).where(eq(formTemplates.id, id)))[0];
  return r ? toTemplate(r.t, r.v) : null;
}

export async function templateByCode(db: Db, code: string): Promise<TemplateRow | undefined> {
  return (await db.select().from(formTemplates).where(eq(formTemplates.code, code)))[0];
}

export async function versionOf(db: Db, templateId: string, version: number): Promise<TemplateVersion | null> {
  const r = (await db.select().from(formTemplateVersions).where(and(eq(formTemplateVersions.templateId, templateId), eq(formTemplateVersions.version, version))))[0];
  return r ? toVersion(r) : null;
}

export async function versionsOf(db: Db, templateId: string): Promise<TemplateVersion[]> {
  return (await db.select().from(formTemplateVersions).where(eq(formTemplateVersions.templateId, templateId)).orderBy(desc(formTemplateVersions.version))).map(toVersion);
}

const summaryOf = (r: RecordRow, content: TemplateContent): RecordSummary => ({
  id: r.id,
  patientId: r.patientId,
  kind: r.kind as FormKind,
  templateId: r.templateId,
  templateVersion: r.templateVersion,
  titleEn: content.titleEn,
  titleAr: content.titleAr,
  signedOn: r.signedOn,
  recordedAt: r.recordedAt,
  signer: r.signer as Signer,
  signatureKind: r.signatureKind as RecordSummary['signatureKind'],
  witnessName: r.witnessName ?? '',
  pdfSha256: r.pdfSha256,
  pdfBytes: r.pdfBytes,
  status: r.status as RecordSummary['status'],
  withdrawnOn: r.withdrawnOn,
});

const recordsWithVersion = (db: Db) =>
  db.select({ r: formRecords, v: formTemplateVersions }).from(formRecords).innerJoin(formTemplateVersions, eq(formTemplateVersions.id, formRecords.versionId));

/** A patient's records, newest first: metadata only, nothing decrypted. `all` lifts the page's limit (the archive). */
export async function recordsOf(db: Db, patientId: string, opts: { all?: boolean } = {}): Promise<RecordSummary[]> {
  const query = recordsWithVersion(db).where(eq(formRecords.patientId, patientId)).orderBy(desc(formRecords.signedOn), desc(formRecords.recordedAt));
  const rows = opts.all ? await query : await query.limit(LIST_LIMIT);
  return rows.map(({ r, v }) => summaryOf(r, parseContent(v.content)));
}

export async function recordById(h: ClinicHandle, id: string): Promise<FormRecord | null> {
  const row = (await recordsWithVersion(h.db).where(eq(formRecords.id, id)))[0];
  if (!row) return null;
  const { r, v } = row;
  const content = parseContent(v.content);
  const u = (column: string, token: string | null) => unseal(h, 'form_records', column, r.id, token);
  const answers = await u('answers', r.answers);
  return {
    ...summaryOf(r, content),
    versionId: r.versionId,
    content,
    contentSha256: v.contentSha256,
    recordedBy: r.recordedBy,
    guardianName: await u('guardian_name', r.guardianName),
    relationship: r.guardianRelationship as Relationship | null,
    answers: answers ? (JSON.parse(answers) as Record<string, string>) : {},
    signature: await u('signature', r.signature),
    witnessId: r.witnessId,
    withdrawnAt: r.withdrawnAt,
    withdrawnBy: r.withdrawnBy,
    withdrawReason: await u('withdraw_reason', r.withdrawReason),
  };
}

export async function sealPdf(h: ClinicHandle, recordId: string, bytes: Uint8Array): Promise<string> {
  return (await seal(h, 'form_documents', 'pdf', recordId, encodeBase64(bytes)))!;
}

/** The stored PDF of a record, decrypted (null when the record has none). */
export async function storedPdf(h: ClinicHandle, recordId: string): Promise<Uint8Array | null> {
  const row = (await h.db.select().from(formDocuments).where(eq(formDocuments.recordId, recordId)))[0];
  if (!row) return null;
  return decodeBase64(await unseal(h, 'form_documents', 'pdf', recordId, row.pdf));
}
