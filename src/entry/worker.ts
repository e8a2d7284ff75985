// Cloudflare Workers entry ({ fetch, queue }); wiring only. Databases are not available on Workers
// yet, so the app is built without `data`: /healthz and data routes answer 503, public pages render.
import type { Hono } from 'hono';
import { buildApp, loadStatic } from '../app.ts';
import type { AppEnv } from '../http/env.ts';
import { workerPlatform, type QueueBatch, type WorkerEnv, type WorkerExecutionContext } from '../platform/worker/index.ts';
import { consumeJobBatch } from '../platform/worker/job-queue.ts';
import { jobHandlers } from '../jobs/registry.ts';

const platform = workerPlatform();
// The job types this target can run, through the same registry as the self-host worker. None yet:
// every job reads a clinic database, and Workers have none (messages are acked and logged by id).
const handlers = jobHandlers();

// Built on the first request, then reused for the isolate's lifetime. Workers forbid random numbers
// and async I/O at module scope, so this cannot run at import time.
let app: Promise<Hono<AppEnv>> | undefined;

function theApp(): Promise<Hono<AppEnv>> {
  app ??= (async () =>
    buildApp({
      config: { production: true },
      clock: platform.clock,
      log: platform.log,
      static: await loadStatic(platform.assets),
    }))().catch((e: unknown) => {
    app = undefined; // let the next request try again rather than caching the failure
    throw e;
  });
  return app;
}

export default {
  async fetch(req: Request, env: WorkerEnv, ctx: WorkerExecutionContext): Promise<Response> {
    return (await theApp()).fetch(req, env, ctx);
  },

  async queue(batch: QueueBatch, _env: WorkerEnv, _ctx: WorkerExecutionContext): Promise<void> {
    await consumeJobBatch(batch, handlers, platform.log);
  },
};
