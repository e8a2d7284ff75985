// The shared ground of the clinical service: who may act (the service checks permissions itself
// as well as the routes, so that a page built for another role cannot pull clinical data in: AC4),
// whether the patient is in reach (AC2, AC3, AC5), and audited writes (LG1).
import { inArray } from 'drizzle-orm';
import type { Clock } from '../../platform/ports.ts';
import type { ControlDb } from '../../tenancy/db.ts';
import type { ClinicHandle, ClinicRegistry } from '../../tenancy/registry.ts';
import { users } from '../../tenancy/schema/control.ts';
import { auditedDbWrite } from '../../audit/log.ts';
import { eventFor, type AuditContext } from '../../audit/context.ts';
import type { AuditEvent } from '../../audit/types.ts';
import { permissionsOf, type Permission } from '../../access/permissions.ts';
import type { Role } from '../../access/roles.ts';
import { PATIENT_ID } from '../patients/repo.ts';
import { patientRef } from './repo.ts';
import type { EncounterType, EncounterNotes } from './types.ts';

export type ClinicalProblem = 'not-found' | 'forbidden' | 'locked' | 'not-signed' | 'not-author';

export class ClinicalError extends Error {
  override name = 'ClinicalError';
  constructor(readonly problem: ClinicalProblem) {
    super(`clinical: ${problem}`);
  }
}

export interface CodedText {
  code: string | null;
  text: string;
}

export interface EncounterInput {
  type: EncounterType;
  /** ISO UTC; absent = now (new) or unchanged (edit). */
  startedAt?: string | undefined;
  notes: EncounterNotes;
  diagnosis?: CodedText | undefined;
  procedure?: CodedText | undefined;
}

/** Who may see a restricted patient (break-glass, AC5); without it, restricted records are refused. */
export interface RestrictedAccess {
  access(clinicId: string, userId: string, patient: { id: string; restricted: boolean }): Promise<'open' | 'named' | 'glass' | 'restricted'>;
}

export type Tx = Parameters<Parameters<typeof auditedDbWrite>[2]>[0];

export interface ClinicalDeps {
  clinics: ClinicRegistry;
  clock: Clock;
  control?: ControlDb;
  breakGlass?: RestrictedAccess;
}

export class ClinicalBase {
  constructor(protected readonly deps: ClinicalDeps) {}

  protected now(): string {
    return this.deps.clock.now().toISOString();
  }

  protected permit(ctx: AuditContext, permission: Permission): void {
    if (!permissionsOf(ctx.actor.roles as Role[]).has(permission)) throw new ClinicalError('forbidden');
  }

  protected actor(ctx: AuditContext): string {
    return ctx.actor.userId ?? 'operator';
  }

  /** The clinic's handle once the patient is known there; otherwise not-found (AC2, AC3). */
  protected async patient(ctx: AuditContext, patientId: string): Promise<ClinicHandle> {
    if (!PATIENT_ID.test(patientId)) throw new ClinicalError('not-found');
    const h = await this.deps.clinics.get(ctx.clinicId);
    await this.reach(ctx, h, patientId);
    return h;
  }

  /** Throws not-found or forbidden unless the patient is in this person's reach (for form pages). */
  async checkPatient(ctx: AuditContext, patientId: string): Promise<void> {
    await this.patient(ctx, patientId);
  }

  /** The patient exists in this clinic (else not-found) and, when restricted, this person may see them (else forbidden). */
  protected async reach(ctx: AuditContext, h: ClinicHandle, patientId: string): Promise<void> {
    const p = await patientRef(h.db, patientId);
    if (!p) throw new ClinicalError('not-found');
    if (!p.restricted) return;
    const userId = ctx.actor.userId;
    if (!userId || !this.deps.breakGlass || (await this.deps.breakGlass.access(ctx.clinicId, userId, p)) === 'restricted') throw new ClinicalError('forbidden');
  }

  protected event(ctx: AuditContext, action: 'create' | 'update', type: string, id: string, patientId: string, detail: AuditEvent['detail'] = null): AuditEvent {
    return eventFor(ctx, { action, outcome: 'success', entity: { type, id, patientId }, detail });
  }

  protected write<T>(h: ClinicHandle, work: (tx: Tx) => Promise<{ result: T; events: AuditEvent[] }>): Promise<T> {
    return auditedDbWrite(h.db, this.deps.clock, work);
  }

  /** Display names of staff (clinicians, signers, authors). */
  async staffNames(userIds: string[]): Promise<Map<string, string>> {
    const ids = [...new Set(userIds)];
    if (!this.deps.control || ids.length === 0) return new Map();
    const rows = await this.deps.control.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, ids));
    return new Map(rows.map((r) => [r.id, r.name]));
  }
}
