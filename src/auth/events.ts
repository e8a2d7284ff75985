// Identity events outside any clinic: sign-in attempts, lockouts, 2FA and password changes.
// The audit issue chains these rows and raises security events from them; this is its one hook.
import type { Client } from '@libsql/client';
import type { Clock } from '../platform/ports.ts';
import type { ControlDb } from '../tenancy/db.ts';
import { appendIdentityEvent } from '../audit/identity.ts';

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
  /** The request that caused it and its route pattern (for the clinic's audit row; not stored here). */
  requestId?: string | null;
  route?: string | null;
  /** Short, non-secret facts (never a password, code or token). */
  detail?: Record<string, string | number | boolean>;
}

export type IdentityEventSink = (e: IdentityEvent) => Promise<void>;

/** Appends to identity_events, hash-chained in a write transaction (audit/identity.ts, LG3). */
export function controlEventSink(control: ControlDb, clock: Clock): IdentityEventSink {
  // drizzle keeps the client it was built over; the chain is written with it directly.
  const client = (control as unknown as { $client?: Client }).$client;
  if (!client) throw new Error('controlEventSink needs a drizzle database built over a libSQL client');
  return async (e) => {
    await appendIdentityEvent(client, clock, e);
  };
}
