import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The clinic's audit log (LG1, LG3): append-only (triggers in migrations/clinic abort UPDATE and
 * DELETE) and hash-chained; src/audit/chain.ts defines the hash and canonical form. Written only
 * through src/audit/log.ts. AUTOINCREMENT keeps the highest seq ever written in sqlite_sequence,
 * a second witness to a cut tail.
 */
export const auditLog = sqliteTable(
  'audit_log',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    /** UTC ISO 8601 with milliseconds. */
    at: text('at').notNull(),
    action: text('action').notNull(),
    outcome: text('outcome').notNull(),
    actorUserId: text('actor_user_id'),
    /** user | operator | system */
    actorKind: text('actor_kind').notNull(),
    /** JSON array of role names. */
    actorRoles: text('actor_roles').notNull(),
    /** SHA-256 of the session token, never the token. */
    sessionHash: text('session_hash'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    entityType: text('entity_type'),
    entityId: text('entity_id'),
    patientId: text('patient_id'),
    reason: text('reason'),
    requestId: text('request_id'),
    route: text('route'),
    /** JSON object with sorted keys, or null. */
    detail: text('detail'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  // Only the selective filters get an index (each entry ends in the rowid, so "newest first" under
  // a filter needs no sort); every index is paid for by every request's event. Action and outcome
  // have a handful of values, and `at` grows with seq, so those filters walk seq instead.
  (t) => [
    index('audit_log_actor').on(t.actorUserId).where(sql`${t.actorUserId} IS NOT NULL`),
    index('audit_log_patient').on(t.patientId).where(sql`${t.patientId} IS NOT NULL`),
  ],
);
