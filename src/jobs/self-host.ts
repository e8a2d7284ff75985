// The self-host job set-up: which job types this installation runs, and the worker `invent serve`
// starts over the control database's queue.
import type { Clock, Logger } from '../platform/ports.ts';
import type { JobHandlerRegistry } from '../platform/job-queue.ts';
import type { System } from '../tenancy/system.ts';
import { jobHandlers } from './registry.ts';
import { registerArchiveJobs } from './archive.ts';
import { services } from '../system-app.ts';
import { SqliteJobQueue } from './queue-sqlite.ts';
import { JobWorker } from './worker.ts';

export interface JobDeps {
  system: System;
  clock: Clock;
  log: Logger;
}

/** Every job type of a self-hosted installation (the archive builder registers here). */
export function selfHostJobHandlers(deps: JobDeps): JobHandlerRegistry {
  const handlers = jobHandlers();
  registerArchiveJobs(handlers, services(deps.system, deps.clock).archives, { leaseMs: deps.system.config.jobLeaseSeconds * 1000 });
  return handlers;
}

/** Starts the in-process worker; stop() it before the system closes. */
export function startJobWorker(deps: JobDeps, handlers = selfHostJobHandlers(deps)): JobWorker {
  const worker = new JobWorker({ queue: new SqliteJobQueue(deps.system.controlClient, deps.clock), handlers, clock: deps.clock, log: deps.log });
  worker.start();
  return worker;
}
