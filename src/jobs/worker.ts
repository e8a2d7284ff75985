// The in-process worker of the self-host queue: leases due jobs of the types it has handlers for,
// keeps each lease alive with a heartbeat while the handler runs, and records the outcome: done,
// queued again after a backoff, or dead after the job's last allowed attempt. `invent serve` starts
// one; tests and CLI verbs can call runOnce() to work the queue by hand.
import type { Clock, Logger } from '../platform/ports.ts';
import { backoffSeconds, type JobContext, type JobHandlerRegistry, type JobJson } from '../platform/job-queue.ts';
import { newId } from '../crypto/bytes.ts';
import type { ClaimedJob, SqliteJobQueue } from './queue-sqlite.ts';

export interface JobWorkerOptions {
  queue: SqliteJobQueue;
  handlers: JobHandlerRegistry;
  clock: Clock;
  log: Logger;
  /** Default lease; a job type may ask for its own (JobTypeOptions.leaseMs). */
  leaseMs?: number;
  /** How often an idle worker looks for due jobs (enqueues in this process wake it at once). */
  pollMs?: number;
  /** Jobs run at the same time by this worker. */
  concurrency?: number;
  /** How long stop() lets running handlers finish after asking them to abort. */
  stopGraceMs?: number;
  /** Base of the retry backoff (30 s, 60 s, 120 s... by default). */
  backoffBaseSeconds?: number;
}

/** A failure as stored and logged: class and first line only (messages must not carry patient data). */
export function errorLine(err: unknown): string {
  const e = err as { name?: string; message?: string } | undefined;
  const message = String(e?.message ?? err).split('\n')[0]!.slice(0, 300);
  return `${e?.name ?? 'Error'}: ${message}`;
}

export class JobWorker {
  readonly owner = newId('worker');
  private running = new Set<Promise<void>>();
  private aborts = new Set<AbortController>();
  private stopping = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private poked = false;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly opts: JobWorkerOptions) {}

  private leaseFor = (type: string) => this.opts.handlers.get(type)?.opts.leaseMs ?? this.opts.leaseMs ?? 60_000;

  start(): void {
    if (this.loop) return;
    this.unsubscribe = this.opts.queue.subscribe(() => this.poke());
    this.loop = this.run();
  }

  /** Stops taking jobs, asks running handlers to abort, waits for them; unfinished jobs are given back. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.unsubscribe?.();
    this.poke();
    await this.loop;
    const grace = this.opts.stopGraceMs ?? 10_000;
    for (const a of this.aborts) a.abort(new Error('the worker is stopping'));
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([Promise.allSettled([...this.running]), new Promise((r) => (timer = setTimeout(r, grace)))]);
    clearTimeout(timer);
  }

  /** Leases and runs one due job to its end; false when nothing was due. */
  async runOnce(): Promise<boolean> {
    const job = await this.opts.queue.claim({ owner: this.owner, types: this.opts.handlers.types(), leaseMs: this.leaseFor });
    if (!job) return false;
    await this.execute(job);
    return true;
  }

  private async run(): Promise<void> {
    const { log } = this.opts;
    const max = this.opts.concurrency ?? 1;
    while (!this.stopping) {
      let claimed = false;
      if (this.running.size < max) {
        try {
          const job = await this.opts.queue.claim({ owner: this.owner, types: this.opts.handlers.types(), leaseMs: this.leaseFor });
          if (job && this.stopping) {
            await this.opts.queue.release(job);
            break;
          }
          if (job) {
            claimed = true;
            const p: Promise<void> = this.execute(job)
              .catch((err: unknown) => log.error('job outcome not recorded', { job: job.id, error: errorLine(err) }))
              .finally(() => {
                this.running.delete(p);
                this.poke();
              });
            this.running.add(p);
          }
        } catch (err) {
          log.error('job queue: claim failed', { error: errorLine(err) });
        }
      }
      if (!claimed && !this.stopping) await this.idle();
    }
  }

  /** Ends the current idle wait, or the next one if the loop is busy (so no wake-up is lost). */
  private poke(): void {
    if (this.wakeUp) this.wakeUp();
    else this.poked = true;
  }

  /** Waits for the poll interval, an enqueue in this process, a finished job or stop(). */
  private idle(): Promise<void> {
    if (this.poked) {
      this.poked = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.opts.pollMs ?? 2000);
      this.wakeUp = done;
    });
  }

  private async execute(job: ClaimedJob): Promise<void> {
    const { queue, log } = this.opts;
    const entry = this.opts.handlers.get(job.type);
    const leaseMs = this.leaseFor(job.type);
    const abort = new AbortController();
    this.aborts.add(abort);
    let lost = false;
    const loseLease = () => {
      if (lost) return;
      lost = true;
      abort.abort(new Error('the job lease was lost'));
      log.warn('job lease lost', { job: job.id, type: job.type, attempt: job.attempt });
    };
    const beat = setInterval(() => {
      queue.heartbeat(job, leaseMs).then(
        (ok) => ok || loseLease(),
        (err: unknown) => log.warn('job heartbeat failed', { job: job.id, error: errorLine(err) }),
      );
    }, Math.max(50, Math.floor(leaseMs / 3)));
    const ctx: JobContext = {
      jobId: job.id,
      type: job.type,
      clinicId: job.clinicId,
      payload: job.payload,
      attempt: job.attempt,
      resultKey: job.resultKey,
      signal: abort.signal,
      progress: async (step, percent) => {
        if (!(await queue.progress(job, step, percent, leaseMs))) loseLease();
      },
    };
    log.info('job started', { job: job.id, type: job.type, attempt: job.attempt });
    try {
      if (!entry) throw new Error(`no handler for job type "${job.type}"`);
      const result = (await entry.handler(ctx)) ?? null;
      // Round-trip now: a result that is not JSON fails the attempt instead of the completion.
      const json = JSON.parse(JSON.stringify(result)) as JobJson;
      if (lost) return;
      if (await queue.complete(job, json)) log.info('job done', { job: job.id, type: job.type, attempt: job.attempt });
      else loseLease();
    } catch (err) {
      if (lost) return;
      if (this.stopping && abort.signal.aborted) {
        await queue.release(job);
        log.info('job given back: the worker is stopping', { job: job.id, type: job.type });
        return;
      }
      const status = await queue.fail(job, errorLine(err), backoffSeconds(job.attempt, this.opts.backoffBaseSeconds));
      const fields = { job: job.id, type: job.type, attempt: job.attempt, error: errorLine(err) };
      if (status === 'dead') log.error('job dead-lettered after its last attempt', fields);
      else if (status === 'queued') log.warn('job attempt failed; will retry', fields);
    } finally {
      clearInterval(beat);
      this.aborts.delete(abort);
    }
  }
}
