// Loads the session of each request, enforces its timeouts server-side (SE4) and works out who is
// asking. Expired, revoked or orphaned sessions are deleted and their cookie cleared.
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.ts';
import type { AuthService } from '../auth/service.ts';
import { parseRoles } from '../auth/service.ts';
import { expiryOf } from '../auth/sessions.ts';
import type { ClinicRegistry } from '../tenancy/registry.ts';
import { defaultSettings } from '../tenancy/settings.ts';
import { permissionsOf } from '../access/permissions.ts';
import type { Clock } from '../platform/ports.ts';
import { clearCookie, readCookie, SESSION_COOKIE } from './cookies.ts';

export function sessionMiddleware(deps: { auth: AuthService; clinics: ClinicRegistry; clock: Clock }): MiddlewareHandler<AppEnv> {
  const fallback = defaultSettings();
  return async (c, next) => {
    const token = readCookie(c, SESSION_COOKIE);
    if (!token) return next();
    const found = await deps.auth.sessions.load(token);
    const record = found?.record;
    const user = found?.user;
    const settings = record?.clinicId ? (await deps.clinics.get(record.clinicId)).settings : fallback;
    const expired = record ? expiryOf(record, settings, deps.clock.now()) : undefined;
    if (!record || !user || user.disabledAt || expired) {
      if (record) await deps.auth.sessions.end(record.tokenHash);
      clearCookie(c, SESSION_COOKIE);
      c.set('sessionEnded', expired ?? 'gone');
      return next();
    }
    if (record.state === 'active') {
      const roles = found.member ? parseRoles(found.member.roles) : [];
      if (!found.member || roles.length === 0) {
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
        clinicName: found.member.clinicName,
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
