// The JobQueue on Cloudflare Workers: a Queue producer binding sends jobs, and the Worker's `queue()`
// export runs them with the same handler registry as the self-host worker. Cloudflare keeps the
// message invisible while it runs, redelivers it after a failure (retry with backoff here) and moves
// it to the dead-letter queue after `max_retries` (wrangler.toml). Queues have no dedupe: handlers are
// idempotent by their result key (src/platform/job-queue.ts), which is what makes a redelivery safe.
import type { Logger } from '../ports.ts';
import {
  backoffSeconds,
  jobResultKey,
  JOB_TYPE_PATTERN,
  type JobContext,
  type JobHandlerRegistry,
  type JobPayload,
  type JobQueue,
} from '../job-queue.ts';
import { newId } from '../../crypto/bytes.ts';
import type { QueueBatch, QueueMessage, QueueProducer } from './types.ts';

/** What travels in a queue message. */
export interface JobEnvelope {
  v: 1;
  id: string;
  type: string;
  clinicId: string | null;
  dedupeKey: string | null;
  payload: JobPayload;
}

export function queueJobQueue(producer: QueueProducer): JobQueue {
  return {
    async enqueue(type, payload, opts = {}) {
      if (!JOB_TYPE_PATTERN.test(type)) throw new Error(`job type "${type}" must be a short lower-case name`);
      const envelope: JobEnvelope = { v: 1, id: newId('job'), type, clinicId: opts.clinicId ?? null, dedupeKey: opts.dedupeKey ?? null, payload };
      const delay = opts.runAfter ? Math.max(0, Math.ceil((opts.runAfter.getTime() - Date.now()) / 1000)) : 0;
      await producer.send(envelope, { contentType: 'json', ...(delay > 0 ? { delaySeconds: Math.min(delay, 43_200) } : {}) });
      return { id: envelope.id, deduped: false };
    },
  };
}

function envelopeOf(body: unknown): JobEnvelope | undefined {
  const b = body as Partial<JobEnvelope> | null;
  if (!b || typeof b !== 'object' || b.v !== 1) return undefined;
  if (typeof b.id !== 'string' || typeof b.type !== 'string' || !JOB_TYPE_PATTERN.test(b.type)) return undefined;
  if (!b.payload || typeof b.payload !== 'object' || Array.isArray(b.payload)) return undefined;
  return { v: 1, id: b.id, type: b.type, clinicId: typeof b.clinicId === 'string' ? b.clinicId : null, dedupeKey: null, payload: b.payload };
}

/** Runs a batch: ack on success, retry with backoff on failure; messages no handler here can run are acked and logged (ids only, LG2). */
export async function consumeJobBatch(batch: QueueBatch, handlers: JobHandlerRegistry, log: Logger): Promise<void> {
  const unrunnable: string[] = [];
  for (const msg of batch.messages) {
    const job = envelopeOf(msg.body);
    const entry = job && handlers.get(job.type);
    if (!job || !entry) {
      // Redelivering cannot help: the message is malformed, or this deployment has no such job type.
      msg.ack();
      unrunnable.push(msg.id);
      continue;
    }
    await runOne(msg, job, entry.handler, log);
  }
  if (unrunnable.length > 0) {
    log.warn('jobs are not available on this target yet', { queue: batch.queue, count: unrunnable.length, ids: unrunnable });
  }
}

async function runOne(msg: QueueMessage, job: JobEnvelope, handler: (ctx: JobContext) => Promise<unknown>, log: Logger): Promise<void> {
  const ctx: JobContext = {
    jobId: job.id,
    type: job.type,
    clinicId: job.clinicId,
    payload: job.payload,
    attempt: msg.attempts,
    resultKey: (name?: string) => jobResultKey(job.id, name),
    progress: async () => {},
    signal: new AbortController().signal,
  };
  try {
    await handler(ctx);
    msg.ack();
    log.info('job done', { job: job.id, type: job.type, attempt: msg.attempts });
  } catch (err) {
    msg.retry({ delaySeconds: backoffSeconds(msg.attempts) });
    log.warn('job attempt failed; will retry', { job: job.id, type: job.type, attempt: msg.attempts, error: (err as Error)?.name ?? 'Error' });
  }
}
