// Consents and completed forms of a patient: record one against the current version of a template
// (signed PDF generated at once and stored sealed with its SHA-256), list, read, open the PDF (its
// hash checked against the record on every read), withdraw a consent (date, reason, by whom).
// Nothing is ever deleted (and the database refuses it). Each write and its audit event, naming
// the patient, commit together; the service checks `consent:collect` itself as well as the routes.
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { localDay } from '../../i18n/format.ts';
import type { Assets, Clock } from '../../platform/ports.ts';
import type { ControlDb } from '../../tenancy/db.ts';
import type { ClinicHandle, ClinicRegistry } from '../../tenancy/registry.ts';
import { formDocuments, formRecords } from '../../tenancy/schema/clinic/index.ts';
import { memberships, users } from '../../tenancy/schema/control.ts';
import { auditedDbWrite } from '../../audit/log.ts';
import { eventFor, type AuditContext, type AuditSink } from '../../audit/context.ts';
import type { AuditEvent } from '../../audit/types.ts';
import { permissionsOf } from '../../access/permissions.ts';
import type { Role } from '../../access/roles.ts';
import { newId, sha256Hex } from '../../crypto/bytes.ts';
import type { FieldErrors } from '../../http/forms.ts';
import type { Patient } from '../patients/repo.ts';
import { FormForbidden, FormTemplateService } from './templates.ts';
import { DAY, type RecordInput } from './answers.ts';
import { RECORD_ID, recordById, recordsOf, seal, sealPdf, storedPdf, type FormRecord, type RecordSummary } from './repo.ts';
import { formPdf } from './pdf.ts';

export type { FormRecord, RecordSummary };

export interface StaffMemberName {
  userId: string;
  name: string;
}

export type CreateOutcome =
  | { ok: true; id: string }
  | { ok: false; errors: FieldErrors; problem?: undefined }
  /** The template changed (new version) or was retired since the form was shown. */
  | { ok: false; problem: 'template-changed' | 'template-unusable'; errors?: undefined };

export type WithdrawOutcome = { ok: true } | { ok: false; problem: 'not-found' | 'not-consent' | 'withdrawn'; errors?: undefined } | { ok: false; errors: FieldErrors; problem?: undefined };

/** The stored PDF no longer matches the hash recorded when it was signed. */
export class FormIntegrityError extends Error {
  override name = 'FormIntegrityError';
}

export interface FormRecordDeps {
  clinics: ClinicRegistry;
  clock: Clock;
  assets: Assets;
  audit: AuditSink;
  control: ControlDb;
  templates: FormTemplateService;
}

export class FormRecordService {
  constructor(private readonly deps: FormRecordDeps) {}

  private permit(ctx: AuditContext): void {
    if (!permissionsOf(ctx.actor.roles as Role[]).has('consent:collect')) throw new FormForbidden('consent:collect');
  }

  private handle(clinicId: string): Promise<ClinicHandle> {
    return this.deps.clinics.get(clinicId);
  }

  private event(ctx: AuditContext, action: AuditEvent['action'], r: { id: string; patientId: string; kind: string }, detail: AuditEvent['detail']): AuditEvent {
    return eventFor(ctx, { action, outcome: 'success', entity: { type: r.kind === 'consent' ? 'consent' : 'form', id: r.id, patientId: r.patientId }, detail });
  }

  /** Today's date (YYYY-MM-DD) in the clinic's time zone. */
  async today(clinicId: string): Promise<string> {
    const h = await this.handle(clinicId);
    return localDay(this.deps.clock.now(), h.timezone);
  }

  /** Staff who can witness: active members of the clinic, by name. */
  async witnesses(clinicId: string): Promise<StaffMemberName[]> {
    const rows = await this.deps.control
      .select({ userId: users.id, name: users.displayName })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.clinicId, clinicId), isNull(memberships.disabledAt), isNull(users.disabledAt)))
      .orderBy(users.displayName);
    return rows;
  }

  /** Display names of staff (recorded by, withdrawn by). */
  async staffNames(userIds: string[]): Promise<Map<string, string>> {
    const ids = [...new Set(userIds.filter(Boolean))];
    if (ids.length === 0) return new Map();
    const rows = await this.deps.control.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, ids));
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  async listFor(ctx: AuditContext, patientId: string): Promise<RecordSummary[]> {
    this.permit(ctx);
    return recordsOf((await this.handle(ctx.clinicId)).db, patientId);
  }

  /** The record with this id in this clinic, decrypted; null for a malformed or unknown id (AC2). */
  async get(ctx: AuditContext, id: string): Promise<FormRecord | null> {
    this.permit(ctx);
    if (!RECORD_ID.test(id)) return null;
    return recordById(await this.handle(ctx.clinicId), id);
  }

  /**
   * Records a consent or form against the template's current version, with its signed PDF. Checks
   * everything before writing, so a refusal leaves nothing behind.
   */
  /** Whether a record with this id exists: made by this person for this patient ('same'), or anything else ('taken'). */
  private async sameSubmission(db: Pick<ClinicHandle['db'], 'select'>, id: string, patientId: string, by: string): Promise<'none' | 'same' | 'taken'> {
    if (!RECORD_ID.test(id)) return 'taken';
    const row = (await db.select({ patientId: formRecords.patientId, recordedBy: formRecords.recordedBy }).from(formRecords).where(eq(formRecords.id, id)))[0];
    if (!row) return 'none';
    return row.patientId === patientId && row.recordedBy === by ? 'same' : 'taken';
  }

  async create(ctx: AuditContext, patient: Patient, input: RecordInput, opts: { recordedByName: string }): Promise<CreateOutcome> {
    this.permit(ctx);
    const tpl = await this.deps.templates.get(ctx.clinicId, input.templateId);
    if (!tpl || tpl.status !== 'active') return { ok: false, problem: 'template-unusable' };
    if (tpl.currentVersion !== input.version) return { ok: false, problem: 'template-changed' };
    const witness = (await this.witnesses(ctx.clinicId)).find((w) => w.userId === input.witnessId);
    if (!witness) return { ok: false, errors: { witness: 'consents.error.witness' } };
    if (!DAY.test(input.signedOn) || input.signedOn > (await this.today(ctx.clinicId))) return { ok: false, errors: { signedOn: 'consents.error.dateFuture' } };
    const h = await this.handle(ctx.clinicId);
    const by = ctx.actor.userId ?? 'system';
    // The same form sent again (double click, resent POST): the record the first submission made.
    const again = input.submissionId ? await this.sameSubmission(h.db, input.submissionId, patient.id, by) : 'none';
    if (again === 'same') return { ok: true, id: input.submissionId! };
    const version = tpl.current;
    const id = again === 'none' && input.submissionId ? input.submissionId : newId('fr');
    const at = this.deps.clock.now();
    const record = {
      id,
      kind: tpl.kind,
      templateId: tpl.id,
      templateVersion: version.version,
      content: version.content,
      contentSha256: version.contentSha256,
      signedOn: input.signedOn,
      signer: input.signer,
      guardianName: input.guardianName,
      relationship: input.relationship,
      answers: input.answers,
      signature: tpl.kind === 'consent' ? input.signature : null,
      witnessName: witness.name,
      recordedByName: opts.recordedByName,
    };
    const pdf = await formPdf({ assets: this.deps.assets, clinic: h, lang: patient.demographics.preferredLanguage, patient, record, now: at });
    const sha256 = await sha256Hex(pdf);
    const s = (column: string, text: string) => seal(h, 'form_records', column, id, text);
    const sealed = {
      guardianName: await s('guardian_name', input.guardianName),
      answers: await s('answers', JSON.stringify(input.answers)),
      signature: record.signature ? await s('signature', record.signature.kind === 'drawn' ? record.signature.strokes : record.signature.name) : null,
      pdf: await sealPdf(h, id, pdf),
    };
    return auditedDbWrite(h.db, this.deps.clock, async (tx) => {
      // Two submissions racing: the second finds the first's row in its own write transaction.
      if ((await this.sameSubmission(tx, id, patient.id, by)) === 'same') return { result: { ok: true, id } as CreateOutcome, events: [] };
      await tx.insert(formRecords).values({
        id,
        patientId: patient.id,
        templateId: tpl.id,
        versionId: version.id,
        templateVersion: version.version,
        kind: tpl.kind,
        signedOn: input.signedOn,
        recordedAt: at.toISOString(),
        recordedBy: by,
        signer: input.signer,
        guardianName: sealed.guardianName,
        guardianRelationship: input.relationship,
        answers: sealed.answers,
        signatureKind: record.signature?.kind ?? null,
        signature: sealed.signature,
        witnessId: witness.userId,
        witnessName: witness.name,
        pdfSha256: sha256,
        pdfBytes: pdf.length,
        status: 'active',
      });
      await tx.insert(formDocuments).values({ recordId: id, pdf: sealed.pdf, createdAt: at.toISOString() });
      const detail = { template: tpl.id, version: version.version, signer: input.signer, signature: record.signature?.kind ?? null, witness: witness.userId, bytes: pdf.length, sha256 };
      return { result: { ok: true, id } as CreateOutcome, events: [this.event(ctx, 'create', { id, patientId: patient.id, kind: tpl.kind }, detail)] };
    });
  }

  /** The stored PDF, checked against the recorded hash (never regenerated: it is what was signed). */
  async storedPdf(clinicId: string, r: Pick<FormRecord, 'id' | 'pdfSha256'>): Promise<Uint8Array> {
    const bytes = await storedPdf(await this.handle(clinicId), r.id);
    if (!bytes || (await sha256Hex(bytes)) !== r.pdfSha256) throw new FormIntegrityError(`form record ${r.id}: stored PDF does not match its hash`);
    return bytes;
  }

  /** Opening the PDF from the record page: audited with the document's size and hash. */
  async openPdf(ctx: AuditContext, r: FormRecord): Promise<Uint8Array> {
    this.permit(ctx);
    const bytes = await this.storedPdf(ctx.clinicId, r);
    await this.deps.audit(ctx.clinicId, [this.event(ctx, 'print', r, { bytes: bytes.length, sha256: r.pdfSha256 })]);
    return bytes;
  }

  /** Withdraws a consent: it stays on record with the date, the reason (encrypted) and who. */
  async withdraw(ctx: AuditContext, id: string, w: { on: string; reason: string }): Promise<WithdrawOutcome> {
    this.permit(ctx);
    const r = await this.get(ctx, id);
    if (!r) return { ok: false, problem: 'not-found' };
    if (r.kind !== 'consent') return { ok: false, problem: 'not-consent' };
    if (r.status !== 'active') return { ok: false, problem: 'withdrawn' };
    if (!DAY.test(w.on) || w.on > (await this.today(ctx.clinicId)) || w.on < r.signedOn) return { ok: false, errors: { withdrawnOn: 'consents.error.withdrawDate' } };
    const h = await this.handle(ctx.clinicId);
    const reason = await seal(h, 'form_records', 'withdraw_reason', id, w.reason);
    const at = this.deps.clock.now().toISOString();
    return auditedDbWrite(h.db, this.deps.clock, async (tx) => {
      const done = await tx
        .update(formRecords)
        .set({ status: 'withdrawn', withdrawnOn: w.on, withdrawnAt: at, withdrawnBy: ctx.actor.userId ?? 'system', withdrawReason: reason })
        .where(and(eq(formRecords.id, id), eq(formRecords.status, 'active')))
        .returning({ id: formRecords.id });
      if (done.length === 0) return { result: { ok: false, problem: 'withdrawn' } as WithdrawOutcome, events: [] };
      return { result: { ok: true } as WithdrawOutcome, events: [this.event(ctx, 'update', r, { op: 'withdraw', withdrawnOn: w.on })] };
    });
  }
}

/** Both services over one installation: templates, and the records made from them. */
export function formServices(deps: Omit<FormRecordDeps, 'templates'>): { templates: FormTemplateService; records: FormRecordService } {
  const templates = new FormTemplateService(deps);
  return { templates, records: new FormRecordService({ ...deps, templates }) };
}
