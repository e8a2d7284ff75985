// A worker process for the kill -9 test (tests/integration/jobs-crash.test.ts): opens the
// installation in INVENT_DATA_DIR, runs a slow test-only job type, and stops on SIGTERM.
// The handler writes its result the way real handlers must: under the job's deterministic result
// key, to a temporary name renamed into place, so a re-run replaces a half-written one.
import { appendFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { localPlatform } from '../../src/platform/node/index.ts';
import { readConfig } from '../../src/config.ts';
import { openSystem } from '../../src/tenancy/system.ts';
import { jobHandlers } from '../../src/jobs/registry.ts';
import { SqliteJobQueue } from '../../src/jobs/queue-sqlite.ts';
import { JobWorker } from '../../src/jobs/worker.ts';

const dir = process.env.INVENT_DATA_DIR!;
const work = process.env.JOBS_TEST_DIR!;
const platform = localPlatform({ dataDir: dir, env: process.env });
const system = await openSystem(platform, readConfig(process.env));
const handlers = jobHandlers();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

handlers.register(
  'test.slow',
  async (ctx) => {
    appendFileSync(join(work, 'runs.log'), `start ${ctx.jobId} ${ctx.attempt} ${process.pid}\n`);
    const steps = Number(ctx.payload.steps);
    const results = join(work, 'results');
    mkdirSync(results, { recursive: true });
    const file = join(results, ctx.resultKey().replaceAll('/', '_') + '.txt');
    const partial = `${file}.partial`;
    writeFileSync(partial, '');
    for (let i = 0; i < steps; i++) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      appendFileSync(partial, `line ${i}\n`);
      await ctx.progress(`step ${i + 1} of ${steps}`, ((i + 1) * 100) / steps);
      await sleep(Number(ctx.payload.stepMs));
    }
    renameSync(partial, file);
    appendFileSync(join(work, 'runs.log'), `finish ${ctx.jobId} ${ctx.attempt} ${process.pid}\n`);
    return { file: ctx.resultKey() };
  },
  { leaseMs: Number(process.env.JOBS_LEASE_MS ?? 1000) },
);

const worker = new JobWorker({ queue: new SqliteJobQueue(system.controlClient, platform.clock), handlers, clock: platform.clock, log: platform.log, pollMs: 100 });
worker.start();
process.stdout.write(JSON.stringify({ ready: worker.owner }) + '\n');

process.once('SIGTERM', async () => {
  await worker.stop();
  await system.close();
  process.exit(0);
});
