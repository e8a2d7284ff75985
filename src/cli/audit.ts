// `invent audit verify`: recomputes a clinic's audit chain (LG3), and the operator's own audit
// events, which every CLI verb that reads or changes clinic data writes (CONTRACT.md).
import { parseArgs, requireString, UsageError, CommandError } from './args.ts';
import { printJson, type CliContext } from './context.ts';
import type { System } from '../tenancy/system.ts';
import { OPERATOR, type AuditEvent } from '../audit/types.ts';
import { clinicAuditSink } from '../audit/log.ts';
import { readRecordedHead } from '../audit/heads.ts';
import { verifyAudit } from '../audit/verify.ts';

export const auditUsage = ['invent audit verify --clinic S [--json]'];

/** Appends one event by the operator to a clinic's log (and records the new head in control). */
export async function recordOperatorEvent(ctx: CliContext, system: System, clinicId: string, e: Omit<AuditEvent, 'actor'>): Promise<void> {
  const sink = clinicAuditSink({ clinics: system.clinics, controlClient: system.controlClient, clock: ctx.platform.clock });
  await sink(clinicId, [{ ...e, actor: OPERATOR }]);
}

/** The statement's first keyword (SELECT, UPDATE, DROP...), past comments: never a value. */
export function sqlKeyword(statement: string): string {
  const rest = statement.replace(/^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?(?:\*\/|$))*/, '');
  return /^[A-Za-z]+/.exec(rest)?.[0].toUpperCase() ?? '?';
}

/** `invent db sql`'s event: which kind of statement, and whether the database ran it. */
export function recordSqlStatement(ctx: CliContext, system: System, clinicId: string, statement: string, ran: boolean): Promise<void> {
  return recordOperatorEvent(ctx, system, clinicId, {
    action: 'execute',
    outcome: ran ? 'success' : 'failure',
    entity: { type: 'sql' },
    detail: { command: 'db sql', statement: sqlKeyword(statement) },
  });
}

export async function auditVerb(ctx: CliContext, argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'verify') throw new UsageError(sub ? `unknown audit command "${sub}"` : 'audit needs a command: verify');
  const p = parseArgs(rest, { clinic: 'string', json: 'boolean' }, { min: 0, max: 0 });
  const slug = requireString(p, 'clinic');
  const system = await ctx.open();
  try {
    const clinic = await system.clinics.bySlug(slug);
    if (!clinic) throw new CommandError(`no clinic "${slug}"`);
    const handle = await system.clinics.get(clinic.id);
    // Read the recorded head, then the log; nothing is written until the check is done.
    const result = await verifyAudit(handle.client, { recordedHead: await readRecordedHead(system.controlClient, clinic.id) });
    const recorded = recordOperatorEvent(ctx, system, clinic.id, {
      action: 'execute',
      outcome: result.ok ? 'success' : 'failure',
      entity: { type: 'audit_log' },
      detail: result.ok ? { command: 'audit verify', rows: result.rows } : { command: 'audit verify', firstBadSeq: result.seq },
    });
    if (!result.ok) {
      // The finding is the answer; a log this damaged may not take the event (e.g. its table is gone).
      await recorded.catch(() => undefined);
      if (p.flags.json) printJson(ctx.io, result);
      ctx.io.err(`first bad seq ${result.seq}: ${result.reason}\n`);
      return 1;
    }
    await recorded;
    if (p.flags.json) printJson(ctx.io, result);
    else ctx.io.out(`intact: ${result.rows} rows\n`);
    return 0;
  } finally {
    await system.close();
  }
}
