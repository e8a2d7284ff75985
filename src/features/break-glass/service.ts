// Who may see a restricted patient (AC5): the named clinicians, and anyone holding an unexpired
// break-glass grant. Breaking the glass needs a clinical role and a written reason; it is audited
// with the reason and raises a security event for administrators to review.
import { and, desc, eq, gt } from 'drizzle-orm';
import type { Clock } from '../../platform/ports.ts';
import type { ClinicRegistry } from '../../tenancy/registry.ts';
import { breakGlass, patientClinicians } from '../../tenancy/schema/clinic/index.ts';
import type { Role } from '../../access/roles.ts';
import { auditedDbWrite } from '../../audit/log.ts';
import { eventFor, type AuditContext } from '../../audit/context.ts';
import type { SecurityEvents } from '../security/service.ts';
import { newId } from '../../crypto/bytes.ts';

export const BREAK_GLASS_MINUTES = 60;
/** Roles that may break the glass: clinicians who may need the record in an emergency. */
export const BREAK_GLASS_ROLES: readonly Role[] = ['doctor', 'nurse'];
export const REASON_MIN = 10;
export const REASON_MAX = 500;

export type Access = 'open' | 'named' | 'glass' | 'restricted';

export class BreakGlassService {
  constructor(private readonly deps: { clinics: ClinicRegistry; clock: Clock; security: SecurityEvents }) {}

  /** How this person reaches this patient: 'restricted' means they may not (yet). */
  async access(clinicId: string, userId: string, patient: { id: string; restricted: boolean }): Promise<Access> {
    if (!patient.restricted) return 'open';
    const { db } = await this.deps.clinics.get(clinicId);
    const named = await db
      .select({ userId: patientClinicians.userId })
      .from(patientClinicians)
      .where(and(eq(patientClinicians.patientId, patient.id), eq(patientClinicians.userId, userId)));
    if (named.length) return 'named';
    return (await this.activeGrant(clinicId, userId, patient.id)) ? 'glass' : 'restricted';
  }

  async activeGrant(clinicId: string, userId: string, patientId: string) {
    const { db } = await this.deps.clinics.get(clinicId);
    return (
      await db
        .select()
        .from(breakGlass)
        .where(and(eq(breakGlass.userId, userId), eq(breakGlass.patientId, patientId), gt(breakGlass.expiresAt, this.deps.clock.now().toISOString())))
        .orderBy(desc(breakGlass.expiresAt))
        .limit(1)
    )[0];
  }

  canBreak(roles: readonly Role[]): boolean {
    return roles.some((r) => BREAK_GLASS_ROLES.includes(r));
  }

  /** Grants access for BREAK_GLASS_MINUTES; the grant and its audit event commit together. */
  async breakGlass(ctx: AuditContext, roles: readonly Role[], patientId: string, reason: string): Promise<{ expiresAt: string }> {
    if (!this.canBreak(roles)) throw new Error('role may not break the glass');
    const text = reason.trim();
    if (text.length < REASON_MIN || text.length > REASON_MAX) throw new Error('reason');
    const { db } = await this.deps.clinics.get(ctx.clinicId);
    const now = this.deps.clock.now();
    const row = {
      id: newId('bg'),
      patientId,
      userId: ctx.actor.userId!,
      reason: text,
      grantedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + BREAK_GLASS_MINUTES * 60_000).toISOString(),
    };
    await auditedDbWrite(db, this.deps.clock, async (tx) => {
      await tx.insert(breakGlass).values(row);
      return {
        result: undefined,
        events: [
          eventFor(ctx, {
            action: 'break-glass',
            outcome: 'success',
            reason: text,
            entity: { type: 'patient', id: patientId, patientId },
            detail: { grant: row.id, minutes: BREAK_GLASS_MINUTES },
          }),
        ],
      };
    });
    await this.deps.security.raise(ctx.clinicId, { kind: 'break-glass', subjectUserId: row.userId, patientId, detail: { grant: row.id, until: row.expiresAt } });
    return { expiresAt: row.expiresAt };
  }

  /** Marks a patient restricted (or not) and names the clinicians who keep access. */
  async setRestriction(ctx: AuditContext, patientId: string, restricted: boolean, clinicianIds: string[], apply: (tx: Parameters<Parameters<typeof auditedDbWrite>[2]>[0]) => Promise<void>): Promise<void> {
    const { db } = await this.deps.clinics.get(ctx.clinicId);
    const at = this.deps.clock.now().toISOString();
    await auditedDbWrite(db, this.deps.clock, async (tx) => {
      await apply(tx);
      await tx.delete(patientClinicians).where(eq(patientClinicians.patientId, patientId));
      const ids = [...new Set([...(restricted ? clinicianIds : []), ...(restricted && ctx.actor.userId ? [ctx.actor.userId] : [])])];
      if (ids.length) await tx.insert(patientClinicians).values(ids.map((userId) => ({ patientId, userId, addedBy: ctx.actor.userId ?? 'operator', addedAt: at })));
      return {
        result: undefined,
        events: [eventFor(ctx, { action: 'update', outcome: 'success', entity: { type: 'patient-restriction', id: patientId, patientId }, detail: { restricted, clinicians: ids.length } })],
      };
    });
  }

  async named(db: import('../../tenancy/db.ts').ClinicDb, patientId: string): Promise<string[]> {
    return (await db.select({ userId: patientClinicians.userId }).from(patientClinicians).where(eq(patientClinicians.patientId, patientId))).map((r) => r.userId);
  }

  async grants(clinicId: string, limit = 100) {
    const { db } = await this.deps.clinics.get(clinicId);
    return db.select().from(breakGlass).orderBy(desc(breakGlass.grantedAt)).limit(limit);
  }
}
