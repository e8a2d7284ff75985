// The JobQueue port: background work (archives, exports, backups, retention) that outlives a request.
// Adapters: src/jobs/queue-sqlite.ts (self-host: durable rows in the control database, an in-process
// worker) and src/platform/worker/job-queue.ts (Cloudflare Queues). Both run the handlers of one
// JobHandlerRegistry, so a job type is written once.
//
// Delivery is at least once on every target: a worker can die after its handler finished and before
// the completion was recorded. So a handler must be idempotent: it writes its result under a key
// derived from the job (JobContext.resultKey), overwriting a half-written one, and a re-run converges
// on the same single result instead of making a second.

/** JSON a job carries. Ids only, never patient data: payloads live in the control database and in queues. */
export type JobPayload = { [key: string]: JobJson };
export type JobJson = string | number | boolean | null | JobJson[] | { [key: string]: JobJson };

export interface EnqueueOptions {
  /** The clinic the job works for (jobs of a clinic are listed and authorised by it). */
  clinicId?: string;
  /**
   * While a job with this key is queued or running, enqueueing the same key returns that job instead
   * of a second one (a double-clicked "Create archive"). Include the clinic in the key.
   */
  dedupeKey?: string;
  /** Attempts after which a failing job is dead-lettered (status dead); default 5. */
  maxAttempts?: number;
  /** Not before this time. */
  runAfter?: Date;
}

export interface EnqueuedJob {
  id: string;
  /** True when an existing job with the same dedupe key was returned instead of a new one. */
  deduped: boolean;
}

export interface JobQueue {
  enqueue(type: string, payload: JobPayload, opts?: EnqueueOptions): Promise<EnqueuedJob>;
}

export type JobStatus = 'queued' | 'running' | 'done' | 'dead';

/** What a progress bar and a status page can know about a job. */
export interface JobView {
  id: string;
  type: string;
  clinicId: string | null;
  status: JobStatus;
  attempts: number;
  maxAttempts: number;
  progress: { step: string | null; percent: number };
  /** What the handler returned (where its result lives), once done. */
  result: JobJson | null;
  /** The last failure, as `Name: first line` (handlers must not put patient data in messages). */
  lastError: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** Targets that keep jobs can say how one is doing (the self-host queue; not Cloudflare Queues). */
export interface JobStatusReader {
  get(id: string): Promise<JobView | undefined>;
}

/** What a handler gets for one attempt. */
export interface JobContext {
  jobId: string;
  type: string;
  clinicId: string | null;
  payload: JobPayload;
  /** 1 for the first attempt. */
  attempt: number;
  /**
   * A key unique to this job, the same on every attempt: where the handler writes its result
   * (a blob name, a row id), so that a re-run after a crash replaces rather than duplicates it.
   */
  resultKey(name?: string): string;
  /** Records the current step and percent (0-100) for a progress bar; also proves the worker is alive. */
  progress(step: string, percent: number): Promise<void>;
  /** Aborted when the lease is lost (another worker took the job) or the worker is stopping. */
  signal: AbortSignal;
}

/** Runs one attempt; what it returns (JSON) is stored as the job's result. Throwing fails the attempt. */
export type JobHandler = (ctx: JobContext) => Promise<JobJson | void>;

export interface JobTypeOptions {
  /**
   * How long a worker holds a job between heartbeats (self-host; default 60 s). A worker that dies
   * is noticed when this runs out, and the job runs again elsewhere.
   */
  leaseMs?: number;
}

/** The job types a process can run: the same registry serves every target's worker. */
export interface JobHandlerRegistry {
  register(type: string, handler: JobHandler, opts?: JobTypeOptions): void;
  get(type: string): { handler: JobHandler; opts: JobTypeOptions } | undefined;
  types(): string[];
}

/** A job type is a short lower-case name ("archive", "export.clinic"). */
export const JOB_TYPE_PATTERN = /^[a-z][a-z0-9._-]{0,63}$/;

/** The deterministic result key of a job (JobContext.resultKey). */
export function jobResultKey(jobId: string, name = 'result'): string {
  return `jobs/${jobId}/${name}`;
}

/** Seconds to wait before the next attempt after `failures` failures: 30 s, 1 min, 2 min... capped at 1 h. */
export function backoffSeconds(failures: number, baseSeconds = 30, maxSeconds = 3600): number {
  return Math.min(maxSeconds, baseSeconds * 2 ** Math.max(0, failures - 1));
}
