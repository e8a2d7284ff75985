// Identity events outside any clinic: sign-in attempts, lockouts, 2FA and password changes.
// The audit issue chains these rows and raises security events from them; this is its one hook.
import type { Clock } from '../platform/ports.ts';
import type { ControlDb } from '../tenancy/db.ts';
import { identityEvents } from '../tenancy/schema/control.ts';

export type IdentityEventType =
  | 'sign-in.password'
  | 'sign-in.second-factor'
  | 'sign-in.recovery-code'
  | 'sign-in.lockout'
  | 'sign-in.clinic'
  | 'sign-out'
  | 'session.end'
  | 'password.change'
  | 'password.reset-link'
  | 'password.reset'
  | '2fa.enrol'
  | '2fa.disable'
  | '2fa.recovery-codes'
  | '2fa.reset'
  | 'reauth'
  | 'user.disable';

export interface IdentityEvent {
  type: IdentityEventType;
  outcome: 'success' | 'failure';
  userId?: string | null;
  clinicId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  /** Short, non-secret facts (never a password, code or token). */
  detail?: Record<string, string | number | boolean>;
}

export type IdentityEventSink = (e: IdentityEvent) => Promise<void>;

export function controlEventSink(control: ControlDb, clock: Clock): IdentityEventSink {
  return async (e) => {
    await control.insert(identityEvents).values({
      at: clock.now().toISOString(),
      type: e.type,
      outcome: e.outcome,
      userId: e.userId ?? null,
      clinicId: e.clinicId ?? null,
      ip: e.ip ?? null,
      userAgent: e.userAgent?.slice(0, 300) ?? null,
      detail: e.detail ? JSON.stringify(e.detail) : null,
    });
  };
}
