// Staff of one clinic: memberships joined to users (control database).
import { and, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import type { ControlDb } from '../../tenancy/db.ts';
import { memberships, sessions, users } from '../../tenancy/schema/control.ts';
import { parseRoles } from '../../auth/service.ts';
import type { Role } from '../../access/roles.ts';

export interface StaffMember {
  membershipId: string;
  userId: string;
  email: string;
  name: string;
  roles: Role[];
  twoFactor: boolean;
  hasPassword: boolean;
  disabled: boolean;
  userDisabled: boolean;
  activeSessions: number;
  since: string;
}

export function staffRepo(control: ControlDb) {
  const select = () =>
    control
      .select({
        membershipId: memberships.id,
        userId: users.id,
        email: users.email,
        name: users.displayName,
        roles: memberships.roles,
        totp: users.totpEnabledAt,
        passwordHash: users.passwordHash,
        disabledAt: memberships.disabledAt,
        userDisabledAt: users.disabledAt,
        since: memberships.createdAt,
        activeSessions: sql<number>`(SELECT count(*) FROM ${sessions} WHERE ${sessions.userId} = ${users.id} AND ${sessions.clinicId} = ${memberships.clinicId})`,
      })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId));
  type Row = Awaited<ReturnType<ReturnType<typeof select>['execute']>>[number];
  const toMember = (r: Row): StaffMember => ({
    membershipId: r.membershipId,
    userId: r.userId,
    email: r.email,
    name: r.name,
    roles: parseRoles(r.roles),
    twoFactor: !!r.totp,
    hasPassword: !!r.passwordHash,
    disabled: !!r.disabledAt,
    userDisabled: !!r.userDisabledAt,
    activeSessions: Number(r.activeSessions),
    since: r.since,
  });
  return {
    async list(clinicId: string): Promise<StaffMember[]> {
      return (await select().where(eq(memberships.clinicId, clinicId)).orderBy(users.displayName)).map(toMember);
    },
    /** One member, only if the membership belongs to this clinic (AC2, AC3). */
    async get(clinicId: string, membershipId: string): Promise<StaffMember | undefined> {
      const r = (await select().where(and(eq(memberships.clinicId, clinicId), eq(memberships.id, membershipId))))[0];
      return r && toMember(r);
    },
    async setRoles(clinicId: string, membershipId: string, roles: Role[]): Promise<void> {
      await control.update(memberships).set({ roles: JSON.stringify(roles) }).where(and(eq(memberships.clinicId, clinicId), eq(memberships.id, membershipId)));
    },
    async setDisabled(clinicId: string, membershipId: string, userId: string, at: string | null): Promise<void> {
      const ops = [control.update(memberships).set({ disabledAt: at }).where(and(eq(memberships.clinicId, clinicId), eq(memberships.id, membershipId)))];
      await control.batch([
        ops[0]!,
        // Disabling ends the person's sessions in this clinic (SE5); enabling ends nothing.
        ...(at ? [control.delete(sessions).where(and(eq(sessions.userId, userId), eq(sessions.clinicId, clinicId)))] : []),
      ]);
    },
    async endSessions(clinicId: string, userId: string): Promise<number> {
      return (await control.delete(sessions).where(and(eq(sessions.userId, userId), eq(sessions.clinicId, clinicId)))).rowsAffected;
    },
    /** Memberships of the person in other clinics: then their account is not this clinic's alone (AC3). */
    async otherClinics(clinicId: string, userId: string): Promise<number> {
      return (await control.select({ id: memberships.id }).from(memberships).where(and(eq(memberships.userId, userId), ne(memberships.clinicId, clinicId)))).length;
    },
    /** Active administrators of the clinic other than this membership: a clinic must keep one. */
    async otherActiveAdmins(clinicId: string, exceptMembershipId: string): Promise<number> {
      const rows = await control
        .select({ id: memberships.id, roles: memberships.roles })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(and(eq(memberships.clinicId, clinicId), isNull(memberships.disabledAt), isNull(users.disabledAt)));
      return rows.filter((r) => r.id !== exceptMembershipId && parseRoles(r.roles).includes('admin')).length;
    },
    async usersByIds(ids: string[]) {
      return ids.length ? control.select().from(users).where(inArray(users.id, ids)) : [];
    },
  };
}

export type StaffRepo = ReturnType<typeof staffRepo>;
