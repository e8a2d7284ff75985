// Cloudflare Workers entry ({ fetch, queue }); wiring only. Databases are not available on Workers
// yet, so the app is built without `data`: /healthz and data routes answer 503, public pages render.
import type { Hono } from 'hono';
import { buildApp, loadStatic } from '../app.ts';
import type { AppEnv } from '../http/env.ts';
import { workerPlatform, type QueueBatch, type WorkerEnv, type WorkerExecutionContext } from '../platform/worker/index.ts';

const platform = workerPlatform();

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
    // The archive issue replaces this with the shared job handler. Until then a job cannot run here:
    // acknowledge it so the queue does not redeliver it forever. Log ids only, never bodies (LG2).
    for (const msg of batch.messages) msg.ack();
    platform.log.warn('jobs are not available on this target yet', {
      queue: batch.queue,
      count: batch.messages.length,
      ids: batch.messages.map((m) => m.id),
    });
  },
};
