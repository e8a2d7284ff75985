// People and their memberships in clinics (control database).
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { PasswordHasher } from '../platform/ports.ts';
import type { ControlDb } from '../tenancy/db.ts';
import { memberships, sessions, users } from '../tenancy/schema/control.ts';
import { newId } from '../crypto/bytes.ts';
import type { Role } from '../access/roles.ts';
import { checkPassword } from './password-strength.ts';

export class UserInputError extends Error {
  override name = 'UserInputError';
}

export type UserRow = typeof users.$inferSelect;

const emailSchema = z.email().max(254);

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findUserByEmail(control: ControlDb, email: string): Promise<UserRow | undefined> {
  return (await control.select().from(users).where(eq(users.email, normaliseEmail(email))))[0];
}

export interface NewMember {
  email: string;
  clinicId: string;
  roles: Role[];
  displayName?: string;
  password?: string;
  minPasswordLength?: number;
  /** Words the password may not be built from (AU3): clinic name and the like. */
  context?: string[];
}

/**
 * Adds a person to a clinic: creates the user when the email is new, or adds the membership to an
 * existing user. Everything is written in one batch.
 */
export async function addMember(control: ControlDb, hasher: PasswordHasher, input: NewMember): Promise<{ user: UserRow; created: boolean }> {
  const email = normaliseEmail(input.email);
  if (!emailSchema.safeParse(email).success) throw new UserInputError(`"${input.email}" is not an email address`);
  if (input.roles.length === 0) throw new UserInputError('at least one role is needed');
  if (input.password !== undefined) {
    const problem = checkPassword(input.password, {
      minLength: input.minPasswordLength ?? 12,
      context: [email, input.displayName ?? '', ...(input.context ?? [])],
    });
    if (problem === 'tooShort') throw new UserInputError(`the password must have at least ${input.minPasswordLength ?? 12} characters`);
    if (problem === 'tooLong') throw new UserInputError('the password may have at most 128 characters');
    if (problem === 'weak') throw new UserInputError('the password is too easy to guess; use a longer phrase of unrelated words');
    if (problem === 'contains-context') throw new UserInputError("the password may not be built from the person's or the clinic's name");
  }
  const existing = await findUserByEmail(control, email);
  if (existing) {
    const member = (
      await control
        .select()
        .from(memberships)
        .where(and(eq(memberships.userId, existing.id), eq(memberships.clinicId, input.clinicId)))
    )[0];
    if (member) throw new UserInputError(`${email} is already a member of this clinic`);
    await control.insert(memberships).values({
      id: newId('m'),
      userId: existing.id,
      clinicId: input.clinicId,
      roles: JSON.stringify([...new Set(input.roles)]),
    });
    return { user: existing, created: false };
  }
  const id = newId('u');
  const passwordHash = input.password === undefined ? null : await hasher.hash(input.password);
  const displayName = (input.displayName ?? email.split('@')[0] ?? email).trim().slice(0, 200);
  await control.batch([
    control.insert(users).values({ id, email, displayName, passwordHash }),
    control.insert(memberships).values({ id: newId('m'), userId: id, clinicId: input.clinicId, roles: JSON.stringify([...new Set(input.roles)]) }),
  ]);
  return { user: (await findUserByEmail(control, email))!, created: true };
}

/** Disables a person everywhere and ends every session of theirs (SE5). */
export async function disableUser(control: ControlDb, email: string, at: Date): Promise<UserRow> {
  const user = await findUserByEmail(control, email);
  if (!user) throw new UserInputError(`no user ${normaliseEmail(email)}`);
  await control.batch([
    control.update(users).set({ disabledAt: at.toISOString() }).where(eq(users.id, user.id)),
    control.delete(sessions).where(eq(sessions.userId, user.id)),
  ]);
  return user;
}
