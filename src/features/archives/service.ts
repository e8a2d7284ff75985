// Patient archives (issue 7): an administrator asks for one with a reason; a job builds it
// (src/archive/build.ts), encrypts it into the BlobStore and marks it ready for 24 hours; downloads
// are audited with the archive's size and SHA-256; expired ZIPs are deleted, the record stays.
// Export monitoring: every request, build and download is an audit event with who, why, scope, bytes
// and hash, and more patients archived within an hour than the clinic allows raises a security event.
import { and, eq, ne, sql } from 'drizzle-orm';
import type { Clock } from '../../platform/ports.ts';
import type { BlobStore } from '../../platform/blob-store.ts';
import { putStream } from '../../platform/blob-store.ts';
import type { JobContext, JobQueue, JobStatusReader, JobView } from '../../platform/job-queue.ts';
import type { ClinicHandle, ClinicRegistry } from '../../tenancy/registry.ts';
import { archives } from '../../tenancy/schema/clinic/index.ts';
import { auditedDbWrite } from '../../audit/log.ts';
import { eventFor, type AuditContext } from '../../audit/context.ts';
import type { AuditActor, AuditEvent } from '../../audit/types.ts';
import { permissionsOf } from '../../access/permissions.ts';
import type { Role } from '../../access/roles.ts';
import { newId } from '../../crypto/bytes.ts';
import { decryptStream, encryptStream } from '../../crypto/file.ts';
import type { Lang } from '../../i18n/index.ts';
import type { SecurityEventService } from '../security/service.ts';
import { rowById } from '../patients/repo.ts';
import { buildPatientArchive, type ArchiveSources } from '../../archive/build.ts';
import { measureStream } from '../../archive/zip.ts';
import { ARCHIVE_ID, archiveRow, mrnsOf, archivesOfPatient, archivesPage, expiredArchives, patientsArchivedSince, sealReason, toArchive, type Archive } from './repo.ts';

export type { Archive };

export const ARCHIVE_JOB = 'archive';
export const ARCHIVE_EXPIRE_JOB = 'archive.expire';
/** How long a finished ZIP can be downloaded. */
export const KEEP_HOURS = 24;
/** Attempts at building one archive before it is marked failed. */
export const ARCHIVE_ATTEMPTS = 3;
/** What an archive holds today: the whole record. Recorded so that a narrower export stays visible later. */
const SCOPE = { records: 'all', from: null, to: null } as const;

export class ArchiveForbidden extends Error {
  override name = 'ArchiveForbidden';
}

export interface ArchiveDeps {
  clinics: ClinicRegistry;
  clock: Clock;
  blobs: BlobStore;
  jobs: JobQueue & JobStatusReader;
  sources: ArchiveSources;
  security: Pick<SecurityEventService, 'raise' | 'lastRaisedAt'>;
  /** Display name of a user, for the manifest's createdBy. */
  nameOf(userId: string): Promise<string>;
}

export class ArchiveService {
  constructor(private readonly deps: ArchiveDeps) {}

  private permit(ctx: AuditContext): void {
    if (ctx.actor.kind === 'user' && !permissionsOf(ctx.actor.roles as Role[]).has('export:archive')) throw new ArchiveForbidden('export:archive');
  }

  /** The platform's native SHA-256 where it has one (measureStream falls back to JavaScript). */
  private hashFactory() {
    const native = this.deps.blobs.sha256;
    return native ? () => native.call(this.deps.blobs) : undefined;
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }

  /** Records the request (audited, with its reason and scope) and queues the job that builds it. */
  async request(ctx: AuditContext, patientId: string, reason: string, lang: Lang): Promise<Archive | null> {
    this.permit(ctx);
    const h = await this.deps.clinics.get(ctx.clinicId);
    if (!(await rowById(h.db, patientId))) return null;
    const id = newId('arc');
    const at = this.now();
    const sealed = (await sealReason(h, id, reason))!;
    await auditedDbWrite(h.db, this.deps.clock, async (tx) => {
      await tx.insert(archives).values({ id, patientId, status: 'queued', requestedAt: at, requestedBy: ctx.actor.userId ?? 'operator', reason: sealed, scope: JSON.stringify(SCOPE) });
      return { result: undefined, events: [eventFor(ctx, { action: 'export', outcome: 'success', entity: { type: 'archive', id, patientId }, reason, detail: { op: 'request', scope: 'all' } })] };
    });
    await this.watchVolume(ctx, h);
    const job = await this.deps.jobs.enqueue(ARCHIVE_JOB, { clinicId: ctx.clinicId, archiveId: id, lang }, { clinicId: ctx.clinicId, dedupeKey: `archive:${id}`, maxAttempts: ARCHIVE_ATTEMPTS });
    await h.db.update(archives).set({ jobId: job.id }).where(eq(archives.id, id));
    return (await this.get(ctx.clinicId, id))!;
  }

  /**
   * The operator's archive (`invent archive create`): built now, in this process, into the stream the
   * caller writes to a file. The archive is recorded and audited like any other; `done` settles once
   * the last byte is out, with its size and SHA-256 (the record is marked delivered, or failed).
   */
  async buildNow(ctx: AuditContext, patientId: string, reason: string, lang: Lang): Promise<{ archiveId: string; zip: ReadableStream<Uint8Array>; done: Promise<{ bytes: number; sha256: string; files: number }> } | null> {
    this.permit(ctx);
    const h = await this.deps.clinics.get(ctx.clinicId);
    if (!(await rowById(h.db, patientId))) return null;
    const id = newId('arc');
    const sealed = (await sealReason(h, id, reason))!;
    await auditedDbWrite(h.db, this.deps.clock, async (tx) => {
      await tx.insert(archives).values({ id, patientId, status: 'building', requestedAt: this.now(), requestedBy: ctx.actor.userId ?? 'operator', reason: sealed, scope: JSON.stringify(SCOPE) });
      return { result: undefined, events: [eventFor(ctx, { action: 'export', outcome: 'success', entity: { type: 'archive', id, patientId }, reason, detail: { op: 'request', scope: 'all' } })] };
    });
    await this.watchVolume(ctx, h);
    const built = await buildPatientArchive(this.deps.sources, {
      clinicId: ctx.clinicId,
      patientId,
      createdBy: { kind: ctx.actor.kind === 'user' ? 'user' : 'operator', id: ctx.actor.userId, name: ctx.actor.userId ? await this.deps.nameOf(ctx.actor.userId) : 'operator' },
      lang,
      now: this.deps.clock.now(),
    });
    const { stream: zip, measured } = measureStream(built.zip, this.hashFactory());
    const done = (async () => {
      try {
        const [{ bytes, sha256 }, manifest] = await Promise.all([measured, built.manifest]);
        const files = manifest.files.length + 1;
        await auditedDbWrite(h.db, this.deps.clock, async (tx) => {
          await tx.update(archives).set({ status: 'delivered', bytes, sha256, files, readyAt: this.now() }).where(eq(archives.id, id));
          const detail = { op: 'build', scope: 'all', files, bytes, sha256 };
          return { result: undefined, events: [eventFor(ctx, { action: 'export', outcome: 'success', entity: { type: 'archive', id, patientId }, reason, detail })] };
        });
        return { bytes, sha256, files };
      } catch (err) {
        await this.markFailed(ctx.clinicId, id, err instanceof Error ? `${err.name}: ${err.message.split('\n')[0]}` : 'failed');
        throw err;
      }
    })();
    return { archiveId: id, zip, done };
  }

  /** More patients archived in the last hour than the clinic allows: one security event per hour. */
  private async watchVolume(ctx: AuditContext, h: ClinicHandle): Promise<void> {
    const hourAgo = new Date(this.deps.clock.now().getTime() - 3600_000).toISOString();
    const patients = await patientsArchivedSince(h.db, hourAgo);
    const limit = h.settings.archiveAlertPerHour;
    if (patients <= limit) return;
    const last = await this.deps.security.lastRaisedAt(ctx.clinicId, 'large-export');
    if (last && last >= hourAgo) return;
    await this.deps.security.raise(ctx.clinicId, { kind: 'large-export', subjectUserId: ctx.actor.userId, detail: { patientsInHour: patients, limit } });
  }

  async get(clinicId: string, id: string): Promise<Archive | null> {
    if (!ARCHIVE_ID.test(id)) return null;
    const h = await this.deps.clinics.get(clinicId);
    const row = await archiveRow(h.db, id);
    return row ? toArchive(h, row) : null;
  }

  /** The archive and how its job is doing (for the progress bar). */
  async status(clinicId: string, id: string): Promise<{ archive: Archive; job: JobView | undefined } | null> {
    const archive = await this.get(clinicId, id);
    if (!archive) return null;
    return { archive, job: archive.jobId ? await this.deps.jobs.get(archive.jobId) : undefined };
  }

  async ofPatient(clinicId: string, patientId: string): Promise<Archive[]> {
    const h = await this.deps.clinics.get(clinicId);
    return Promise.all((await archivesOfPatient(h.db, patientId)).map((r) => toArchive(h, r)));
  }

  /** The Exports page: newest first. */
  async list(clinicId: string, opts: { before?: string; limit?: number } = {}): Promise<Archive[]> {
    const h = await this.deps.clinics.get(clinicId);
    return Promise.all((await archivesPage(h.db, { ...(opts.before ? { before: opts.before } : {}), limit: opts.limit ?? 50 })).map((r) => toArchive(h, r)));
  }

  /** MRNs of these patients (the Exports page). */
  async mrnsOf(clinicId: string, patientIds: string[]): Promise<Map<string, string>> {
    const h = await this.deps.clinics.get(clinicId);
    return mrnsOf(h.db, [...new Set(patientIds)]);
  }

  /** The ZIP, decrypted as it is read; the download is audited with its size and hash. */
  async download(ctx: AuditContext, id: string): Promise<{ archive: Archive; body: ReadableStream<Uint8Array> } | 'not-found' | 'not-ready'> {
    this.permit(ctx);
    const archive = await this.get(ctx.clinicId, id);
    if (!archive) return 'not-found';
    if (archive.status !== 'ready' || !archive.blobName || (archive.expiresAt && archive.expiresAt <= this.now())) return 'not-ready';
    const h = await this.deps.clinics.get(ctx.clinicId);
    const stored = await this.deps.blobs.get(ctx.clinicId, archive.blobName);
    if (!stored) return 'not-ready';
    await auditedDbWrite(h.db, this.deps.clock, async (tx) => {
      await tx.update(archives).set({ downloads: sql`${archives.downloads} + 1` }).where(eq(archives.id, id));
      const detail = { op: 'download', scope: 'all', bytes: archive.bytes, sha256: archive.sha256 };
      return { result: undefined, events: [eventFor(ctx, { action: 'export', outcome: 'success', entity: { type: 'archive', id, patientId: archive.patientId }, reason: archive.reason, detail })] };
    });
    return { archive, body: decryptStream(h.keys.file, { clinicId: ctx.clinicId, blobId: archive.blobName }, stored) };
  }

  /**
   * The job: builds the ZIP, stores it encrypted, marks the archive ready. Safe to run again after a
   * crash: a ready archive is left alone, and of two runs racing to finish only one row update wins;
   * the loser deletes its blob, so one archive exists whatever happens.
   */
  async runJob(job: JobContext): Promise<{ archiveId: string; bytes: number; sha256: string } | { archiveId: string; skipped: string }> {
    const { clinicId, archiveId, lang } = job.payload as { clinicId: string; archiveId: string; lang: Lang };
    const h = await this.deps.clinics.get(clinicId);
    const row = await archiveRow(h.db, archiveId);
    if (!row) return { archiveId, skipped: 'no such archive' };
    if (row.status === 'ready' || row.status === 'expired') return { archiveId, skipped: row.status };
    await h.db.update(archives).set({ status: 'building' }).where(and(eq(archives.id, archiveId), ne(archives.status, 'ready')));
    const name = row.requestedBy === 'operator' ? 'operator' : await this.deps.nameOf(row.requestedBy);
    const built = await buildPatientArchive(this.deps.sources, {
      clinicId,
      patientId: row.patientId,
      createdBy: { kind: row.requestedBy === 'operator' ? 'operator' : 'user', id: row.requestedBy === 'operator' ? null : row.requestedBy, name },
      lang: lang === 'ar' ? 'ar' : 'en',
      now: this.deps.clock.now(),
      progress: (step, percent) => job.progress(step, percent),
    });
    // The size and SHA-256 of the ZIP as the person will download it, taken as it streams to storage.
    const { stream, measured } = measureStream(built.zip, this.hashFactory());
    const stored = await putStream(this.deps.blobs, clinicId, (blobId) => encryptStream(h.keys.file, { clinicId, blobId }, stream));
    const [{ bytes: zipBytes, sha256 }, manifest] = await Promise.all([measured, built.manifest]);
    const readyAt = this.now();
    const expiresAt = new Date(this.deps.clock.now().getTime() + KEEP_HOURS * 3600_000).toISOString();
    const reason = await toArchive(h, row).then((a) => a.reason);
    const won = await auditedDbWrite(h.db, this.deps.clock, async (tx) => {
      const done = await tx
        .update(archives)
        .set({ status: 'ready', blobName: stored.name, bytes: zipBytes, sha256, files: manifest.files.length + 1, readyAt, expiresAt, error: null })
        .where(and(eq(archives.id, archiveId), ne(archives.status, 'ready'), ne(archives.status, 'expired')))
        .returning({ id: archives.id });
      if (done.length === 0) return { result: false, events: [] };
      const detail = { op: 'build', scope: 'all', files: manifest.files.length + 1, bytes: zipBytes, sha256, job: job.jobId };
      return { result: true, events: [this.jobEvent(row.requestedBy, { action: 'export', outcome: 'success', entity: { type: 'archive', id: archiveId, patientId: row.patientId }, reason, detail })] };
    });
    if (!won) {
      await this.deps.blobs.delete(clinicId, stored.name);
      return { archiveId, skipped: 'already built' };
    }
    await this.deps.jobs.enqueue(ARCHIVE_EXPIRE_JOB, { clinicId, archiveId }, { clinicId, dedupeKey: `archive-expire:${archiveId}`, runAfter: new Date(expiresAt) });
    return { archiveId, bytes: zipBytes, sha256 };
  }

  /** After the last attempt failed: the archive says so (without patient data). */
  async markFailed(clinicId: string, archiveId: string, error: string): Promise<void> {
    const h = await this.deps.clinics.get(clinicId);
    await h.db.update(archives).set({ status: 'failed', error: error.slice(0, 300) }).where(and(eq(archives.id, archiveId), ne(archives.status, 'ready')));
  }

  /** Deletes the ZIPs whose 24 hours are over; the export records stay. */
  async expire(clinicId: string, archiveId?: string): Promise<number> {
    const h = await this.deps.clinics.get(clinicId);
    const due = (await expiredArchives(h.db, this.now())).filter((r) => !archiveId || r.id === archiveId);
    for (const r of due) {
      if (r.blobName) await this.deps.blobs.delete(clinicId, r.blobName);
      await auditedDbWrite(h.db, this.deps.clock, async (tx) => {
        await tx.update(archives).set({ status: 'expired', blobName: null, deletedAt: this.now() }).where(eq(archives.id, r.id));
        return { result: undefined, events: [this.jobEvent(null, { action: 'delete', outcome: 'success', entity: { type: 'archive', id: r.id, patientId: r.patientId }, detail: { op: 'expire' } })] };
      });
    }
    return due.length;
  }

  private jobEvent(userId: string | null, e: Omit<AuditEvent, 'actor' | 'requestId' | 'route'>): AuditEvent {
    const actor: AuditActor = { userId: userId && userId !== 'operator' ? userId : null, kind: userId === 'operator' ? 'operator' : userId ? 'user' : 'system', roles: [], sessionHash: null, ip: null, userAgent: 'invent-jobs' };
    return { ...e, actor, requestId: null, route: 'job:archive' };
  }
}
