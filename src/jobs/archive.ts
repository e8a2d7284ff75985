// The archive job types: build a patient archive, and delete it once its 24 hours are over.
import type { JobHandlerRegistry } from '../platform/job-queue.ts';
import { ARCHIVE_ATTEMPTS, ARCHIVE_EXPIRE_JOB, ARCHIVE_JOB, type ArchiveService } from '../features/archives/service.ts';
import { errorLine } from './worker.ts';

export function registerArchiveJobs(handlers: JobHandlerRegistry, archives: ArchiveService, opts: { leaseMs: number }): void {
  handlers.register(
    ARCHIVE_JOB,
    async (job) => {
      try {
        return await archives.runJob(job);
      } catch (err) {
        const { clinicId, archiveId } = job.payload as { clinicId: string; archiveId: string };
        // The last attempt: the archive says it failed (the job itself goes to the dead letters).
        if (job.attempt >= ARCHIVE_ATTEMPTS) await archives.markFailed(clinicId, archiveId, errorLine(err));
        throw err;
      }
    },
    { leaseMs: opts.leaseMs },
  );
  handlers.register(ARCHIVE_EXPIRE_JOB, async (job) => {
    const { clinicId, archiveId } = job.payload as { clinicId: string; archiveId: string };
    return { expired: await archives.expire(clinicId, archiveId) };
  });
}
