// What identity events mean for clinics: those bound to a clinic are mirrored into its audit log
// (LG1: sign-in, sign-out, failures), and some raise a security event for its administrators.
import { and, eq, gte, inArray, isNull, count } from 'drizzle-orm';
import type { Clock } from '../../platform/ports.ts';
import type { ControlDb } from '../../tenancy/db.ts';
import { identityEvents, memberships } from '../../tenancy/schema/control.ts';
import type { IdentityEvent, IdentityEventSink } from '../../auth/events.ts';
import type { AuditSink } from '../../audit/context.ts';
import type { AuditAction } from '../../audit/types.ts';
import type { SecurityEventService, SecurityEvents, SecurityEventKind } from './service.ts';

/** Failed password sign-ins against one clinic's people within the window that count as a burst. */
export const BURST_FAILURES = 10;
export const BURST_WINDOW_MS = 10 * 60_000;

const ACTIONS: Partial<Record<IdentityEvent['type'], AuditAction>> = {
  'sign-in.password': 'sign-in',
  'sign-in.second-factor': 'sign-in',
  'sign-in.recovery-code': 'sign-in',
  'sign-in.clinic': 'sign-in',
  'sign-in.lockout': 'failure',
  'sign-out': 'sign-out',
};

export function watchIdentityEvents(deps: {
  control: ControlDb;
  clock: Clock;
  base: IdentityEventSink;
  audit: AuditSink;
  security: SecurityEvents & Pick<SecurityEventService, 'lastRaisedAt'>;
}): IdentityEventSink {
  const clinicsOf = async (userId: string): Promise<string[]> =>
    (
      await deps.control
        .select({ clinicId: memberships.clinicId })
        .from(memberships)
        .where(and(eq(memberships.userId, userId), isNull(memberships.disabledAt)))
    ).map((r) => r.clinicId);

  const raise = async (clinics: string[], kind: SecurityEventKind, e: IdentityEvent, detail: Record<string, string | number | boolean | null> = {}) => {
    for (const clinicId of clinics) {
      await deps.security.raise(clinicId, { kind, subjectUserId: e.userId ?? null, detail: { ...detail, ...(e.ip ? { ip: e.ip } : {}) } });
    }
  };

  return async (e) => {
    await deps.base(e);
    const clinics = e.clinicId ? [e.clinicId] : e.userId ? await clinicsOf(e.userId) : [];

    // Mirror into the clinic's own log: a clinic-bound event, or a sign-in failure of one of its people.
    const mirror = e.clinicId || (e.outcome === 'failure' && e.type.startsWith('sign-in')) ? clinics : [];
    for (const clinicId of mirror) {
      await deps.audit(clinicId, [
        {
          action: ACTIONS[e.type] ?? (e.outcome === 'failure' ? 'failure' : 'execute'),
          outcome: e.outcome,
          actor: { userId: e.userId ?? null, kind: 'user', roles: [], sessionHash: null, ip: e.ip ?? null, userAgent: e.userAgent ?? null },
          entity: { type: 'identity', id: e.type },
          requestId: e.requestId ?? null,
          route: e.route ?? null,
          detail: e.detail ?? null,
        },
      ]);
    }

    if (e.type === 'sign-in.lockout') await raise(clinics, 'lockout', e, { failures: Number(e.detail?.failures ?? 0) });
    else if (e.type === '2fa.reset') await raise(clinics, '2fa-reset', e, { by: String(e.detail?.by ?? '') });
    else if (e.type === 'sign-in.recovery-code' && e.outcome === 'success') await raise(clinics, 'recovery-code-used', e, { left: Number(e.detail?.left ?? 0) });
    else if (e.type === 'sign-in.password' && e.outcome === 'failure' && e.userId) {
      // A burst: BURST_FAILURES or more failures of a clinic's people within the window, raised at
      // most once per window (a steady stream of failures keeps the count at the threshold, and
      // parallel failures may step over it).
      const since = new Date(deps.clock.now().getTime() - BURST_WINDOW_MS).toISOString();
      for (const clinicId of clinics) {
        const people = (await deps.control.select({ userId: memberships.userId }).from(memberships).where(eq(memberships.clinicId, clinicId))).map((r) => r.userId);
        const n =
          (
            await deps.control
              .select({ n: count() })
              .from(identityEvents)
              .where(
                and(
                  eq(identityEvents.type, 'sign-in.password'),
                  eq(identityEvents.outcome, 'failure'),
                  gte(identityEvents.at, since),
                  inArray(identityEvents.userId, people),
                ),
              )
          )[0]?.n ?? 0;
        if (n < BURST_FAILURES) continue;
        const last = await deps.security.lastRaisedAt(clinicId, 'sign-in-burst');
        if (last === null || last < since) await raise([clinicId], 'sign-in-burst', e, { failures: n, minutes: BURST_WINDOW_MS / 60_000 });
      }
    }
  };
}
