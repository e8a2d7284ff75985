// Attachment queries, and the encryption of their free text (CR1) on the way in and out.
import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { ClinicHandle } from '../../tenancy/registry.ts';
import type { ClinicDb } from '../../tenancy/db.ts';
import { attachments, encounters } from '../../tenancy/schema/clinic/index.ts';
import { sealColumn, unsealColumn } from '../../tenancy/columns.ts';
import type { Category } from './policy.ts';
import type { MediaType } from './media.ts';

export const ATTACHMENT_ID = /^att_[a-z2-7]{26}$/;
export const ENCOUNTER_ID = /^enc_[a-z2-7]{26}$/;
export const LIST_LIMIT = 500;

type Row = typeof attachments.$inferSelect;

export interface Attachment {
  id: string;
  patientId: string;
  encounterId: string | null;
  category: Category;
  title: string;
  originalName: string;
  mediaType: MediaType;
  bytes: number;
  sha256: string;
  blobName: string;
  takenOn: string | null;
  uploadedAt: string;
  uploadedBy: string;
  deletedAt: string | null;
  deletedBy: string | null;
  deleteReason: string;
}

type Column = 'title' | 'original_name' | 'delete_reason';
export const seal = (h: ClinicHandle, column: Column, rowId: string, text: string) => sealColumn(h, 'attachments', column, rowId, text);
const unseal = (h: ClinicHandle, column: Column, rowId: string, token: string | null) => unsealColumn(h, 'attachments', column, rowId, token);

export async function toAttachment(h: ClinicHandle, r: Row): Promise<Attachment> {
  return {
    id: r.id,
    patientId: r.patientId,
    encounterId: r.encounterId,
    category: r.category as Category,
    title: await unseal(h, 'title', r.id, r.title),
    originalName: await unseal(h, 'original_name', r.id, r.originalName),
    mediaType: r.mediaType as MediaType,
    bytes: r.bytes,
    sha256: r.sha256,
    blobName: r.blobName,
    takenOn: r.takenOn,
    uploadedAt: r.uploadedAt,
    uploadedBy: r.uploadedBy,
    deletedAt: r.deletedAt,
    deletedBy: r.deletedBy,
    deleteReason: await unseal(h, 'delete_reason', r.id, r.deleteReason),
  };
}

export async function attachmentRow(db: ClinicDb, id: string): Promise<Row | undefined> {
  return (await db.select().from(attachments).where(eq(attachments.id, id)))[0];
}

export interface ListFilter {
  categories: readonly Category[];
  encounterId?: string | undefined;
  includeDeleted?: boolean | undefined;
}

/** A patient's attachments in these categories, newest first. */
export async function attachmentRows(db: ClinicDb, patientId: string, f: ListFilter): Promise<Row[]> {
  if (f.categories.length === 0) return [];
  const where = [eq(attachments.patientId, patientId), inArray(attachments.category, [...f.categories])];
  if (f.encounterId) where.push(eq(attachments.encounterId, f.encounterId));
  if (!f.includeDeleted) where.push(isNull(attachments.deletedAt));
  return db
    .select()
    .from(attachments)
    .where(and(...where))
    .orderBy(desc(attachments.uploadedAt), desc(attachments.id))
    .limit(LIST_LIMIT);
}

/** Every attachment of a patient, oldest first, without a limit (the archive takes them all). */
export async function allAttachmentRows(db: ClinicDb, patientId: string, includeDeleted: boolean): Promise<Row[]> {
  const where = includeDeleted ? eq(attachments.patientId, patientId) : and(eq(attachments.patientId, patientId), isNull(attachments.deletedAt));
  return db.select().from(attachments).where(where).orderBy(asc(attachments.uploadedAt), asc(attachments.id));
}

export async function encounterOfPatient(db: ClinicDb, encounterId: string, patientId: string): Promise<boolean> {
  const rows = await db.select({ id: encounters.id }).from(encounters).where(and(eq(encounters.id, encounterId), eq(encounters.patientId, patientId)));
  return rows.length > 0;
}

/** The patient's recent encounters (date and type only), to link an upload to one. */
export async function recentEncounters(db: ClinicDb, patientId: string, limit = 30): Promise<{ id: string; startedAt: string; type: string }[]> {
  return db
    .select({ id: encounters.id, startedAt: encounters.startedAt, type: encounters.type })
    .from(encounters)
    .where(eq(encounters.patientId, patientId))
    .orderBy(desc(encounters.startedAt), desc(encounters.id))
    .limit(limit);
}
