// Loads the session of each request, enforces its timeouts server-side (SE4) and works out who is
// asking. Expired, revoked or orphaned sessions are deleted and their cookie cleared.
import type { MiddlewareHandler } from 'hono';
import { and, eq, isNull } from 'drizzle-orm';
import type { AppEnv } from './env.ts';
import type { AuthService } from '../auth/service.ts';
import { parseRoles } from '../auth/service.ts';
import { expiryOf } from '../auth/sessions.ts';
import type { ControlDb } from '../tenancy/db.ts';
import type { ClinicRegistry } from '../tenancy/registry.ts';
import { clinics, memberships } from '../tenancy/schema/control.ts';
import { defaultSettings } from '../tenancy/settings.ts';
import { permissionsOf } from '../access/permissions.ts';
import type { Clock } from '../platform/ports.ts';
import { clearCookie, readCookie, SESSION_COOKIE } from './cookies.ts';

export function sessionMiddleware(deps: { auth: AuthService; control: ControlDb; clinics: ClinicRegistry; clock: Clock }): MiddlewareHandler<AppEnv> {
  const fallback = defaultSettings();
  return async (c, next) => {
    const token = readCookie(c, SESSION_COOKIE);
    if (!token) return next();
    const record = await deps.auth.sessions.find(token);
    const user = record && (await deps.auth.userById(record.userId));
    const settings = record?.clinicId ? (await deps.clinics.get(record.clinicId)).settings : fallback;
    const expired = record ? expiryOf(record, settings, deps.clock.now()) : undefined;
    if (!record || !user || user.disabledAt || expired) {
      if (record) await deps.auth.sessions.end(record.tokenHash);
      clearCookie(c, SESSION_COOKIE);
      c.set('sessionEnded', expired ?? 'gone');
      return next();
    }
    if (record.state === 'active') {
      const member = record.clinicId
        ? (
            await deps.control
              .select({ roles: memberships.roles, clinicName: clinics.name })
              .from(memberships)
              .innerJoin(clinics, eq(clinics.id, memberships.clinicId))
              .where(and(eq(memberships.userId, user.id), eq(memberships.clinicId, record.clinicId), isNull(memberships.disabledAt)))
          )[0]
        : undefined;
      const roles = member ? parseRoles(member.roles) : [];
      if (!member || roles.length === 0) {
        // The membership ended while the session lived: the session ends too.
        await deps.auth.sessions.end(record.tokenHash);
        clearCookie(c, SESSION_COOKIE);
        c.set('sessionEnded', 'gone');
        return next();
      }
      c.set('viewer', {
        userId: user.id,
        name: user.displayName,
        email: user.email,
        clinicId: record.clinicId!,
        clinicName: member.clinicName,
        roles,
        permissions: permissionsOf(roles),
        sessionId: record.id,
      });
    }
    c.set('session', { record, user });
    await deps.auth.sessions.touch(record);
    return next();
  };
}
