// Server-side sessions (SE2-SE5): an opaque 256-bit token in the cookie, only its SHA-256 stored.
import { and, desc, eq, isNull, ne } from 'drizzle-orm';
import type { Clock } from '../platform/ports.ts';
import type { ControlDb } from '../tenancy/db.ts';
import { clinics, memberships, sessions, users } from '../tenancy/schema/control.ts';
import { newId, newToken, sha256Hex } from '../crypto/bytes.ts';
import type { ClinicSettings } from '../tenancy/settings.ts';

/** Where a session stands: only `active` reaches the application (AU6). */
export type SessionState = 'second-factor' | 'enrol' | 'pick-clinic' | 'active';
export type SessionRecord = typeof sessions.$inferSelect;

/** A half-signed-in session (waiting for a code, an enrolment or a clinic) lives at most this long idle. */
export const PENDING_IDLE_MINUTES = 10;
/** Last-seen is written at most this often, so that reading pages does not mean writing rows. */
const TOUCH_EVERY_MS = 30_000;

export const hashToken = (token: string) => sha256Hex(token);

export type Expiry = 'idle' | 'absolute' | undefined;

export function expiryOf(s: SessionRecord, settings: Pick<ClinicSettings, 'idleTimeoutMinutes' | 'absoluteTimeoutHours'>, now: Date): Expiry {
  const idleMinutes = s.state === 'active' ? settings.idleTimeoutMinutes : Math.min(settings.idleTimeoutMinutes, PENDING_IDLE_MINUTES);
  if (now.getTime() - Date.parse(s.createdAt) >= settings.absoluteTimeoutHours * 3_600_000) return 'absolute';
  if (now.getTime() - Date.parse(s.lastSeenAt) >= idleMinutes * 60_000) return 'idle';
  return undefined;
}

export class SessionStore {
  constructor(
    private readonly control: ControlDb,
    private readonly clock: Clock,
  ) {}

  async create(input: {
    userId: string;
    state: SessionState;
    clinicId?: string | null;
    ip?: string | null;
    userAgent?: string | null;
    /** Kept across rotations, so the absolute timeout counts from the first sign-in step. */
    createdAt?: string;
    reauthAt?: string;
  }): Promise<{ token: string; record: SessionRecord }> {
    const token = newToken();
    const now = this.clock.now().toISOString();
    const record: SessionRecord = {
      tokenHash: await hashToken(token),
      id: newId('s'),
      userId: input.userId,
      clinicId: input.clinicId ?? null,
      state: input.state,
      createdAt: input.createdAt ?? now,
      lastSeenAt: now,
      reauthAt: input.reauthAt ?? now,
      ip: input.ip ?? null,
      userAgent: input.userAgent?.slice(0, 300) ?? null,
    };
    await this.control.insert(sessions).values(record);
    return { token, record };
  }

  /**
   * The session of a token with its person and, when it is bound to a clinic, the person's active
   * membership there: one query per request.
   */
  async load(token: string): Promise<
    | { record: SessionRecord; user: typeof users.$inferSelect; member?: { roles: string; clinicName: string } }
    | undefined
  > {
    if (!token || token.length > 100) return undefined;
    const row = (
      await this.control
        .select({ record: sessions, user: users, roles: memberships.roles, clinicName: clinics.name })
        .from(sessions)
        .innerJoin(users, eq(users.id, sessions.userId))
        .leftJoin(memberships, and(eq(memberships.userId, sessions.userId), eq(memberships.clinicId, sessions.clinicId), isNull(memberships.disabledAt)))
        .leftJoin(clinics, eq(clinics.id, sessions.clinicId))
        .where(eq(sessions.tokenHash, await hashToken(token)))
    )[0];
    if (!row) return undefined;
    return {
      record: row.record,
      user: row.user,
      ...(row.roles !== null && row.clinicName !== null ? { member: { roles: row.roles, clinicName: row.clinicName } } : {}),
    };
  }

  async find(token: string): Promise<SessionRecord | undefined> {
    if (!token || token.length > 100) return undefined;
    return (await this.control.select().from(sessions).where(eq(sessions.tokenHash, await hashToken(token))))[0];
  }

  /** SE3: a new token for the next step; the old one stops working in the same batch. */
  async rotate(
    old: SessionRecord,
    changes: { state?: SessionState; clinicId?: string | null; reauthAt?: string; createdAt?: string },
  ): Promise<{ token: string; record: SessionRecord }> {
    const token = newToken();
    const now = this.clock.now().toISOString();
    const record: SessionRecord = {
      ...old,
      tokenHash: await hashToken(token),
      id: newId('s'),
      state: changes.state ?? old.state,
      clinicId: changes.clinicId === undefined ? old.clinicId : changes.clinicId,
      createdAt: changes.createdAt ?? old.createdAt,
      reauthAt: changes.reauthAt ?? old.reauthAt,
      lastSeenAt: now,
    };
    await this.control.batch([
      this.control.delete(sessions).where(eq(sessions.tokenHash, old.tokenHash)),
      this.control.insert(sessions).values(record),
    ]);
    return { token, record };
  }

  async touch(s: SessionRecord): Promise<void> {
    const now = this.clock.now();
    if (now.getTime() - Date.parse(s.lastSeenAt) < TOUCH_EVERY_MS) return;
    await this.control.update(sessions).set({ lastSeenAt: now.toISOString() }).where(eq(sessions.tokenHash, s.tokenHash));
  }

  async markReauthenticated(s: SessionRecord): Promise<void> {
    await this.control
      .update(sessions)
      .set({ reauthAt: this.clock.now().toISOString() })
      .where(eq(sessions.tokenHash, s.tokenHash));
  }

  async end(tokenHash: string): Promise<void> {
    await this.control.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
  }

  /** Ends one of the person's own sessions by its public id; false when there is none. */
  async endOwn(userId: string, id: string): Promise<boolean> {
    const res = await this.control.delete(sessions).where(and(eq(sessions.userId, userId), eq(sessions.id, id)));
    return res.rowsAffected > 0;
  }

  async endAllOf(userId: string, exceptTokenHash?: string): Promise<number> {
    const res = await this.control
      .delete(sessions)
      .where(exceptTokenHash ? and(eq(sessions.userId, userId), ne(sessions.tokenHash, exceptTokenHash)) : eq(sessions.userId, userId));
    return res.rowsAffected;
  }

  listOf(userId: string): Promise<SessionRecord[]> {
    return this.control.select().from(sessions).where(eq(sessions.userId, userId)).orderBy(desc(sessions.lastSeenAt));
  }
}
