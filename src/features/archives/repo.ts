// The archives table: one row per requested patient archive (export record + where the ZIP is kept).
import { and, desc, eq, gte, inArray, lt, lte, sql } from 'drizzle-orm';
import type { ClinicDb } from '../../tenancy/db.ts';
import type { ClinicTx } from '../../audit/log.ts';
import type { ClinicHandle } from '../../tenancy/registry.ts';
import { archives, patients } from '../../tenancy/schema/clinic/index.ts';
import { sealColumn, unsealColumn } from '../../tenancy/columns.ts';

type Db = ClinicDb | ClinicTx;
export type ArchiveRow = typeof archives.$inferSelect;
/** delivered: built by the operator's command straight into a file (never stored here). */
export type ArchiveStatus = 'queued' | 'building' | 'ready' | 'delivered' | 'failed' | 'expired';

export const ARCHIVE_ID = /^arc_[a-z2-7]{26}$/;

export interface Archive extends Omit<ArchiveRow, 'reason' | 'status'> {
  status: ArchiveStatus;
  /** Decrypted. */
  reason: string;
}

export const sealReason = (h: ClinicHandle, id: string, reason: string) => sealColumn(h, 'archives', 'reason', id, reason);

export async function toArchive(h: ClinicHandle, row: ArchiveRow): Promise<Archive> {
  return { ...row, status: row.status as ArchiveStatus, reason: await unsealColumn(h, 'archives', 'reason', row.id, row.reason) };
}

export async function archiveRow(db: Db, id: string): Promise<ArchiveRow | undefined> {
  return (await db.select().from(archives).where(eq(archives.id, id)))[0];
}

export async function archivesOfPatient(db: Db, patientId: string, limit = 20): Promise<ArchiveRow[]> {
  return db.select().from(archives).where(eq(archives.patientId, patientId)).orderBy(desc(archives.requestedAt), desc(archives.id)).limit(limit);
}

/** Newest first, a page at a time (keyset on requested_at, id). */
export async function archivesPage(db: Db, opts: { before?: string; limit: number }): Promise<ArchiveRow[]> {
  return db
    .select()
    .from(archives)
    .where(opts.before ? lt(archives.requestedAt, opts.before) : undefined)
    .orderBy(desc(archives.requestedAt), desc(archives.id))
    .limit(opts.limit);
}

/** Distinct patients whose archives were requested since `since` (ISO UTC). */
export async function patientsArchivedSince(db: Db, since: string): Promise<number> {
  const rows = await db.select({ n: sql<number>`count(DISTINCT ${archives.patientId})` }).from(archives).where(gte(archives.requestedAt, since));
  return Number(rows[0]?.n ?? 0);
}

/** Ready archives whose time is up. */
export async function expiredArchives(db: Db, now: string): Promise<ArchiveRow[]> {
  return db.select().from(archives).where(and(eq(archives.status, 'ready'), lte(archives.expiresAt, now)));
}

export async function mrnsOf(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: patients.id, mrn: patients.mrn }).from(patients).where(inArray(patients.id, ids));
  return new Map(rows.map((r) => [r.id, r.mrn]));
}
