import { parseArgs, optionalString, requireString, UsageError, CommandError } from './args.ts';
import { printJson, type CliContext } from './context.ts';
import { addMember, disableUser, findUserByEmail, UserInputError } from '../auth/users.ts';
import { identityServices } from '../system-app.ts';
import { isRole, ROLES, type Role } from '../access/roles.ts';

export const userUsage = [
  'invent user create --email E --clinic S --role R[,R...] [--name "..."] [--password-stdin] [--json]',
  'invent user disable --email E',
  'invent user reset-password --email E [--base-url URL]',
  'invent user reset-2fa --email E',
];

export async function userVerb(ctx: CliContext, argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'create') {
    const p = parseArgs(
      rest,
      { email: 'string', clinic: 'string', role: 'string', name: 'string', 'password-stdin': 'boolean', json: 'boolean' },
      { min: 0, max: 0 },
    );
    const email = requireString(p, 'email');
    const slug = requireString(p, 'clinic');
    const roles = requireString(p, 'role').split(',').map((r) => r.trim());
    const bad = roles.find((r) => !isRole(r));
    if (bad !== undefined) throw new UsageError(`unknown role "${bad}" (roles: ${ROLES.join(', ')})`);
    let password: string | undefined;
    if (p.flags['password-stdin']) {
      // One line from standard input, without its line ending; nothing is echoed or logged.
      password = (await ctx.io.readStdin()).replace(/\r?\n$/, '');
      if (!password) throw new CommandError('no password on standard input');
    }
    const system = await ctx.open();
    try {
      const clinic = await system.clinics.bySlug(slug);
      if (!clinic) throw new CommandError(`no clinic "${slug}"`);
      const settings = (await system.clinics.get(clinic.id)).settings;
      const name = optionalString(p, 'name');
      const { user, created } = await addMember(system.control, ctx.platform.hasher, {
        email,
        clinicId: clinic.id,
        roles: roles as Role[],
        minPasswordLength: settings.minPasswordLength,
        context: [clinic.name, clinic.slug],
        ...(name ? { displayName: name } : {}),
        ...(password !== undefined ? { password } : {}),
      });
      if (p.flags.json) printJson(ctx.io, { id: user.id, email: user.email, clinic: clinic.slug, roles, created });
      else {
        ctx.io.out(`${created ? 'created' : 'added existing'} user ${user.email} to ${clinic.slug} as ${roles.join(', ')}\n`);
        if (created && password === undefined) {
          ctx.io.out('no password was set: give one with --password-stdin, or send a reset link once sign-in is available\n');
        }
      }
      return 0;
    } catch (err) {
      if (err instanceof UserInputError) throw new CommandError(err.message);
      throw err;
    } finally {
      await system.close();
    }
  }
  if (sub === 'disable') {
    const p = parseArgs(rest, { email: 'string' }, { min: 0, max: 0 });
    const email = requireString(p, 'email');
    const system = await ctx.open();
    try {
      const user = await disableUser(system.control, email, ctx.platform.clock.now());
      ctx.io.out(`disabled ${user.email}; their sessions were ended\n`);
      return 0;
    } catch (err) {
      if (err instanceof UserInputError) throw new CommandError(err.message);
      throw err;
    } finally {
      await system.close();
    }
  }
  if (sub === 'reset-password' || sub === 'reset-2fa') {
    const p = parseArgs(rest, { email: 'string', 'base-url': 'string' }, { min: 0, max: 0 });
    const email = requireString(p, 'email');
    const system = await ctx.open();
    try {
      const user = await findUserByEmail(system.control, email);
      if (!user) throw new CommandError(`no user ${email.trim().toLowerCase()}`);
      const { account } = identityServices(system, ctx.platform.clock);
      const req = { ip: null, userAgent: 'invent-cli' };
      if (sub === 'reset-2fa') {
        await account.disableTwoFactor(user.id, { actor: 'operator' }, req);
        ctx.io.out(`two-step verification of ${user.email} is reset; they set it up again at their next sign-in if their role requires it\n`);
        return 0;
      }
      const token = await account.createResetLink(user.id, 'operator', user.passwordHash ? 'reset' : 'setup', req);
      const base = (optionalString(p, 'base-url') ?? `http://localhost:${ctx.config.port}`).replace(/\/+$/, '');
      ctx.io.out(`${base}/reset/${token}\n`);
      ctx.io.err('one-time link, valid 24 hours; it replaces any earlier link of this person\n');
      return 0;
    } finally {
      await system.close();
    }
  }
  throw new UsageError(sub ? `unknown user command "${sub}"` : 'user needs a command: create, disable, reset-password or reset-2fa');
}
