import { parseArgs, optionalString, requireString, UsageError, CommandError } from './args.ts';
import { printJson, type CliContext } from './context.ts';
import { ClinicInputError } from '../tenancy/registry.ts';

export const clinicUsage = [
  'invent clinic create <slug> --name "..." [--timezone Asia/Bahrain] [--json]',
  'invent clinic list [--json]',
];

export async function clinicVerb(ctx: CliContext, argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'create') {
    const p = parseArgs(rest, { name: 'string', timezone: 'string', json: 'boolean' }, { min: 1, max: 1 });
    const name = requireString(p, 'name');
    const system = await ctx.open();
    try {
      const tz = optionalString(p, 'timezone');
      const clinic = await system.clinics.create({ slug: p.positionals[0]!, name, ...(tz ? { timezone: tz } : {}) });
      if (p.flags.json) printJson(ctx.io, publicClinic(clinic));
      else ctx.io.out(`created clinic ${clinic.slug} (${clinic.id}), time zone ${clinic.timezone}\n`);
      return 0;
    } catch (err) {
      if (err instanceof ClinicInputError) throw new CommandError(err.message);
      throw err;
    } finally {
      await system.close();
    }
  }
  if (sub === 'list') {
    const p = parseArgs(rest, { json: 'boolean' }, { min: 0, max: 0 });
    const system = await ctx.open();
    try {
      const rows = (await system.clinics.list()).map(publicClinic);
      if (p.flags.json) printJson(ctx.io, rows);
      else if (rows.length === 0) ctx.io.out('no clinics\n');
      else for (const r of rows) ctx.io.out(`${r.slug}\t${r.name}\t${r.timezone}\t${r.id}\n`);
      return 0;
    } finally {
      await system.close();
    }
  }
  throw new UsageError(sub ? `unknown clinic command "${sub}"` : 'clinic needs a command: create or list');
}

function publicClinic(c: { id: string; slug: string; name: string; timezone: string; createdAt: string }) {
  return { id: c.id, slug: c.slug, name: c.name, timezone: c.timezone, createdAt: c.createdAt };
}
