// The `invent` command. Exit status: 0 done, 1 check failed or action refused, 2 usage error.
import type { CliIO, Platform } from '../platform/ports.ts';
import { ConfigError, readConfig } from '../config.ts';
import { openSystem } from '../tenancy/system.ts';
import { KeyError } from '../crypto/keys.ts';
import { CommandError, UsageError } from './args.ts';
import type { CliContext } from './context.ts';
import { clinicUsage, clinicVerb } from './clinic.ts';
import { userUsage, userVerb } from './user.ts';
import { dbUsage, dbVerb } from './db.ts';
import { demoUsage, demoVerb } from './demo.ts';
import { migrateUsage, migrateVerb } from './migrate.ts';
import { serveUsage, serveVerb } from './serve.ts';
import { auditUsage, auditVerb } from './audit.ts';
import { archiveUsage, archiveVerb } from './archive.ts';

type Verb = (ctx: CliContext, argv: string[]) => Promise<number>;

const VERBS: Record<string, { run: Verb; usage: string[] }> = {
  serve: { run: serveVerb, usage: serveUsage },
  migrate: { run: migrateVerb, usage: migrateUsage },
  clinic: { run: clinicVerb, usage: clinicUsage },
  user: { run: userVerb, usage: userUsage },
  demo: { run: demoVerb, usage: demoUsage },
  db: { run: dbVerb, usage: dbUsage },
  audit: { run: auditVerb, usage: auditUsage },
  archive: { run: archiveVerb, usage: archiveUsage },
};

export function usage(): string {
  return ['usage:', ...Object.values(VERBS).flatMap((v) => v.usage.map((u) => `  ${u}`))].join('\n') + '\n';
}

export interface CliRuntime {
  platform: Platform;
  io: CliIO;
  untilStopped(): Promise<void>;
}

export async function runCli(argv: string[], rt: CliRuntime): Promise<number> {
  const [verb, ...rest] = argv;
  const { io } = rt;
  if (!verb || verb === 'help' || verb === '--help' || verb === '-h') {
    (verb ? io.out : io.err)(usage());
    return verb ? 0 : 2;
  }
  const found = VERBS[verb];
  if (!found) {
    io.err(`invent: unknown command "${verb}" (try: invent help)\n`);
    return 2;
  }
  try {
    const config = readConfig(rt.platform.env);
    const ctx: CliContext = {
      platform: rt.platform,
      config,
      io,
      open: () => openSystem(rt.platform, config),
      untilStopped: rt.untilStopped,
    };
    return await found.run(ctx, rest);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`invent ${verb}: ${err.message}\n`);
      return 2;
    }
    if (err instanceof CommandError || err instanceof KeyError || err instanceof ConfigError) {
      io.err(`invent ${verb}: ${err.message}\n`);
      return 1;
    }
    // Unexpected: one line, no stack (it could quote data); the class name helps a bug report.
    io.err(`invent ${verb}: failed (${(err as Error)?.name ?? 'Error'}: ${firstLine(err)})\n`);
    return 1;
  }
}

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0]!.slice(0, 300);
}
