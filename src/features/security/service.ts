// Raising security events, counting the unreviewed ones for the header, listing and reviewing.
import { and, count, desc, eq, isNull, lt, max } from 'drizzle-orm';
import type { Clock } from '../../platform/ports.ts';
import type { ClinicRegistry } from '../../tenancy/registry.ts';
import { securityEvents } from '../../tenancy/schema/clinic/security.ts';

export type SecurityEventKind =
  | 'sign-in-burst'
  | 'lockout'
  | 'break-glass'
  | '2fa-reset'
  | 'recovery-code-used'
  | 'large-export'
  | 'audit-verify-failed';

export interface RaisedEvent {
  kind: SecurityEventKind;
  subjectUserId?: string | null;
  patientId?: string | null;
  detail?: Record<string, string | number | boolean | null>;
}

export type SecurityEventRow = typeof securityEvents.$inferSelect;

export interface SecurityEvents {
  raise(clinicId: string, e: RaisedEvent): Promise<void>;
}

export class SecurityEventService implements SecurityEvents {
  constructor(
    private readonly clinics: ClinicRegistry,
    private readonly clock: Clock,
  ) {}

  async raise(clinicId: string, e: RaisedEvent): Promise<void> {
    const { db } = await this.clinics.get(clinicId);
    await db.insert(securityEvents).values({
      at: this.clock.now().toISOString(),
      kind: e.kind,
      subjectUserId: e.subjectUserId ?? null,
      patientId: e.patientId ?? null,
      detail: JSON.stringify(e.detail ?? {}),
    });
  }

  /** When an event of this kind was last raised in the clinic, if ever (a burst is raised once per window). */
  async lastRaisedAt(clinicId: string, kind: SecurityEventKind): Promise<string | null> {
    const { db } = await this.clinics.get(clinicId);
    return (await db.select({ at: max(securityEvents.at) }).from(securityEvents).where(eq(securityEvents.kind, kind)))[0]?.at ?? null;
  }

  async unreviewed(clinicId: string): Promise<number> {
    const { db } = await this.clinics.get(clinicId);
    return (await db.select({ n: count() }).from(securityEvents).where(isNull(securityEvents.reviewedAt)))[0]?.n ?? 0;
  }

  async list(clinicId: string, opts: { before?: number; limit?: number; open?: boolean } = {}): Promise<SecurityEventRow[]> {
    const { db } = await this.clinics.get(clinicId);
    const where = and(opts.before ? lt(securityEvents.id, opts.before) : undefined, opts.open ? isNull(securityEvents.reviewedAt) : undefined);
    return db
      .select()
      .from(securityEvents)
      .where(where)
      .orderBy(desc(securityEvents.id))
      .limit(opts.limit ?? 50);
  }

  async review(clinicId: string, id: number, userId: string): Promise<boolean> {
    const { db } = await this.clinics.get(clinicId);
    const r = await db
      .update(securityEvents)
      .set({ reviewedBy: userId, reviewedAt: this.clock.now().toISOString() })
      .where(and(eq(securityEvents.id, id), isNull(securityEvents.reviewedAt)));
    return r.rowsAffected === 1;
  }
}
