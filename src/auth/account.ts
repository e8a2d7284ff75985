// What a signed-in person does to their own account, and what administrators start for others:
// TOTP enrolment, recovery codes, password change, one-time reset links.
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { ControlDb } from '../tenancy/db.ts';
import { recoveryCodes, resetTokens, users } from '../tenancy/schema/control.ts';
import { newId, newToken, sha256Hex } from '../crypto/bytes.ts';
import type { AuthDeps, RequestInfo, UserRow } from './service.ts';
import { AuthService, TOTP_PURPOSE } from './service.ts';
import type { SessionRecord } from './sessions.ts';
import { manualKey, matchTotp, newTotpSecret, totpUri } from './totp.ts';
import { hashRecoveryCode, newRecoveryCode, normaliseRecoveryCode, RECOVERY_CODE_COUNT } from './recovery.ts';
import { openBytes, sealBytes } from './secret-box.ts';
import { checkPassword, type StrengthProblem } from './password-strength.ts';

export const RESET_LINK_HOURS = 24;
const CANDIDATE_PURPOSE = 'totp-candidate';

export interface Enrolment {
  uri: string;
  manualKey: string;
  /** The candidate secret, sealed to this session, carried by the confirmation form. */
  sealed: string;
}

export class AccountService {
  constructor(
    private readonly deps: AuthDeps,
    private readonly auth: AuthService,
  ) {}

  private get control(): ControlDb {
    return this.deps.control;
  }

  async beginEnrolment(user: UserRow, session: SessionRecord, issuer: string): Promise<Enrolment> {
    const secret = newTotpSecret();
    return {
      uri: totpUri(issuer, user.email, secret),
      manualKey: manualKey(secret),
      sealed: await sealBytes(this.deps.secrets.controlField, CANDIDATE_PURPOSE, session.id, secret),
    };
  }

  /** Re-creates the enrolment shown before, from its sealed form (after a wrong code). */
  async resumeEnrolment(user: UserRow, session: SessionRecord, sealed: string, issuer: string): Promise<Enrolment | undefined> {
    const secret = await openBytes(this.deps.secrets.controlField, CANDIDATE_PURPOSE, session.id, sealed).catch(() => undefined);
    if (!secret || secret.length !== 20) return undefined;
    return { uri: totpUri(issuer, user.email, secret), manualKey: manualKey(secret), sealed };
  }

  /**
   * Saves the secret once a code from it checks out; returns the recovery codes, shown once.
   * Undefined when the code is wrong or the sealed secret is not this session's.
   */
  async confirmEnrolment(user: UserRow, session: SessionRecord, sealed: string, code: string, req: RequestInfo): Promise<string[] | undefined> {
    const secret = await openBytes(this.deps.secrets.controlField, CANDIDATE_PURPOSE, session.id, sealed).catch(() => undefined);
    if (!secret || secret.length !== 20) return undefined;
    const step = matchTotp(secret, code.replace(/\s/g, ''), this.deps.clock.now());
    if (step === undefined) {
      await this.deps.events({ type: '2fa.enrol', outcome: 'failure', userId: user.id, clinicId: session.clinicId, ...req });
      return undefined;
    }
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    const now = this.deps.clock.now().toISOString();
    const rows = await Promise.all(
      codes.map(async (c) => ({ id: newId('rc'), userId: user.id, codeHash: await hashRecoveryCode(normaliseRecoveryCode(c)!), createdAt: now })),
    );
    await this.control.batch([
      this.control
        .update(users)
        .set({ totpSecret: await sealBytes(this.deps.secrets.controlField, TOTP_PURPOSE, user.id, secret), totpEnabledAt: now, totpLastStep: step })
        .where(eq(users.id, user.id)),
      this.control.delete(recoveryCodes).where(eq(recoveryCodes.userId, user.id)),
      this.control.insert(recoveryCodes).values(rows),
    ]);
    await this.deps.events({ type: '2fa.enrol', outcome: 'success', userId: user.id, clinicId: session.clinicId, ...req });
    // SE5: a second-factor change ends every other session.
    await this.auth.sessions.endAllOf(user.id, session.tokenHash);
    return codes;
  }

  async regenerateRecoveryCodes(user: UserRow, session: SessionRecord, req: RequestInfo): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    const rows = await Promise.all(
      codes.map(async (c) => ({ id: newId('rc'), userId: user.id, codeHash: await hashRecoveryCode(normaliseRecoveryCode(c)!) })),
    );
    await this.control.batch([
      this.control.delete(recoveryCodes).where(eq(recoveryCodes.userId, user.id)),
      this.control.insert(recoveryCodes).values(rows),
    ]);
    await this.deps.events({ type: '2fa.recovery-codes', outcome: 'success', userId: user.id, clinicId: session.clinicId, ...req });
    return codes;
  }

  async unusedRecoveryCodes(userId: string): Promise<number> {
    return (
      await this.control
        .select({ id: recoveryCodes.id })
        .from(recoveryCodes)
        .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)))
    ).length;
  }

  /** Turns 2FA off (by the person, after re-authentication, or by an administrator: `by`). */
  async disableTwoFactor(userId: string, by: { actor: string; clinicId?: string | null; exceptSession?: string }, req: RequestInfo): Promise<void> {
    await this.control.batch([
      this.control.update(users).set({ totpSecret: null, totpEnabledAt: null, totpLastStep: null }).where(eq(users.id, userId)),
      this.control.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)),
    ]);
    const type = by.actor === userId ? '2fa.disable' : '2fa.reset';
    await this.deps.events({ type, outcome: 'success', userId, clinicId: by.clinicId ?? null, ...req, detail: { by: by.actor } });
    await this.auth.sessions.endAllOf(userId, by.exceptSession);
  }

  /**
   * AU1: the longest minimum of the person's clinics (and of this one): one password serves all of
   * them, so a clinic that raised its minimum is not undercut by a reset link or another clinic.
   */
  async minPasswordLength(userId: string, clinicId: string | null = null): Promise<number> {
    const ids = new Set([...(clinicId ? [clinicId] : []), ...(await this.auth.membershipsOf(userId)).map((m) => m.clinicId)]);
    let min = 12;
    for (const id of ids) min = Math.max(min, (await this.deps.clinics.get(id)).settings.minPasswordLength);
    return min;
  }

  async passwordProblem(user: UserRow, password: string, clinicId: string | null): Promise<StrengthProblem | undefined> {
    const minLength = await this.minPasswordLength(user.id, clinicId);
    const clinicNames = (await this.auth.membershipsOf(user.id)).flatMap((m) => [m.name, m.slug]);
    return checkPassword(password, { minLength, context: [user.email, user.displayName, ...clinicNames, 'invent medical'] });
  }

  /** Changes the password after checking the current one; every other session ends (SE5). */
  async changePassword(
    user: UserRow,
    session: SessionRecord,
    current: string,
    next: string,
    req: RequestInfo,
  ): Promise<{ ok: true } | { ok: false; problem: StrengthProblem | 'wrong-current' | 'throttled' }> {
    const check = await this.auth.reauthenticate(session, { password: current }, req);
    if (!check.ok) return { ok: false, problem: check.reason === 'throttled' ? 'throttled' : 'wrong-current' };
    const problem = await this.passwordProblem(user, next, session.clinicId);
    if (problem) return { ok: false, problem };
    await this.control
      .update(users)
      .set({ passwordHash: await this.deps.hasher.hash(next), passwordChangedAt: this.deps.clock.now().toISOString() })
      .where(eq(users.id, user.id));
    await this.deps.events({ type: 'password.change', outcome: 'success', userId: user.id, clinicId: session.clinicId, ...req });
    await this.auth.sessions.endAllOf(user.id, session.tokenHash);
    return { ok: true };
  }

  /** AU11: a one-time link, valid 24 hours; any earlier unused link of the person stops working. */
  async createResetLink(userId: string, createdBy: string, purpose: 'reset' | 'setup', req: RequestInfo): Promise<string> {
    const token = newToken();
    const now = this.deps.clock.now();
    await this.control.batch([
      this.control.delete(resetTokens).where(and(eq(resetTokens.userId, userId), isNull(resetTokens.usedAt))),
      this.control.insert(resetTokens).values({
        tokenHash: await sha256Hex(token),
        userId,
        purpose,
        createdBy,
        createdAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + RESET_LINK_HOURS * 3_600_000).toISOString(),
      }),
    ]);
    await this.deps.events({ type: 'password.reset-link', outcome: 'success', userId, ...req, detail: { by: createdBy, purpose } });
    return token;
  }

  async findResetLink(token: string): Promise<{ user: UserRow; tokenHash: string } | undefined> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
    const tokenHash = await sha256Hex(token);
    const row = (
      await this.control
        .select()
        .from(resetTokens)
        .where(and(eq(resetTokens.tokenHash, tokenHash), isNull(resetTokens.usedAt), gt(resetTokens.expiresAt, this.deps.clock.now().toISOString())))
    )[0];
    if (!row) return undefined;
    const user = await this.auth.userById(row.userId);
    return user && !user.disabledAt ? { user, tokenHash } : undefined;
  }

  async useResetLink(token: string, password: string, req: RequestInfo): Promise<{ ok: true; user: UserRow } | { ok: false; problem: StrengthProblem | 'invalid-link' }> {
    const found = await this.findResetLink(token);
    if (!found) return { ok: false, problem: 'invalid-link' };
    const problem = await this.passwordProblem(found.user, password, null);
    if (problem) return { ok: false, problem };
    const now = this.deps.clock.now().toISOString();
    const used = await this.control
      .update(resetTokens)
      .set({ usedAt: now })
      .where(and(eq(resetTokens.tokenHash, found.tokenHash), isNull(resetTokens.usedAt)));
    if (used.rowsAffected !== 1) return { ok: false, problem: 'invalid-link' };
    await this.control.update(users).set({ passwordHash: await this.deps.hasher.hash(password), passwordChangedAt: now }).where(eq(users.id, found.user.id));
    await this.deps.events({ type: 'password.reset', outcome: 'success', userId: found.user.id, ...req });
    await this.auth.sessions.endAllOf(found.user.id);
    return { ok: true, user: found.user };
  }
}
