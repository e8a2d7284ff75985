import { parseArgs, positiveInt, CommandError, UsageError } from './args.ts';
import { seedBench } from '../demo/bench.ts';
import type { CliContext } from './context.ts';
import { seedDemo, DEMO_USERS } from '../demo/seed.ts';

export const demoUsage = ['invent demo [--patients N --encounters M]'];

export async function demoVerb(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseArgs(argv, { patients: 'string', encounters: 'string' }, { min: 0, max: 0 });
  const patients = positiveInt(p.flags.patients as string | undefined, 'patients');
  const encounters = positiveInt(p.flags.encounters as string | undefined, 'encounters');
  if (ctx.config.production) throw new CommandError('INVENT_ENV=production refuses demo data');
  if (patients !== undefined || encounters !== undefined) {
    if (patients === undefined) throw new UsageError('--encounters needs --patients');
    const system = await ctx.open();
    try {
      const started = Date.now();
      const { clinic, added, encounters: written } = await seedBench(
        { control: system.control, clinics: system.clinics, hasher: ctx.platform.hasher, clock: ctx.platform.clock },
        {
          password: ctx.config.demoPassword,
          patients,
          encounters,
          onProgress: (n) => ctx.io.err(`\r${n} patients`),
          onEncounters: (n, e) => ctx.io.err(`\r${n} patients given ${e} encounters`),
        },
      );
      ctx.io.err('\n');
      const seconds = (ms: number) => (ms / 1000).toFixed(1);
      ctx.io.out(
        `clinic ${clinic.slug}: ${added} patients added (${patients} in all), ${written} encounters added in ${seconds(Date.now() - started)} s\n`,
      );
      return 0;
    } finally {
      await system.close();
    }
  }
  const system = await ctx.open();
  try {
    const { clinic, created } = await seedDemo(
      { control: system.control, clinics: system.clinics, hasher: ctx.platform.hasher, assets: ctx.platform.assets },
      ctx.config.demoPassword,
      { clinical: true },
    );
    ctx.io.out(`${created ? 'created' : 'kept'} demo clinic ${clinic.slug} with users ${DEMO_USERS.map((u) => u.email).join(', ')}\n`);
    return 0;
  } finally {
    await system.close();
  }
}
