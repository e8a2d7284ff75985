import { parseArgs, optionalString, requireString, UsageError, CommandError } from './args.ts';
import { printJson, type CliContext } from './context.ts';
import { addMember, disableUser, UserInputError } from '../auth/users.ts';
import { isRole, ROLES, type Role } from '../access/roles.ts';

export const userUsage = [
  'invent user create --email E --clinic S --role R[,R...] [--name "..."] [--password-stdin] [--json]',
  'invent user disable --email E',
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
  throw new UsageError(sub ? `unknown user command "${sub}"` : 'user needs a command: create or disable');
}
