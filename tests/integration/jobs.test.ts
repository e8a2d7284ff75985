// The job queue: leases that expire and are extended by heartbeats, writes fenced by the lease,
// retry with exponential backoff, dead-letter after the last attempt, dedupe keys, progress, the
// in-process worker (wake-up on enqueue, clean stop), two workers on one database, and the
// Cloudflare Queue consumer running the same handler registry.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Client as LibsqlClient } from '@libsql/client';
import { FakeClock, memoryLogger, testInstall, TEST_MASTER_KEY, type TestInstall } from '../helpers/system.ts';
import { SqliteJobQueue } from '../../src/jobs/queue-sqlite.ts';
import { JobWorker } from '../../src/jobs/worker.ts';
import { jobHandlers } from '../../src/jobs/registry.ts';
import { backoffSeconds, type JobHandler } from '../../src/platform/job-queue.ts';
import { consumeJobBatch, queueJobQueue, type JobEnvelope } from '../../src/platform/worker/job-queue.ts';
import type { QueueBatch, QueueMessage } from '../../src/platform/worker/types.ts';
import { controlDbKey, parseMasterKey } from '../../src/crypto/keys.ts';
import { CONTROL_DB_FILE } from '../../src/tenancy/master-key.ts';
import { tuneConnection } from '../../src/tenancy/db.ts';

let t: TestInstall;
const clock = new FakeClock();
let queue: SqliteJobQueue;
const owner = 'worker_a';
const lease = () => 60_000;

beforeAll(async () => {
  t = await testInstall();
  queue = new SqliteJobQueue(t.system.controlClient, clock);
});
afterAll(() => t.close());
afterEach(async () => {
  // Each test starts with an empty queue (claims are by due time across all rows).
  await t.system.controlClient.execute('DELETE FROM jobs');
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('SqliteJobQueue with a fake clock', () => {
  it('a lease runs out unless extended; the new holder fences out the old one', async () => {
    const { id } = await queue.enqueue('test.a', { n: 1 });
    expect((await queue.get(id))!.status).toBe('queued');
    const first = (await queue.claim({ owner, types: ['test.a'], leaseMs: lease }))!;
    expect(first).toMatchObject({ id, attempt: 1, payload: { n: 1 } });
    expect(await queue.claim({ owner: 'worker_b', types: ['test.a'], leaseMs: lease })).toBeUndefined();

    clock.advance(50_000);
    expect(await queue.heartbeat(first, 60_000)).toBe(true); // now leased until +110 s
    clock.advance(50_000);
    expect(await queue.claim({ owner: 'worker_b', types: ['test.a'], leaseMs: lease })).toBeUndefined();
    clock.advance(10_001);
    const second = (await queue.claim({ owner: 'worker_b', types: ['test.a'], leaseMs: lease }))!;
    expect(second).toMatchObject({ id, attempt: 2 });
    expect((await queue.get(id))!.lastError).toMatch(/^LeaseExpired/);

    // The first worker wakes up: nothing it writes counts any more.
    expect(await queue.heartbeat(first, 60_000)).toBe(false);
    expect(await queue.progress(first, 'late', 90, 60_000)).toBe(false);
    expect(await queue.complete(first, { from: 'first' })).toBe(false);
    expect(await queue.fail(first, 'Error: late', 30)).toBe('lost');

    expect(await queue.progress(second, 'writing', 40, 60_000)).toBe(true);
    expect((await queue.get(id))!.progress).toEqual({ step: 'writing', percent: 40 });
    expect(await queue.complete(second, { key: second.resultKey() })).toBe(true);
    const done = (await queue.get(id))!;
    expect(done).toMatchObject({ status: 'done', attempts: 2, result: { key: `jobs/${id}/result` }, progress: { percent: 100 } });
    expect(done.finishedAt).toBe(clock.now().toISOString());
    expect(await queue.claim({ owner, types: ['test.a'], leaseMs: lease })).toBeUndefined();
  });

  it('failures back off exponentially (30 s, 60 s, 120 s) and the last allowed one dead-letters the job', async () => {
    expect([1, 2, 3, 4, 8, 20].map((n) => backoffSeconds(n))).toEqual([30, 60, 120, 240, 3600, 3600]);
    const { id } = await queue.enqueue('test.b', {}, { maxAttempts: 4 });
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 4; attempt++) {
      const job = (await queue.claim({ owner, types: ['test.b'], leaseMs: lease }))!;
      expect(job.attempt).toBe(attempt);
      const status = await queue.fail(job, `Error: attempt ${attempt} failed`, backoffSeconds(attempt));
      expect(status).toBe(attempt < 4 ? 'queued' : 'dead');
      if (attempt === 4) break;
      // Not a millisecond early, then due.
      const delay = backoffSeconds(attempt) * 1000;
      clock.advance(delay - 1);
      expect(await queue.claim({ owner, types: ['test.b'], leaseMs: lease })).toBeUndefined();
      clock.advance(1);
      waits.push(delay / 1000);
    }
    expect(waits).toEqual([30, 60, 120]);
    const dead = (await queue.get(id))!;
    expect(dead).toMatchObject({ status: 'dead', attempts: 4, lastError: 'Error: attempt 4 failed' });
    expect(dead.finishedAt).not.toBeNull();
    clock.advance(86_400_000);
    expect(await queue.claim({ owner, types: ['test.b'], leaseMs: lease })).toBeUndefined();
  });

  it('a job whose worker dies on every attempt is dead-lettered when its last lease runs out', async () => {
    const { id } = await queue.enqueue('test.c', {}, { maxAttempts: 2 });
    expect((await queue.claim({ owner, types: ['test.c'], leaseMs: lease }))!.attempt).toBe(1);
    clock.advance(60_001);
    expect((await queue.claim({ owner, types: ['test.c'], leaseMs: lease }))!.attempt).toBe(2);
    clock.advance(60_001);
    expect(await queue.claim({ owner, types: ['test.c'], leaseMs: lease })).toBeUndefined();
    expect((await queue.get(id))!).toMatchObject({ status: 'dead', attempts: 2, lastError: expect.stringMatching(/^LeaseExpired/) });
  });

  it('a dedupe key enqueues once while the job is queued or running, and again once it is done', async () => {
    const a = await queue.enqueue('test.d', { x: 1 }, { dedupeKey: 'archive:c1:p1' });
    const b = await queue.enqueue('test.d', { x: 2 }, { dedupeKey: 'archive:c1:p1' });
    expect(b).toEqual({ id: a.id, deduped: true });
    const job = (await queue.claim({ owner, types: ['test.d'], leaseMs: lease }))!;
    expect((await queue.enqueue('test.d', {}, { dedupeKey: 'archive:c1:p1' })).id).toBe(a.id);
    expect((await queue.enqueue('test.d', {}, { dedupeKey: 'archive:c1:p2' })).deduped).toBe(false);
    await queue.complete(job, null);
    const c = await queue.enqueue('test.d', {}, { dedupeKey: 'archive:c1:p1' });
    expect(c.deduped).toBe(false);
    expect(c.id).not.toBe(a.id);
    const rows = await t.system.controlClient.execute("SELECT count(*) AS n FROM jobs WHERE dedupe_key = 'archive:c1:p1'");
    expect(Number(rows.rows[0]!.n)).toBe(2);
  });

  it('workers claim only the types they run, jobs only when due, and payloads stay small', async () => {
    await queue.enqueue('test.e', {}, { runAfter: new Date(clock.now().getTime() + 5000) });
    expect(await queue.claim({ owner, types: ['test.other'], leaseMs: lease })).toBeUndefined();
    expect(await queue.claim({ owner, types: ['test.e'], leaseMs: lease })).toBeUndefined();
    clock.advance(5000);
    const job = (await queue.claim({ owner, types: ['test.other', 'test.e'], leaseMs: (type) => (type === 'test.e' ? 1000 : 60_000) }))!;
    expect(job.type).toBe('test.e');
    clock.advance(1001); // the type's own, shorter lease
    expect((await queue.claim({ owner: 'worker_b', types: ['test.e'], leaseMs: lease }))!.attempt).toBe(2);
    await expect(queue.enqueue('Bad Type', {})).rejects.toThrow();
    await expect(queue.enqueue('test.e', { blob: 'x'.repeat(20_000) })).rejects.toThrow(/payload/);
  });

  it('release gives a job back without counting the attempt', async () => {
    const { id } = await queue.enqueue('test.f', {});
    const job = (await queue.claim({ owner, types: ['test.f'], leaseMs: lease }))!;
    expect(await queue.release(job)).toBe(true);
    expect((await queue.get(id))!).toMatchObject({ status: 'queued', attempts: 0 });
    expect((await queue.claim({ owner, types: ['test.f'], leaseMs: lease }))!.attempt).toBe(1);
  });
});

describe('JobWorker', () => {
  it('runs a handler with progress and a result key that is the same on every attempt; failures retry', async () => {
    const keys: string[] = [];
    const seen: { step: string | null; percent: number }[] = [];
    const handlers = jobHandlers();
    handlers.register('test.w', async (ctx) => {
      keys.push(ctx.resultKey('zip'));
      await ctx.progress('collecting', 30);
      seen.push((await queue.get(ctx.jobId))!.progress);
      if (ctx.attempt === 1) throw new Error('first attempt fails');
      return { stored: ctx.resultKey('zip') };
    });
    const log = memoryLogger();
    const worker = new JobWorker({ queue, handlers, clock, log });
    const { id } = await queue.enqueue('test.w', { patient: 'p_1' });
    expect(await worker.runOnce()).toBe(true);
    expect((await queue.get(id))!).toMatchObject({ status: 'queued', attempts: 1, lastError: 'Error: first attempt fails' });
    expect(await worker.runOnce()).toBe(false); // backing off
    clock.advance(30_000);
    expect(await worker.runOnce()).toBe(true);
    expect((await queue.get(id))!).toMatchObject({ status: 'done', attempts: 2, result: { stored: `jobs/${id}/zip` } });
    expect(keys).toEqual([`jobs/${id}/zip`, `jobs/${id}/zip`]);
    expect(seen).toEqual([{ step: 'collecting', percent: 30 }, { step: 'collecting', percent: 30 }]);
    // LG2: ids and types in the log, never payloads.
    expect(log.lines.join('\n')).not.toContain('p_1');
  });

  it('the loop wakes on enqueue, and stop() aborts a running job and gives it back unfinished', async () => {
    const real = { now: () => new Date() };
    const q = new SqliteJobQueue(t.system.controlClient, real);
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const handlers = jobHandlers();
    handlers.register('test.slow', (ctx) => {
      started();
      return new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason as Error)));
    });
    const worker = new JobWorker({ queue: q, handlers, clock: real, log: memoryLogger(), pollMs: 60_000 });
    worker.start();
    await sleep(50); // the loop is now idle, waiting up to a minute
    const t0 = Date.now();
    const { id } = await q.enqueue('test.slow', {});
    await running;
    expect(Date.now() - t0).toBeLessThan(2000);
    expect((await q.get(id))!.status).toBe('running');
    await worker.stop();
    expect((await q.get(id))!).toMatchObject({ status: 'queued', attempts: 0 });
  });

  it('two workers on separate connections never run the same job at once, and each job runs once', async () => {
    const real = { now: () => new Date() };
    const second: LibsqlClient = await t.platform.db.open(t.platform.dataDir.resolve(CONTROL_DB_FILE), await controlDbKey(parseMasterKey(TEST_MASTER_KEY)));
    await tuneConnection(second);
    try {
      const active = new Set<string>();
      const runs = new Map<string, number>();
      const overlaps: string[] = [];
      const handler: JobHandler = async (ctx) => {
        if (active.has(ctx.jobId)) overlaps.push(ctx.jobId);
        active.add(ctx.jobId);
        runs.set(ctx.jobId, (runs.get(ctx.jobId) ?? 0) + 1);
        await sleep(2 + (Number(ctx.payload.i) % 7) * 3);
        active.delete(ctx.jobId);
      };
      const make = (client: LibsqlClient) => {
        const handlers = jobHandlers();
        handlers.register('test.many', handler);
        return new JobWorker({ queue: new SqliteJobQueue(client, real), handlers, clock: real, log: memoryLogger(), pollMs: 20, concurrency: 3 });
      };
      const a = make(t.system.controlClient);
      const b = make(second);
      const q = new SqliteJobQueue(t.system.controlClient, real);
      const ids: string[] = [];
      for (let i = 0; i < 40; i++) ids.push((await q.enqueue('test.many', { i })).id);
      a.start();
      b.start();
      await expect
        .poll(async () => Number((await t.system.controlClient.execute("SELECT count(*) AS n FROM jobs WHERE status = 'done'")).rows[0]!.n), { timeout: 20_000, interval: 50 })
        .toBe(40);
      await Promise.all([a.stop(), b.stop()]);
      expect(overlaps).toEqual([]);
      expect(ids.map((id) => runs.get(id))).toEqual(ids.map(() => 1));
      const owners = await t.system.controlClient.execute('SELECT DISTINCT lease_owner FROM jobs');
      expect(owners.rows.map((r) => r.lease_owner).sort()).toEqual([a.owner, b.owner].sort());
    } finally {
      second.close();
    }
  });
});

describe('Cloudflare Queues adapter', () => {
  function message(id: string, body: unknown, attempts = 1) {
    const m = { id, body, attempts, timestamp: new Date(), acked: false, retried: undefined as undefined | { delaySeconds?: number } };
    return Object.assign(m, { ack: () => void (m.acked = true), retry: (o?: { delaySeconds?: number }) => void (m.retried = o ?? {}) });
  }
  const batch = (messages: QueueMessage[]): QueueBatch => ({ queue: 'invent-jobs', messages, ackAll() {}, retryAll() {} });

  it('the producer sends an envelope the consumer runs through the same registry: ack on success, retry with backoff on failure', async () => {
    const sent: unknown[] = [];
    const producer = { send: async (body: unknown) => void sent.push(body) };
    const jq = queueJobQueue(producer);
    await jq.enqueue('test.cf', { patientId: 'p_secret' }, { clinicId: 'c_1' });
    await jq.enqueue('test.cf', { fail: true });
    const envelopes = sent as JobEnvelope[];
    expect(envelopes[0]).toMatchObject({ v: 1, type: 'test.cf', clinicId: 'c_1', payload: { patientId: 'p_secret' } });

    const ran: string[] = [];
    const handlers = jobHandlers();
    handlers.register('test.cf', async (ctx) => {
      ran.push(`${ctx.jobId}:${ctx.resultKey()}`);
      if (ctx.payload.fail) throw new Error('boom p_secret');
    });
    const ok = message('m1', envelopes[0]);
    const bad = message('m2', envelopes[1], 3);
    const unknown = message('m3', { ...envelopes[0], type: 'test.nothere' });
    const junk = message('m4', 'secret-text');
    const log = memoryLogger();
    await consumeJobBatch(batch([ok, bad, unknown, junk]), handlers, log);
    expect(ran).toEqual([`${envelopes[0]!.id}:jobs/${envelopes[0]!.id}/result`, `${envelopes[1]!.id}:jobs/${envelopes[1]!.id}/result`]);
    expect([ok.acked, bad.acked, unknown.acked, junk.acked]).toEqual([true, false, true, true]);
    expect(bad.retried).toEqual({ delaySeconds: backoffSeconds(3) });
    const text = log.lines.join('\n');
    expect(text).toContain('m3');
    expect(text).not.toMatch(/secret/);
  });
});
