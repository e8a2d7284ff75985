// Reading a clinic's audit log for the viewer: filters, newest first, paged by seq.
import { and, desc, eq, gte, lt, lte, type SQL } from 'drizzle-orm';
import type { ClinicDb } from '../../tenancy/db.ts';
import { auditLog } from '../../tenancy/schema/clinic/index.ts';

export type AuditRow = typeof auditLog.$inferSelect;

export interface AuditFilter {
  actorUserId?: string | undefined;
  patientId?: string | undefined;
  action?: string | undefined;
  outcome?: string | undefined;
  /** UTC ISO bounds, inclusive from, exclusive to. */
  from?: string | undefined;
  to?: string | undefined;
  /** Rows older than this seq (paging). */
  before?: number | undefined;
}

export async function queryAudit(db: ClinicDb, f: AuditFilter, limit: number): Promise<AuditRow[]> {
  const where: SQL[] = [];
  if (f.actorUserId) where.push(eq(auditLog.actorUserId, f.actorUserId));
  if (f.patientId) where.push(eq(auditLog.patientId, f.patientId));
  if (f.action) where.push(eq(auditLog.action, f.action));
  if (f.outcome) where.push(eq(auditLog.outcome, f.outcome));
  if (f.from) where.push(gte(auditLog.at, f.from));
  if (f.to) where.push(lt(auditLog.at, f.to));
  if (f.before) where.push(lte(auditLog.seq, f.before - 1));
  return db
    .select()
    .from(auditLog)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditLog.seq))
    .limit(limit);
}
