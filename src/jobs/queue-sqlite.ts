// The self-host JobQueue: durable rows in the control database's `jobs` table.
//
// A job is leased, never locked: claiming sets a lease that runs out unless the worker's heartbeat
// extends it, so a worker killed mid-job (kill -9, power cut) leaves a lease that expires, and the
// next worker to look takes the job again (attempt + 1). Every write made on behalf of a lease names
// its random token, so a worker whose lease was taken over cannot record progress, completion or
// failure: the job is completed once, by its current holder, in one UPDATE. Each claim is a single
// UPDATE ... WHERE id = (SELECT ...): SQLite takes the write lock before it reads, so two workers,
// in one process or several, never claim the same job.
import type { Client, Row } from '@libsql/client';
import type { Clock } from '../platform/ports.ts';
import {
  JOB_TYPE_PATTERN,
  jobResultKey,
  type EnqueueOptions,
  type EnqueuedJob,
  type JobJson,
  type JobPayload,
  type JobQueue,
  type JobStatus,
  type JobStatusReader,
  type JobView,
} from '../platform/job-queue.ts';
import { newId, randomBytes, encodeHexLowerCase } from '../crypto/bytes.ts';

export const DEFAULT_MAX_ATTEMPTS = 5;
/** Payloads are ids and options; anything this large is a mistake (or patient data, which is not allowed). */
const MAX_PAYLOAD_CHARS = 16_384;

/** One leased attempt, as the worker holding it knows it. */
export interface ClaimedJob {
  id: string;
  type: string;
  clinicId: string | null;
  payload: JobPayload;
  attempt: number;
  maxAttempts: number;
  leaseToken: string;
  resultKey(name?: string): string;
}

// In-process wake-ups: an enqueue pokes the workers polling the same database at once.
const listeners = new WeakMap<Client, Set<() => void>>();

const iso = (d: Date) => d.toISOString();
const plus = (d: Date, ms: number) => new Date(d.getTime() + ms);

export class SqliteJobQueue implements JobQueue, JobStatusReader {
  constructor(
    private readonly client: Client,
    private readonly clock: Clock,
  ) {}

  async enqueue(type: string, payload: JobPayload, opts: EnqueueOptions = {}): Promise<EnqueuedJob> {
    if (!JOB_TYPE_PATTERN.test(type)) throw new Error(`job type "${type}" must be a short lower-case name`);
    const text = JSON.stringify(payload);
    if (text.length > MAX_PAYLOAD_CHARS) throw new Error(`job payload over ${MAX_PAYLOAD_CHARS} characters`);
    const maxAttempts = opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new Error('maxAttempts must be a whole number >= 1');
    const now = iso(this.clock.now());
    const runAfter = opts.runAfter ? iso(opts.runAfter) : now;
    // A finished job frees its dedupe key between our insert and our look-up: try again.
    for (let tries = 0; tries < 5; tries++) {
      const id = newId('job');
      const inserted = await this.client.execute({
        sql: `INSERT INTO jobs (id, type, clinic_id, payload, status, attempts, run_after, created_at, updated_at, dedupe_key, max_attempts)
              VALUES (?, ?, ?, ?, 'queued', 0, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`,
        args: [id, type, opts.clinicId ?? null, text, runAfter, now, now, opts.dedupeKey ?? null, maxAttempts],
      });
      if (inserted.rows.length === 1) {
        this.wake();
        return { id, deduped: false };
      }
      if (opts.dedupeKey === undefined) throw new Error('job insert refused');
      const existing = await this.client.execute({
        sql: `SELECT id FROM jobs WHERE dedupe_key = ? AND status IN ('queued', 'running')`,
        args: [opts.dedupeKey],
      });
      if (existing.rows[0]) return { id: String(existing.rows[0].id), deduped: true };
    }
    throw new Error('job enqueue kept racing with its duplicate');
  }

  async get(id: string): Promise<JobView | undefined> {
    const row = (await this.client.execute({ sql: 'SELECT * FROM jobs WHERE id = ?', args: [id] })).rows[0];
    return row && viewOf(row);
  }

  /** Calls `fn` whenever a job is enqueued through any queue over this database client. */
  subscribe(fn: () => void): () => void {
    let set = listeners.get(this.client);
    if (!set) listeners.set(this.client, (set = new Set()));
    set.add(fn);
    return () => void set.delete(fn);
  }

  private wake(): void {
    for (const fn of listeners.get(this.client) ?? []) fn();
  }

  /**
   * Leases the next due job of one of `types`: a queued one whose time has come, or a running one
   * whose lease ran out (its worker died). Running jobs that ran out of lease on their last allowed
   * attempt are dead-lettered first: a job that kills its worker every time must stop somewhere.
   */
  async claim(opts: { owner: string; types: string[]; leaseMs: (type: string) => number }): Promise<ClaimedJob | undefined> {
    if (opts.types.length === 0) return undefined;
    const now = this.clock.now();
    await this.client.execute({
      sql: `UPDATE jobs SET status = 'dead', last_error = 'LeaseExpired: the worker stopped answering during the last allowed attempt',
              finished_at = ?, lease_until = NULL, lease_token = NULL, updated_at = ?
            WHERE status = 'running' AND lease_until < ? AND attempts >= max_attempts`,
      args: [iso(now), iso(now), iso(now)],
    });
    const token = encodeHexLowerCase(randomBytes(16));
    const marks = opts.types.map(() => '?').join(', ');
    // Each type's own lease length, chosen in the same statement as the row.
    const leaseCase = `CASE type ${opts.types.map(() => 'WHEN ? THEN ?').join(' ')} END`;
    const leaseArgs = opts.types.flatMap((t) => [t, iso(plus(now, opts.leaseMs(t)))]);
    const row = (
      await this.client.execute({
        sql: `UPDATE jobs SET status = 'running', attempts = attempts + 1, lease_owner = ?, lease_token = ?, lease_until = ${leaseCase},
                last_error = CASE WHEN status = 'running' THEN 'LeaseExpired: the worker stopped answering; taken over' ELSE last_error END,
                started_at = coalesce(started_at, ?), updated_at = ?
              WHERE id = (SELECT id FROM jobs WHERE type IN (${marks})
                            AND ((status = 'queued' AND run_after <= ?) OR (status = 'running' AND lease_until < ? AND attempts < max_attempts))
                          ORDER BY run_after, created_at LIMIT 1)
              RETURNING id, type, clinic_id, payload, attempts, max_attempts`,
        args: [opts.owner, token, ...leaseArgs, iso(now), iso(now), ...opts.types, iso(now), iso(now)],
      })
    ).rows[0];
    if (!row) return undefined;
    const job: ClaimedJob = {
      id: String(row.id),
      type: String(row.type),
      clinicId: row.clinic_id == null ? null : String(row.clinic_id),
      payload: JSON.parse(String(row.payload)) as JobPayload,
      attempt: Number(row.attempts),
      maxAttempts: Number(row.max_attempts),
      leaseToken: token,
      resultKey: (name?: string) => jobResultKey(String(row.id), name),
    };
    return job;
  }

  /** Extends the lease; false when it is no longer ours (taken over after it ran out). */
  async heartbeat(job: ClaimedJob, leaseMs: number): Promise<boolean> {
    const now = this.clock.now();
    return this.fenced(job, 'lease_until = ?, updated_at = ?', [iso(plus(now, leaseMs)), iso(now)]);
  }

  /** Records the step and percent (and extends the lease). */
  async progress(job: ClaimedJob, step: string, percent: number, leaseMs: number): Promise<boolean> {
    const now = this.clock.now();
    const pct = Math.max(0, Math.min(100, Math.round(Number.isFinite(percent) ? percent : 0)));
    return this.fenced(job, 'progress_step = ?, progress_percent = ?, lease_until = ?, updated_at = ?', [
      step.slice(0, 100),
      pct,
      iso(plus(now, leaseMs)),
      iso(now),
    ]);
  }

  /** Marks the job done with the handler's result, in one UPDATE; false when the lease was lost. */
  async complete(job: ClaimedJob, result: JobJson | null): Promise<boolean> {
    const now = iso(this.clock.now());
    return this.fenced(
      job,
      `status = 'done', result = ?, progress_percent = 100, finished_at = ?, lease_until = NULL, lease_token = NULL, updated_at = ?`,
      [JSON.stringify(result), now, now],
    );
  }

  /**
   * Records a failed attempt: queued again after `delaySeconds`, or dead once it has used its
   * attempts. 'lost' when the lease was no longer ours (nothing changed).
   */
  async fail(job: ClaimedJob, error: string, delaySeconds: number): Promise<Exclude<JobStatus, 'running' | 'done'> | 'lost'> {
    const now = this.clock.now();
    const row = (
      await this.client.execute({
        sql: `UPDATE jobs SET status = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'queued' END,
                finished_at = CASE WHEN attempts >= max_attempts THEN ? ELSE NULL END,
                run_after = ?, last_error = ?, lease_until = NULL, lease_token = NULL, lease_owner = NULL, updated_at = ?
              WHERE id = ? AND lease_token = ? AND status = 'running' RETURNING status`,
        args: [iso(now), iso(plus(now, delaySeconds * 1000)), error.slice(0, 500), iso(now), job.id, job.leaseToken],
      })
    ).rows[0];
    return row ? (String(row.status) as 'queued' | 'dead') : 'lost';
  }

  /** Gives the job back unfinished (the worker is stopping): queued again at once, the attempt not counted. */
  async release(job: ClaimedJob): Promise<boolean> {
    const now = iso(this.clock.now());
    return this.fenced(
      job,
      `status = 'queued', attempts = attempts - 1, run_after = ?, lease_until = NULL, lease_token = NULL, lease_owner = NULL, updated_at = ?`,
      [now, now],
    );
  }

  /** `set` is always a constant of this file (VE1): every value travels in `args`. */
  private async fenced(job: ClaimedJob, set: string, args: (string | number | null)[]): Promise<boolean> {
    const r = await this.client.execute({
      sql: `UPDATE jobs SET ${set} WHERE id = ? AND lease_token = ? AND status = 'running'`,
      args: [...args, job.id, job.leaseToken],
    });
    return r.rowsAffected === 1;
  }
}

function viewOf(row: Row): JobView {
  const str = (v: unknown) => (v == null ? null : String(v));
  return {
    id: String(row.id),
    type: String(row.type),
    clinicId: str(row.clinic_id),
    status: String(row.status) as JobStatus,
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
    progress: { step: str(row.progress_step), percent: Number(row.progress_percent) },
    result: row.result == null ? null : (JSON.parse(String(row.result)) as JobJson),
    lastError: str(row.last_error),
    createdAt: String(row.created_at),
    startedAt: str(row.started_at),
    finishedAt: str(row.finished_at),
  };
}
