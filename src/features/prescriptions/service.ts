// Prescription use-cases: write a draft (with the allergy check), sign (then locked), cancel with a
// reason (never deleted), list, read, print. Each write and its audit event commit together
// (auditedDbWrite); the print is audited as 'print'. The service checks the permission itself as
// well as the route, so no other page can write a prescription by mistake.
import { and, eq } from 'drizzle-orm';
import type { Clock, Assets } from '../../platform/ports.ts';
import type { ClinicHandle, ClinicRegistry } from '../../tenancy/registry.ts';
import { prescriptionItems, prescriptions } from '../../tenancy/schema/clinic/index.ts';
import { auditedDbWrite } from '../../audit/log.ts';
import { eventFor, type AuditContext, type AuditSink } from '../../audit/context.ts';
import type { AuditEvent } from '../../audit/types.ts';
import { permissionsOf, type Permission } from '../../access/permissions.ts';
import type { Role } from '../../access/roles.ts';
import { newId, sha256Hex } from '../../crypto/bytes.ts';
import type { Lang } from '../../i18n/index.ts';
import type { FieldErrors } from '../../http/forms.ts';
import type { Patient } from '../patients/repo.ts';
import { allergyMatches, type AllergyMatch } from './allergy.ts';
import type { RxItemInput } from './forms.ts';
import {
  RX_ID, activeAllergySubstances, encounterOfPatient, licenceOf, rememberLicence, rxRow, rxRowsOf, seal, sealItems, toPrescription, type Prescription,
} from './repo.ts';
import { prescriptionPdf } from './pdf.ts';

export type { Prescription };

export class RxForbidden extends Error {
  override name = 'RxForbidden';
}

export interface DraftInput {
  items: RxItemInput[];
  licenceNo: string;
  prescriberName: string;
  encounterId?: string | undefined;
  /** The prescriber saw the allergy warning and chose to prescribe anyway. */
  prescribeAnyway: boolean;
}

export type DraftOutcome =
  | { ok: true; id: string }
  | { ok: false; errors: FieldErrors; warnings?: undefined }
  /** A medicine matches an active allergy: shown until "prescribe anyway". */
  | { ok: false; warnings: AllergyMatch[]; errors?: undefined };

export type ChangeOutcome = { ok: true } | { ok: false; problem: 'not-found' | 'locked' | 'allergy' | 'not-author' };

export type EditOutcome = DraftOutcome | { ok: false; problem: 'not-found' | 'locked' | 'not-author'; errors?: undefined; warnings?: undefined };

export class PrescriptionService {
  constructor(private readonly deps: { clinics: ClinicRegistry; clock: Clock; assets: Assets; audit: AuditSink }) {}

  private permit(ctx: AuditContext, permission: Permission): void {
    if (!permissionsOf(ctx.actor.roles as Role[]).has(permission)) throw new RxForbidden(permission);
  }

  private handle(clinicId: string): Promise<ClinicHandle> {
    return this.deps.clinics.get(clinicId);
  }

  private event(ctx: AuditContext, action: 'create' | 'update', rx: { id: string; patientId: string }, detail: AuditEvent['detail']): AuditEvent {
    return eventFor(ctx, { action, outcome: 'success', entity: { type: 'prescription', id: rx.id, patientId: rx.patientId }, detail });
  }

  /** The prescription with this id in this clinic, decrypted; null for a malformed or unknown id (AC2). */
  async get(clinicId: string, id: string): Promise<Prescription | null> {
    if (!RX_ID.test(id)) return null;
    const h = await this.handle(clinicId);
    const row = await rxRow(h.db, id);
    return row ? toPrescription(h, row) : null;
  }

  /** A patient's prescriptions, newest first (the most recent LIST_LIMIT). */
  async listFor(clinicId: string, patientId: string): Promise<Prescription[]> {
    const h = await this.handle(clinicId);
    return Promise.all((await rxRowsOf(h.db, patientId)).map((r) => toPrescription(h, r)));
  }

  /** The licence number this prescriber entered last, for the next form. */
  async licence(clinicId: string, userId: string): Promise<string> {
    return (await licenceOf((await this.handle(clinicId)).db, userId)) ?? '';
  }

  /** The patient's active allergies that these medicines match. */
  async allergyCheck(clinicId: string, patientId: string, medicines: string[]): Promise<AllergyMatch[]> {
    return allergyMatches(medicines, await activeAllergySubstances(await this.handle(clinicId), patientId));
  }

  async activeAllergies(clinicId: string, patientId: string): Promise<string[]> {
    return activeAllergySubstances(await this.handle(clinicId), patientId);
  }

  async createDraft(ctx: AuditContext, patientId: string, input: DraftInput): Promise<DraftOutcome> {
    this.permit(ctx, 'rx:write');
    const h = await this.handle(ctx.clinicId);
    if (input.encounterId && !(await encounterOfPatient(h.db, input.encounterId, patientId))) return { ok: false, errors: { encounterId: 'form.invalid' } };
    const warnings = await this.allergyCheck(ctx.clinicId, patientId, input.items.map((i) => i.medicine));
    if (warnings.length > 0 && !input.prescribeAnyway) return { ok: false, warnings };
    const id = newId('rx');
    const at = this.deps.clock.now().toISOString();
    const userId = ctx.actor.userId ?? 'operator';
    const items = await sealItems(h, id, input.items);
    const substances = [...new Set(warnings.map((w) => w.substance))];
    const matches = substances.length > 0 ? await seal(h, 'prescriptions', 'allergy_matches', id, JSON.stringify(substances)) : null;
    return auditedDbWrite(h.db, this.deps.clock, async (tx) => {
      await tx.insert(prescriptions).values({
        id,
        patientId,
        encounterId: input.encounterId || null,
        prescriberId: userId,
        prescriberName: input.prescriberName,
        licenceNo: input.licenceNo,
        status: 'draft',
        allergyOverride: warnings.length > 0 ? 1 : 0,
        allergyMatches: matches,
        createdAt: at,
        createdBy: userId,
      });
      await tx.insert(prescriptionItems).values(items);
      await rememberLicence(tx, userId, input.licenceNo, at);
      return {
        result: { ok: true, id } as DraftOutcome,
        events: [this.event(ctx, 'create', { id, patientId }, { items: items.length, allergyOverride: warnings.length > 0 })],
      };
    });
  }

  /** Rewrites a draft's items (its prescriber only); a signed or cancelled prescription is locked. */
  async updateDraft(ctx: AuditContext, id: string, input: DraftInput): Promise<EditOutcome> {
    this.permit(ctx, 'rx:write');
    const rx = await this.get(ctx.clinicId, id);
    if (!rx) return { ok: false, problem: 'not-found' };
    if (rx.status !== 'draft') return { ok: false, problem: 'locked' };
    if (rx.prescriberId !== (ctx.actor.userId ?? 'operator')) return { ok: false, problem: 'not-author' };
    const h = await this.handle(ctx.clinicId);
    if (input.encounterId && !(await encounterOfPatient(h.db, input.encounterId, rx.patientId))) return { ok: false, errors: { encounterId: 'form.invalid' } };
    const warnings = await this.allergyCheck(ctx.clinicId, rx.patientId, input.items.map((i) => i.medicine));
    if (warnings.length > 0 && !input.prescribeAnyway) return { ok: false, warnings };
    const at = this.deps.clock.now().toISOString();
    const items = await sealItems(h, id, input.items);
    const substances = [...new Set(warnings.map((w) => w.substance))];
    const matches = substances.length > 0 ? await seal(h, 'prescriptions', 'allergy_matches', id, JSON.stringify(substances)) : null;
    return auditedDbWrite(h.db, this.deps.clock, async (tx) => {
      const done = await tx
        .update(prescriptions)
        .set({ licenceNo: input.licenceNo, encounterId: input.encounterId || null, allergyOverride: warnings.length > 0 ? 1 : 0, allergyMatches: matches })
        .where(and(eq(prescriptions.id, id), eq(prescriptions.status, 'draft')))
        .returning({ id: prescriptions.id });
      // Signed or cancelled between our read and this write: the lock wins.
      if (done.length === 0) return { result: { ok: false, problem: 'locked' } as EditOutcome, events: [] };
      await tx.delete(prescriptionItems).where(eq(prescriptionItems.prescriptionId, id));
      await tx.insert(prescriptionItems).values(items);
      await rememberLicence(tx, rx.prescriberId, input.licenceNo, at);
      return {
        result: { ok: true, id } as EditOutcome,
        events: [this.event(ctx, 'update', rx, { op: 'edit', items: items.length, allergyOverride: warnings.length > 0 })],
      };
    });
  }

  /**
   * Signs a draft; from then on it is locked. An allergy recorded after the draft was written, and
   * not overridden then, stops the signature: the prescriber writes a new one and sees the warning.
   */
  async sign(ctx: AuditContext, id: string): Promise<ChangeOutcome> {
    this.permit(ctx, 'rx:sign');
    const rx = await this.get(ctx.clinicId, id);
    if (!rx) return { ok: false, problem: 'not-found' };
    if (rx.status !== 'draft') return { ok: false, problem: 'locked' };
    const now = await this.allergyCheck(ctx.clinicId, rx.patientId, rx.items.map((i) => i.medicine));
    if (now.some((m) => !rx.allergyMatches.includes(m.substance))) return { ok: false, problem: 'allergy' };
    const h = await this.handle(ctx.clinicId);
    const at = this.deps.clock.now().toISOString();
    return auditedDbWrite(h.db, this.deps.clock, async (tx) => {
      const done = await tx
        .update(prescriptions)
        .set({ status: 'signed', signedAt: at, signedBy: ctx.actor.userId ?? 'operator' })
        .where(and(eq(prescriptions.id, id), eq(prescriptions.status, 'draft')))
        .returning({ id: prescriptions.id });
      if (done.length === 0) return { result: { ok: false, problem: 'locked' } as ChangeOutcome, events: [] };
      return {
        result: { ok: true } as ChangeOutcome,
        events: [this.event(ctx, 'update', rx, { op: 'sign', items: rx.items.length, allergyOverride: rx.allergyOverride })],
      };
    });
  }

  /** Cancels a draft or a signed prescription, with the reason (encrypted); it stays on record. */
  async cancel(ctx: AuditContext, id: string, reason: string): Promise<ChangeOutcome> {
    this.permit(ctx, 'rx:write');
    const rx = await this.get(ctx.clinicId, id);
    if (!rx) return { ok: false, problem: 'not-found' };
    if (rx.status === 'cancelled') return { ok: false, problem: 'locked' };
    const h = await this.handle(ctx.clinicId);
    const at = this.deps.clock.now().toISOString();
    const sealed = await seal(h, 'prescriptions', 'cancel_reason', id, reason);
    return auditedDbWrite(h.db, this.deps.clock, async (tx) => {
      const done = await tx
        .update(prescriptions)
        .set({ status: 'cancelled', cancelledAt: at, cancelledBy: ctx.actor.userId ?? 'operator', cancelReason: sealed })
        .where(and(eq(prescriptions.id, id), eq(prescriptions.status, rx.status)))
        .returning({ id: prescriptions.id });
      if (done.length === 0) return { result: { ok: false, problem: 'locked' } as ChangeOutcome, events: [] };
      return { result: { ok: true } as ChangeOutcome, events: [this.event(ctx, 'update', rx, { op: 'cancel', from: rx.status })] };
    });
  }

  /** The signed prescription as a PDF; the print is audited with the document's size and hash. */
  async print(ctx: AuditContext, rx: Prescription, patient: Patient, lang: Lang, printedBy: string): Promise<Uint8Array> {
    this.permit(ctx, 'rx:read');
    const h = await this.handle(ctx.clinicId);
    const bytes = await prescriptionPdf({ assets: this.deps.assets, clinic: h, rx, patient, lang, printedBy, now: this.deps.clock.now() });
    await this.deps.audit(ctx.clinicId, [
      eventFor(ctx, {
        action: 'print',
        outcome: 'success',
        entity: { type: 'prescription', id: rx.id, patientId: rx.patientId },
        detail: { bytes: bytes.length, sha256: await sha256Hex(bytes) },
      }),
    ]);
    return bytes;
  }
}
