// The one list of job types a process can run, shared by the self-host worker and the Workers
// queue consumer (src/platform/job-queue.ts explains the idempotency every handler owes).
import { JOB_TYPE_PATTERN, type JobHandler, type JobHandlerRegistry, type JobTypeOptions } from '../platform/job-queue.ts';

export function jobHandlers(): JobHandlerRegistry {
  const byType = new Map<string, { handler: JobHandler; opts: JobTypeOptions }>();
  return {
    register(type, handler, opts = {}) {
      if (!JOB_TYPE_PATTERN.test(type)) throw new Error(`job type "${type}" must be a short lower-case name`);
      if (byType.has(type)) throw new Error(`job type "${type}" is registered twice`);
      if (opts.leaseMs !== undefined && !(Number.isInteger(opts.leaseMs) && opts.leaseMs >= 100)) {
        throw new Error(`job type "${type}": leaseMs must be a whole number of milliseconds >= 100`);
      }
      byType.set(type, { handler, opts });
    },
    get: (type) => byType.get(type),
    types: () => [...byType.keys()].sort(),
  };
}
