import { parseArgs } from './args.ts';
import { printJson, type CliContext } from './context.ts';

export const migrateUsage = ['invent migrate [--json]'];

export async function migrateVerb(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseArgs(argv, { json: 'boolean' }, { min: 0, max: 0 });
  // Opening the installation migrates the control database; then every clinic.
  const system = await ctx.open();
  try {
    const clinics = await system.clinics.migrateAll();
    if (p.flags.json) printJson(ctx.io, { clinics });
    else {
      const changed = clinics.filter((c) => c.applied.length > 0);
      ctx.io.out(`control database up to date; ${clinics.length} clinic database(s), ${changed.length} migrated\n`);
      for (const c of changed) ctx.io.out(`  ${c.slug}: ${c.applied.join(', ')}\n`);
    }
    return 0;
  } finally {
    await system.close();
  }
}
