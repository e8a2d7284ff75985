// Signing in, step by step: password -> second factor (when enrolled) -> clinic (when several)
// -> enrolment (when the clinic requires 2FA for the person's roles) -> active. Every step issues a
// new session token (SE3).
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Clock, PasswordHasher } from '../platform/ports.ts';
import type { ControlDb } from '../tenancy/db.ts';
import type { ClinicRegistry } from '../tenancy/registry.ts';
import { clinics, memberships, recoveryCodes, users } from '../tenancy/schema/control.ts';
import type { InstallSecrets } from '../crypto/keys.ts';
import { isRole, type Role } from '../access/roles.ts';
import type { IdentityEventSink } from './events.ts';
import { SessionStore, type SessionRecord, type SessionState } from './sessions.ts';
import { accountKey, ipKey, POLICIES, secondFactorKey, Throttle } from './throttle.ts';
import { normaliseEmail } from './users.ts';
import { matchTotp } from './totp.ts';
import { hashRecoveryCode, normaliseRecoveryCode } from './recovery.ts';
import { openBytes } from './secret-box.ts';

export interface AuthDeps {
  control: ControlDb;
  clinics: ClinicRegistry;
  hasher: PasswordHasher;
  clock: Clock;
  secrets: InstallSecrets;
  events: IdentityEventSink;
}

export interface RequestInfo {
  ip: string | null;
  userAgent: string | null;
  /** The request and route pattern, carried into the clinic's audit row of an identity event (LG1). */
  requestId?: string | null;
  route?: string | null;
}

export type UserRow = typeof users.$inferSelect;

export interface Membership {
  clinicId: string;
  slug: string;
  name: string;
  roles: Role[];
}

export type StepResult =
  | { ok: true; token: string; record: SessionRecord; recoveryCodeUsed?: { left: number } }
  | { ok: false; reason: 'invalid' | 'throttled' | 'no-clinic'; retryAt?: Date };

export const TOTP_PURPOSE = 'users.totp_secret';
export const FRESH_REAUTH_MS = 5 * 60_000;

export function parseRoles(json: string): Role[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.filter((r): r is Role => typeof r === 'string' && isRole(r)) : [];
  } catch {
    return [];
  }
}

export class AuthService {
  readonly sessions: SessionStore;
  readonly throttle: Throttle;
  private dummyHash: Promise<string> | undefined;

  constructor(private readonly deps: AuthDeps) {
    this.sessions = new SessionStore(deps.control, deps.clock);
    this.throttle = new Throttle(deps.control, deps.clock);
  }

  get events(): IdentityEventSink {
    return this.deps.events;
  }

  async userById(id: string): Promise<UserRow | undefined> {
    return (await this.deps.control.select().from(users).where(eq(users.id, id)))[0];
  }

  /** The person's active memberships in clinics that exist. */
  async membershipsOf(userId: string): Promise<Membership[]> {
    const rows = await this.deps.control
      .select({ clinicId: clinics.id, slug: clinics.slug, name: clinics.name, roles: memberships.roles })
      .from(memberships)
      .innerJoin(clinics, eq(clinics.id, memberships.clinicId))
      .where(and(eq(memberships.userId, userId), isNull(memberships.disabledAt)))
      .orderBy(clinics.name);
    return rows.map((r) => ({ ...r, roles: parseRoles(r.roles) })).filter((m) => m.roles.length > 0);
  }

  /** Verifies against a fixed hash when there is no real one, so unknown emails take as long (AU5). */
  private async verifyPassword(user: UserRow | undefined, password: string): Promise<boolean> {
    if (user?.passwordHash) return this.deps.hasher.verify(user.passwordHash, password);
    this.dummyHash ??= this.deps.hasher.hash('invent-timing-equaliser-password');
    await this.deps.hasher.verify(await this.dummyHash, password);
    return false;
  }

  async passwordStep(emailInput: string, password: string, req: RequestInfo): Promise<StepResult> {
    const email = normaliseEmail(emailInput);
    const keys = [accountKey(email), ...(req.ip ? [ipKey(req.ip)] : [])];
    const blocked = await this.throttle.blockedUntil(keys);
    if (blocked) {
      await this.deps.events({ type: 'sign-in.password', outcome: 'failure', ...req, detail: { reason: 'throttled' } });
      return { ok: false, reason: 'throttled', retryAt: blocked };
    }
    const user = (await this.deps.control.select().from(users).where(eq(users.email, email)))[0];
    const good = (await this.verifyPassword(user, password)) && !user?.disabledAt;
    if (!user || !good) {
      const account = await this.throttle.fail(accountKey(email), POLICIES.account);
      if (req.ip) await this.throttle.fail(ipKey(req.ip), POLICIES.ip);
      await this.deps.events({ type: 'sign-in.password', outcome: 'failure', userId: user?.id ?? null, ...req });
      if (account.lockedNow) {
        // Hook for the security-events page (audit issue): a lockout is worth an administrator's look.
        await this.deps.events({ type: 'sign-in.lockout', outcome: 'failure', userId: user?.id ?? null, ...req, detail: { failures: account.failures } });
      }
      // The failure that starts a delay already answers "too many attempts", known email or not.
      return account.blockedUntil ? { ok: false, reason: 'throttled', retryAt: account.blockedUntil } : { ok: false, reason: 'invalid' };
    }
    await this.throttle.clear(accountKey(email));
    await this.rehashIfNeeded(user, password);
    await this.deps.events({ type: 'sign-in.password', outcome: 'success', userId: user.id, ...req });
    if (user.totpSecret) {
      const { token, record } = await this.sessions.create({ userId: user.id, state: 'second-factor', ...req });
      return { ok: true, token, record };
    }
    return this.afterFactors(user, undefined, req);
  }

  /** AU4: when the hashing settings rise, the stored hash is upgraded at the next sign-in. */
  private async rehashIfNeeded(user: UserRow, password: string): Promise<void> {
    if (user.passwordHash && this.deps.hasher.needsRehash(user.passwordHash)) {
      await this.deps.control.update(users).set({ passwordHash: await this.deps.hasher.hash(password) }).where(eq(users.id, user.id));
    }
  }

  /**
   * After password (and code, if enrolled): pick the clinic when there is one, then see whether
   * that clinic requires 2FA the person has not set up.
   */
  private async afterFactors(user: UserRow, prior: SessionRecord | undefined, req: RequestInfo, clinicId?: string): Promise<StepResult> {
    const list = await this.membershipsOf(user.id);
    if (list.length === 0) return { ok: false, reason: 'no-clinic' };
    const chosen = clinicId ? list.find((m) => m.clinicId === clinicId) : list.length === 1 ? list[0] : undefined;
    let state: SessionState = 'pick-clinic';
    if (chosen) state = !user.totpSecret && (await this.requiresTwoFactor(chosen)) ? 'enrol' : 'active';
    const changes = { state, clinicId: chosen?.clinicId ?? null };
    const { token, record } = prior
      ? await this.sessions.rotate(prior, changes)
      : await this.sessions.create({ userId: user.id, ...changes, ...req });
    if (chosen && state === 'active') {
      await this.deps.events({ type: 'sign-in.clinic', outcome: 'success', userId: user.id, clinicId: chosen.clinicId, ...req });
    }
    return { ok: true, token, record };
  }

  async requiresTwoFactor(m: Membership): Promise<boolean> {
    const settings = (await this.deps.clinics.get(m.clinicId)).settings;
    return m.roles.some((r) => settings.twoFactor[r] === 'required');
  }

  async secondFactorStep(session: SessionRecord, input: string, req: RequestInfo): Promise<StepResult> {
    const user = await this.userById(session.userId);
    if (!user?.totpSecret || user.disabledAt) return { ok: false, reason: 'invalid' };
    const key = secondFactorKey(user.id);
    const blocked = await this.throttle.blockedUntil([key]);
    if (blocked) return { ok: false, reason: 'throttled', retryAt: blocked };
    const check = await this.checkSecondFactor(user, input);
    if (!check.ok) {
      const r = await this.throttle.fail(key, POLICIES.secondFactor);
      await this.deps.events({ type: check.kind === 'recovery' ? 'sign-in.recovery-code' : 'sign-in.second-factor', outcome: 'failure', userId: user.id, ...req });
      if (r.lockedNow) await this.deps.events({ type: 'sign-in.lockout', outcome: 'failure', userId: user.id, ...req, detail: { factor: 'second', failures: r.failures } });
      return r.blockedUntil ? { ok: false, reason: 'throttled', retryAt: r.blockedUntil } : { ok: false, reason: 'invalid' };
    }
    await this.throttle.clear(key);
    await this.deps.events({ type: check.kind === 'recovery' ? 'sign-in.recovery-code' : 'sign-in.second-factor', outcome: 'success', userId: user.id, ...req, ...(check.left !== undefined ? { detail: { left: check.left } } : {}) });
    const result = await this.afterFactors(user, { ...session, reauthAt: this.deps.clock.now().toISOString() }, req);
    if (result.ok && check.kind === 'recovery') result.recoveryCodeUsed = { left: check.left! };
    return result;
  }

  /** A TOTP code (each time step once: AU8) or an unused recovery code (once: AU10). */
  async checkSecondFactor(user: UserRow, input: string): Promise<{ ok: boolean; kind: 'totp' | 'recovery'; left?: number }> {
    const code = input.replace(/\s/g, '');
    if (/^\d{6}$/.test(code)) {
      const secret = await openBytes(this.deps.secrets.controlField, TOTP_PURPOSE, user.id, user.totpSecret!);
      const step = matchTotp(secret, code, this.deps.clock.now());
      if (step === undefined) return { ok: false, kind: 'totp' };
      // Claim the step atomically: a parallel request with the same code finds it taken.
      const claimed = await this.deps.control.run(
        sql`UPDATE users SET totp_last_step = ${step} WHERE id = ${user.id} AND (totp_last_step IS NULL OR totp_last_step < ${step})`,
      );
      return { ok: claimed.rowsAffected === 1, kind: 'totp' };
    }
    const normal = normaliseRecoveryCode(code);
    if (!normal) return { ok: false, kind: 'recovery' };
    const hash = await hashRecoveryCode(normal);
    const now = this.deps.clock.now().toISOString();
    const used = await this.deps.control
      .update(recoveryCodes)
      .set({ usedAt: now })
      .where(and(eq(recoveryCodes.userId, user.id), eq(recoveryCodes.codeHash, hash), isNull(recoveryCodes.usedAt)));
    if (used.rowsAffected !== 1) return { ok: false, kind: 'recovery' };
    const left = (
      await this.deps.control
        .select({ id: recoveryCodes.id })
        .from(recoveryCodes)
        .where(and(eq(recoveryCodes.userId, user.id), isNull(recoveryCodes.usedAt)))
    ).length;
    return { ok: true, kind: 'recovery', left };
  }

  async pickClinic(session: SessionRecord, clinicId: string, req: RequestInfo): Promise<StepResult> {
    const user = await this.userById(session.userId);
    if (!user || user.disabledAt) return { ok: false, reason: 'invalid' };
    const list = await this.membershipsOf(user.id);
    if (!list.some((m) => m.clinicId === clinicId)) return { ok: false, reason: 'invalid' };
    return this.afterFactors(user, session, req, clinicId);
  }

  /** SE6: password or current TOTP code, within the throttles of sign-in. */
  async reauthenticate(session: SessionRecord, input: { password?: string; code?: string }, req: RequestInfo): Promise<StepResult> {
    const user = await this.userById(session.userId);
    if (!user || user.disabledAt) return { ok: false, reason: 'invalid' };
    const key = input.code ? secondFactorKey(user.id) : accountKey(user.email);
    const blocked = await this.throttle.blockedUntil([key]);
    if (blocked) return { ok: false, reason: 'throttled', retryAt: blocked };
    let good = false;
    if (input.code && user.totpSecret) good = (await this.checkSecondFactor(user, input.code)).ok;
    else if (input.password) good = await this.verifyPassword(user, input.password);
    await this.deps.events({ type: 'reauth', outcome: good ? 'success' : 'failure', userId: user.id, clinicId: session.clinicId, ...req });
    if (!good) {
      const r = await this.throttle.fail(key, input.code ? POLICIES.secondFactor : POLICIES.account);
      return { ok: false, reason: 'invalid', ...(r.blockedUntil ? { retryAt: r.blockedUntil } : {}) };
    }
    await this.throttle.clear(key);
    await this.sessions.markReauthenticated(session);
    return { ok: true, token: '', record: { ...session, reauthAt: this.deps.clock.now().toISOString() } };
  }

  isFresh(session: SessionRecord): boolean {
    return this.deps.clock.now().getTime() - Date.parse(session.reauthAt) < FRESH_REAUTH_MS;
  }
}
