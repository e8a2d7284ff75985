// Staff administration use-cases: add people, change roles, disable, reset links, reset 2FA.
// Identity lives in the control database and the audit log in the clinic's, so a change and its
// event cannot share one transaction: the change is written first, then its event.
import type { PasswordHasher } from '../../platform/ports.ts';
import type { ControlDb } from '../../tenancy/db.ts';
import type { AccountService } from '../../auth/account.ts';
import { addMember, UserInputError } from '../../auth/users.ts';
import type { Role } from '../../access/roles.ts';
import { eventFor, type AuditContext, type AuditSink } from '../../audit/context.ts';
import type { Clock } from '../../platform/ports.ts';
import { staffRepo, type StaffMember } from './repo.ts';

import { StaffError } from './errors.ts';

export { StaffError };

export interface StaffDeps {
  control: ControlDb;
  hasher: PasswordHasher;
  account: AccountService;
  audit: AuditSink;
  clock: Clock;
}

export class StaffService {
  private readonly repo;

  constructor(private readonly deps: StaffDeps) {
    this.repo = staffRepo(deps.control);
  }

  list(ctx: AuditContext): Promise<StaffMember[]> {
    return this.repo.list(ctx.clinicId);
  }

  async get(ctx: AuditContext, membershipId: string): Promise<StaffMember> {
    const m = await this.repo.get(ctx.clinicId, membershipId);
    if (!m) throw new StaffError('not-found');
    return m;
  }

  private async log(ctx: AuditContext, action: 'create' | 'update' | 'execute', m: { membershipId: string }, detail: Record<string, string | number | boolean | null>) {
    await this.deps.audit(ctx.clinicId, [eventFor(ctx, { action, outcome: 'success', entity: { type: 'staff', id: m.membershipId }, detail })]);
  }

  /** Adds a person: an existing account gets the membership; a new one gets a set-up link. */
  async add(ctx: AuditContext, input: { email: string; name: string; roles: Role[] }): Promise<{ member: StaffMember; setupToken?: string }> {
    let result;
    try {
      result = await addMember(this.deps.control, this.deps.hasher, { email: input.email, clinicId: ctx.clinicId, roles: input.roles, displayName: input.name });
    } catch (err) {
      if (err instanceof UserInputError) throw new StaffError(/already a member/.test(err.message) ? 'exists' : 'invalid-email');
      throw err;
    }
    const member = (await this.repo.list(ctx.clinicId)).find((m) => m.userId === result.user.id)!;
    await this.log(ctx, 'create', member, { roles: input.roles.join(','), newAccount: result.created });
    if (!result.created) return { member };
    const setupToken = await this.deps.account.createResetLink(result.user.id, ctx.actor.userId ?? 'operator', 'setup', { ip: ctx.actor.ip, userAgent: ctx.actor.userAgent });
    return { member, setupToken };
  }

  async changeRoles(ctx: AuditContext, membershipId: string, roles: Role[]): Promise<void> {
    const m = await this.get(ctx, membershipId);
    if (m.roles.includes('admin') && !roles.includes('admin') && (await this.repo.otherActiveAdmins(ctx.clinicId, membershipId)) === 0) {
      throw new StaffError('last-admin');
    }
    await this.repo.setRoles(ctx.clinicId, membershipId, roles);
    await this.log(ctx, 'update', m, { from: m.roles.join(','), to: roles.join(',') });
  }

  async setDisabled(ctx: AuditContext, membershipId: string, disabled: boolean): Promise<void> {
    const m = await this.get(ctx, membershipId);
    if (disabled && m.userId === ctx.actor.userId) throw new StaffError('self');
    if (disabled && m.roles.includes('admin') && (await this.repo.otherActiveAdmins(ctx.clinicId, membershipId)) === 0) throw new StaffError('last-admin');
    await this.repo.setDisabled(ctx.clinicId, membershipId, m.userId, disabled ? this.deps.clock.now().toISOString() : null);
    await this.log(ctx, 'update', m, { disabled });
  }

  /**
   * The account is shared with other clinics (one person, one account: AU12): its password and
   * second factor are not one clinic's to reset, or any clinic's administrator could add another
   * clinic's administrator by email, reset them and sign in there (AC3). The operator can (CLI).
   */
  private async ownAccount(ctx: AuditContext, m: StaffMember): Promise<void> {
    if ((await this.repo.otherClinics(ctx.clinicId, m.userId)) > 0) throw new StaffError('shared');
  }

  async resetPasswordLink(ctx: AuditContext, membershipId: string): Promise<string> {
    const m = await this.get(ctx, membershipId);
    await this.ownAccount(ctx, m);
    const token = await this.deps.account.createResetLink(m.userId, ctx.actor.userId ?? 'operator', m.hasPassword ? 'reset' : 'setup', {
      ip: ctx.actor.ip,
      userAgent: ctx.actor.userAgent,
    });
    await this.log(ctx, 'execute', m, { resetLink: true });
    return token;
  }

  async resetTwoFactor(ctx: AuditContext, membershipId: string): Promise<void> {
    const m = await this.get(ctx, membershipId);
    await this.ownAccount(ctx, m);
    await this.deps.account.disableTwoFactor(
      m.userId,
      { actor: ctx.actor.userId ?? 'operator', clinicId: ctx.clinicId },
      { ip: ctx.actor.ip, userAgent: ctx.actor.userAgent, requestId: ctx.requestId, route: ctx.route },
    );
    // The '2fa.reset' identity event raises the security event (features/security/identity-watch.ts).
    await this.log(ctx, 'execute', m, { resetTwoFactor: true });
  }

  async endSessions(ctx: AuditContext, membershipId: string): Promise<number> {
    const m = await this.get(ctx, membershipId);
    const n = await this.repo.endSessions(ctx.clinicId, m.userId);
    await this.log(ctx, 'execute', m, { endedSessions: n });
    return n;
  }
}
