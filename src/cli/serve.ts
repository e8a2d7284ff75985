import { parseArgs, portNumber } from './args.ts';
import type { CliContext } from './context.ts';
import { appFromSystem } from '../system-app.ts';
import { seedDemo, DEMO_USERS } from '../demo/seed.ts';
import { scheduleVerification } from '../features/audit/verification.ts';
import { SecurityEventService } from '../features/security/service.ts';
import { startJobWorker } from '../jobs/self-host.ts';

export const serveUsage = ['invent serve [--port N]'];

export async function serveVerb(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseArgs(argv, { port: 'string' }, { min: 0, max: 0 });
  const port = portNumber(p.flags.port as string | undefined, 'port') ?? ctx.config.port;
  const system = await ctx.open();
  const { io, config } = ctx;
  try {
    await system.clinics.migrateAll();
    if (system.fresh && config.demo) {
      await seedDemo({ control: system.control, clinics: system.clinics, hasher: ctx.platform.hasher, assets: ctx.platform.assets }, config.demoPassword, { clinical: true });
      const pw = ctx.platform.env.INVENT_DEMO_PASSWORD ? 'the password in INVENT_DEMO_PASSWORD' : `the password ${config.demoPassword}`;
      io.out(
        `Created the demo clinic. Sign in as ${DEMO_USERS.map((u) => u.email).join(', ')} with ${pw}.\n` +
          '(This is shown once. Set INVENT_DEMO=0 to start without demo data.)\n',
      );
    }
    const app = await appFromSystem(system);
    const server = await ctx.platform.serve(app.fetch, { port, host: config.host });
    // Every clinic's audit chain is checked now (in the background) and daily after.
    const verification = scheduleVerification({
      clinics: system.clinics,
      controlClient: system.controlClient,
      clock: ctx.platform.clock,
      security: new SecurityEventService(system.clinics, ctx.platform.clock),
      log: ctx.platform.log,
    });
    // Files a killed process left half written (uploads, archives) are of no use to anyone.
    const swept = await ctx.platform.blobs.sweepUnfinished?.(60 * 60_000);
    if (swept) ctx.platform.log.info('removed unfinished blobs', { count: swept });
    // Archives and other background jobs, including any a killed server left half done.
    const jobs = startJobWorker({ system, clock: ctx.platform.clock, log: ctx.platform.log });
    const shown = config.host.includes(':') ? `[${config.host}]` : config.host;
    io.out(`Invent Medical is serving http://${shown === '0.0.0.0' ? 'localhost' : shown}:${server.port} (data: ${ctx.platform.dataDir.resolve('.')})\n`);
    await ctx.untilStopped();
    verification.stop();
    await server.close();
    await jobs.stop();
    await verification.done.catch(() => undefined);
    return 0;
  } finally {
    await system.close();
  }
}
