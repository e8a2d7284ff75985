import { parseArgs, positiveInt, CommandError } from './args.ts';
import type { CliContext } from './context.ts';
import { seedDemo, DEMO_USERS } from '../demo/seed.ts';

export const demoUsage = ['invent demo [--patients N --encounters M]'];

export async function demoVerb(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseArgs(argv, { patients: 'string', encounters: 'string' }, { min: 0, max: 0 });
  const patients = positiveInt(p.flags.patients as string | undefined, 'patients');
  const encounters = positiveInt(p.flags.encounters as string | undefined, 'encounters');
  if (patients !== undefined || encounters !== undefined) {
    // The `bench` clinic needs patient records, which the clinical-core issue brings.
    throw new CommandError('--patients/--encounters need patient records, which this version does not have yet');
  }
  if (ctx.config.production) throw new CommandError('INVENT_ENV=production refuses demo data');
  const system = await ctx.open();
  try {
    const { clinic, created } = await seedDemo(
      { control: system.control, clinics: system.clinics, hasher: ctx.platform.hasher },
      ctx.config.demoPassword,
    );
    ctx.io.out(`${created ? 'created' : 'kept'} demo clinic ${clinic.slug} with users ${DEMO_USERS.map((u) => u.email).join(', ')}\n`);
    return 0;
  } finally {
    await system.close();
  }
}
