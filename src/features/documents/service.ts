// Attachment use-cases: upload (streamed, checked, encrypted: upload.ts), list, view, open for
// preview or download (decrypted while streaming), soft delete with a reason. The service checks
// the person's reach itself (permissions by category: policy.ts; restricted records: AC5), so no page
// can pull a file in by mistake. Writes commit with their audit event; every view, preview and
// download appends a read event naming the attachment and the patient (LG1).
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Clock } from '../../platform/ports.ts';
import type { BlobStore } from '../../platform/blob-store.ts';
import type { ClinicHandle, ClinicRegistry } from '../../tenancy/registry.ts';
import type { ControlDb } from '../../tenancy/db.ts';
import { attachments } from '../../tenancy/schema/clinic/index.ts';
import { users } from '../../tenancy/schema/control.ts';
import { auditedDbWrite } from '../../audit/log.ts';
import { eventFor, type AuditContext, type AuditSink } from '../../audit/context.ts';
import type { AuditEvent } from '../../audit/types.ts';
import { permissionsOf } from '../../access/permissions.ts';
import type { Role } from '../../access/roles.ts';
import { newId } from '../../crypto/bytes.ts';
import { decryptStream } from '../../crypto/file.ts';
import type { FieldErrors } from '../../http/forms.ts';
import { PATIENT_ID } from '../patients/repo.ts';
import { patientRef } from '../clinical/repo.ts';
import type { RestrictedAccess } from '../clinical/base.ts';
import { documentAccess, type Category, type DocumentAccess } from './policy.ts';
import { ATTACHMENT_ID, allAttachmentRows, attachmentRow, attachmentRows, encounterOfPatient, recentEncounters, seal, toAttachment, type Attachment } from './repo.ts';
import { FILE_FIELD, UPLOAD_FIELDS, parseUploadFields } from './forms.ts';
import { receiveUpload } from './upload.ts';
import { DocumentError, type UploadRefusal } from './errors.ts';
import { verifiedStream } from './content.ts';

export { DocumentError };
export type { Attachment };

export const MB = 1024 * 1024;

export type UploadOutcome =
  | { ok: true; id: string; category: Category }
  | { ok: false; fields: Record<string, string>; refusal: UploadRefusal; limitMb: number; errors?: undefined }
  | { ok: false; fields: Record<string, string>; errors: FieldErrors; refusal?: undefined };

export interface DocumentDeps {
  clinics: ClinicRegistry;
  clock: Clock;
  blobs: BlobStore;
  audit: AuditSink;
  breakGlass?: RestrictedAccess;
  control?: ControlDb;
}

export class DocumentService {
  constructor(private readonly deps: DocumentDeps) {}

  access(ctx: AuditContext): DocumentAccess {
    return documentAccess(permissionsOf(ctx.actor.roles as Role[]));
  }

  /** The clinic's handle once the patient is in this person's reach (AC2, AC3, AC5). */
  private async patient(ctx: AuditContext, patientId: string): Promise<ClinicHandle> {
    if (!PATIENT_ID.test(patientId)) throw new DocumentError('not-found');
    const h = await this.deps.clinics.get(ctx.clinicId);
    const p = await patientRef(h.db, patientId);
    if (!p) throw new DocumentError('not-found');
    if (p.restricted) {
      const userId = ctx.actor.userId;
      if (!userId || !this.deps.breakGlass || (await this.deps.breakGlass.access(ctx.clinicId, userId, p)) === 'restricted') throw new DocumentError('forbidden');
    }
    return h;
  }

  /** The attachment, if this person may see it listed; another clinic's or a hidden one is not found. */
  private async find(ctx: AuditContext, id: string, allowed: readonly Category[]): Promise<{ h: ClinicHandle; a: Attachment }> {
    if (!ATTACHMENT_ID.test(id)) throw new DocumentError('not-found');
    const h = await this.deps.clinics.get(ctx.clinicId);
    const row = await attachmentRow(h.db, id);
    if (!row) throw new DocumentError('not-found');
    await this.patient(ctx, row.patientId);
    if (!allowed.includes(row.category as Category)) throw new DocumentError('forbidden');
    return { h, a: await toAttachment(h, row) };
  }

  private read(ctx: AuditContext, a: { id: string | null; patientId: string }, detail: AuditEvent['detail'], outcome: AuditEvent['outcome'] = 'success') {
    return this.deps.audit(ctx.clinicId, [eventFor(ctx, { action: 'read', outcome, entity: { type: 'attachment', id: a.id, patientId: a.patientId }, detail })]);
  }

  async list(ctx: AuditContext, patientId: string, f: { category?: string; encounterId?: string; deleted?: boolean } = {}): Promise<Attachment[]> {
    const access = this.access(ctx);
    if (access.list.length === 0) throw new DocumentError('forbidden');
    const h = await this.patient(ctx, patientId);
    const categories = f.category ? access.list.filter((c) => c === f.category) : access.list;
    const rows = await attachmentRows(h.db, patientId, { categories, encounterId: f.encounterId, includeDeleted: f.deleted });
    const items = await Promise.all(rows.map((r) => toAttachment(h, r)));
    await this.read(ctx, { id: null, patientId }, { op: 'list', count: items.length, deleted: !!f.deleted });
    return items;
  }

  /** The patient an attachment belongs to (for the restricted-record gate); null when unknown here. */
  async patientOf(clinicId: string, id: string): Promise<string | null> {
    if (!ATTACHMENT_ID.test(id)) return null;
    return (await attachmentRow((await this.deps.clinics.get(clinicId)).db, id))?.patientId ?? null;
  }

  /** One attachment's details (its page); audited as a view. */
  async view(ctx: AuditContext, id: string): Promise<Attachment> {
    const { a } = await this.find(ctx, id, this.access(ctx).list);
    await this.read(ctx, a, { op: 'view' });
    return a;
  }

  /**
   * The attachment's original bytes, decrypted as they are sent. The first chunk is checked before
   * anything is answered, so a damaged file gets an error page instead of a broken download.
   */
  async open(ctx: AuditContext, id: string, op: 'preview' | 'download'): Promise<{ attachment: Attachment; body: ReadableStream<Uint8Array> }> {
    const { h, a } = await this.find(ctx, id, this.access(ctx).open);
    try {
      const body = await verifiedStream(await this.decrypted(h, a), a.bytes);
      await this.read(ctx, a, { op, bytes: a.bytes, sha256: a.sha256 });
      return { attachment: a, body };
    } catch (err) {
      await this.read(ctx, a, { op, error: 'integrity' }, 'failure');
      throw err instanceof DocumentError ? err : new DocumentError('damaged');
    }
  }

  private async decrypted(h: ClinicHandle, a: Pick<Attachment, 'blobName'>): Promise<ReadableStream<Uint8Array>> {
    const stored = await this.deps.blobs.get(h.id, a.blobName);
    if (!stored) throw new DocumentError('damaged');
    return decryptStream(h.keys.file, { clinicId: h.id, blobId: a.blobName }, stored);
  }

  async upload(ctx: AuditContext, patientId: string, req: Request): Promise<UploadOutcome> {
    const access = this.access(ctx);
    if (access.upload.length === 0) throw new DocumentError('forbidden');
    const h = await this.patient(ctx, patientId);
    const limitMb = h.settings.uploadLimitMb;
    const got = await receiveUpload(req, { blobs: this.deps.blobs, clinicId: h.id, fileKey: h.keys.file, limit: limitMb * MB, fileField: FILE_FIELD, fields: UPLOAD_FIELDS });
    if (!got.ok) return { ok: false, fields: got.fields, refusal: got.refusal, limitMb };
    const { file, fields } = got;
    try {
      const parsed = parseUploadFields(fields);
      let errors: FieldErrors | undefined = parsed.ok ? undefined : parsed.errors;
      if (parsed.ok && !access.upload.includes(parsed.data.category)) errors = { category: 'docs.error.category' };
      else if (parsed.ok && parsed.data.encounterId && !(await encounterOfPatient(h.db, parsed.data.encounterId, patientId))) errors = { encounterId: 'form.invalid' };
      if (errors || !parsed.ok) {
        await file.discard();
        return { ok: false, fields, errors: errors ?? {} };
      }
      const d = parsed.data;
      const id = newId('att');
      const userId = ctx.actor.userId ?? 'operator';
      const originalName = file.filename.slice(0, 255);
      const title = d.title || defaultTitle(originalName);
      const row: typeof attachments.$inferInsert = {
        id,
        patientId,
        encounterId: d.encounterId || null,
        category: d.category,
        title: (await seal(h, 'title', id, title))!,
        originalName: (await seal(h, 'original_name', id, originalName))!,
        mediaType: file.mediaType,
        bytes: file.bytes,
        sha256: file.sha256,
        blobName: file.blobName,
        takenOn: d.takenOn || null,
        uploadedAt: this.deps.clock.now().toISOString(),
        uploadedBy: userId,
      };
      const detail = { category: d.category, mediaType: file.mediaType, bytes: file.bytes, sha256: file.sha256, encounter: !!d.encounterId };
      await auditedDbWrite(h.db, this.deps.clock, async (tx) => {
        await tx.insert(attachments).values(row);
        return { result: undefined, events: [eventFor(ctx, { action: 'create', outcome: 'success', entity: { type: 'attachment', id, patientId }, detail })] };
      });
      return { ok: true, id, category: d.category };
    } catch (err) {
      await file.discard().catch(() => undefined);
      throw err;
    }
  }

  /** Marks an attachment deleted, with the reason (encrypted); the row and the blob are kept. */
  async remove(ctx: AuditContext, id: string, reason: string): Promise<'ok' | 'already'> {
    const access = this.access(ctx);
    if (!access.remove) throw new DocumentError('forbidden');
    const { h, a } = await this.find(ctx, id, access.list);
    if (a.deletedAt) return 'already';
    const sealed = await seal(h, 'delete_reason', id, reason);
    const at = this.deps.clock.now().toISOString();
    return auditedDbWrite(h.db, this.deps.clock, async (tx) => {
      const done = await tx
        .update(attachments)
        .set({ deletedAt: at, deletedBy: ctx.actor.userId ?? 'operator', deleteReason: sealed })
        .where(and(eq(attachments.id, id), isNull(attachments.deletedAt)))
        .returning({ id: attachments.id });
      if (done.length === 0) return { result: 'already' as const, events: [] };
      const event = eventFor(ctx, { action: 'delete', outcome: 'success', entity: { type: 'attachment', id, patientId: a.patientId }, detail: { op: 'soft-delete', category: a.category } });
      return { result: 'ok' as const, events: [event] };
    });
  }

  /** The patient's encounters to link an upload to (for people who read the clinical record). */
  async encounterChoices(ctx: AuditContext, patientId: string): Promise<{ id: string; startedAt: string; type: string }[]> {
    if (!permissionsOf(ctx.actor.roles as Role[]).has('clinical:read')) return [];
    return recentEncounters((await this.patient(ctx, patientId)).db, patientId);
  }

  /** Display names of the people who uploaded or deleted. */
  async staffNames(ids: string[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids)];
    if (!this.deps.control || unique.length === 0) return new Map();
    const rows = await this.deps.control.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, unique));
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  // ---- for the patient archive (issue 7): no permission check or audit here; the archive job
  // authorises the export and audits it with its scope.

  /**
   * Every attachment of a patient with its metadata, oldest first. Deleted ones are included unless
   * asked otherwise (they are kept for retention, marked by deletedAt; a complete archive has them).
   */
  async attachmentsOf(clinicId: string, patientId: string, opts: { includeDeleted?: boolean } = {}): Promise<Attachment[]> {
    const h = await this.deps.clinics.get(clinicId);
    const rows = await allAttachmentRows(h.db, patientId, opts.includeDeleted ?? true);
    return Promise.all(rows.map((r) => toAttachment(h, r)));
  }

  /** The original bytes of an attachment, decrypted while read; the stream errors if the blob was damaged. */
  async contentOf(clinicId: string, a: Pick<Attachment, 'blobName' | 'bytes'>): Promise<ReadableStream<Uint8Array>> {
    const h = await this.deps.clinics.get(clinicId);
    return verifiedStream(await this.decrypted(h, a), a.bytes, { eager: false });
  }
}

/** A title from a file name: its base name without the extension or control characters. */
export function defaultTitle(filename: string): string {
  const base = (filename.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f]/g, ' ');
  const dot = base.lastIndexOf('.');
  return (dot > 0 ? base.slice(0, dot) : base).trim().slice(0, 200) || 'file';
}
