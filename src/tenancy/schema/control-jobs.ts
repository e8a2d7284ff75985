// Durable jobs of the self-hosted queue (src/jobs/queue-sqlite.ts). Payloads hold ids only, never
// patient data: the control database is not where clinical data lives.
import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { clinics } from './control.ts';

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;

export const jobs = sqliteTable(
  'jobs',
  {
    id: text('id').primaryKey(),
    type: text('type').notNull(),
    clinicId: text('clinic_id').references(() => clinics.id),
    payload: text('payload').notNull().default('{}'),
    /** queued | running | done | dead */
    status: text('status').notNull().default('queued'),
    /** Attempts started so far (a lease taken counts one). */
    attempts: integer('attempts').notNull().default(0),
    runAfter: text('run_after').notNull().default(now),
    leaseUntil: text('lease_until'),
    lastError: text('last_error'),
    /** JSON the handler returned: where its result lives (a deterministic key), never the result itself. */
    result: text('result'),
    createdAt: text('created_at').notNull().default(now),
    updatedAt: text('updated_at').notNull().default(now),
    /** At most one queued or running job per key (double submits enqueue once). */
    dedupeKey: text('dedupe_key'),
    /** Failures after which the job is dead-lettered (status dead). */
    maxAttempts: integer('max_attempts').notNull().default(5),
    /** Which worker holds the lease, for operators; the token below is what fences writes. */
    leaseOwner: text('lease_owner'),
    /** Random per lease: heartbeats, progress and completion of an expired lease change nothing. */
    leaseToken: text('lease_token'),
    progressStep: text('progress_step'),
    progressPercent: integer('progress_percent').notNull().default(0),
    startedAt: text('started_at'),
    finishedAt: text('finished_at'),
  },
  (t) => [
    index('jobs_status_run_after').on(t.status, t.runAfter),
    uniqueIndex('jobs_dedupe_active')
      .on(t.dedupeKey)
      .where(sql`${t.dedupeKey} IS NOT NULL AND ${t.status} IN ('queued', 'running')`),
    index('jobs_clinic_created').on(t.clinicId, t.createdAt),
  ],
);
