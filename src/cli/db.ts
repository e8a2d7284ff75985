import { parseArgs, requireString, UsageError, CommandError } from './args.ts';
import { printJson, type CliContext } from './context.ts';
import { hasSeveralStatements, jsonValue } from './sql.ts';
import { recordSqlStatement } from './audit.ts';

export const dbUsage = ['invent db sql --clinic S "<one SQL statement>"'];

export async function dbVerb(ctx: CliContext, argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'sql') throw new UsageError(sub ? `unknown db command "${sub}"` : 'db needs a command: sql');
  const p = parseArgs(rest, { clinic: 'string', json: 'boolean' }, { min: 1, max: 1 });
  const slug = requireString(p, 'clinic');
  const statement = p.positionals[0]!;
  if (!statement.trim()) throw new UsageError('the SQL statement is empty');
  if (hasSeveralStatements(statement)) throw new UsageError('give exactly one SQL statement');
  const system = await ctx.open();
  try {
    const clinic = await system.clinics.bySlug(slug);
    if (!clinic) throw new CommandError(`no clinic "${slug}"`);
    const handle = await system.clinics.get(clinic.id);
    let result;
    try {
      result = await handle.client.execute(statement);
    } catch (err) {
      // The database's own refusal (a trigger, a constraint, a syntax error) is the answer; the
      // attempt is audited too, after the fact, with the statement's kind only (never its values).
      await recordSqlStatement(ctx, system, clinic.id, statement, false).catch(() => undefined);
      throw new CommandError(`refused: ${(err as Error).message.replace(/\s+/g, ' ')}`);
    }
    try {
      await recordSqlStatement(ctx, system, clinic.id, statement, true);
    } catch (err) {
      throw new CommandError(`the statement ran, but its audit event could not be written: ${(err as Error).message.replace(/\s+/g, ' ')}`);
    }
    if (result.columns.length > 0) {
      printJson(
        ctx.io,
        result.rows.map((row) => Object.fromEntries(result.columns.map((col, i) => [col, jsonValue(row[i])]))),
      );
    } else {
      printJson(ctx.io, { rowsAffected: result.rowsAffected });
    }
    return 0;
  } finally {
    await system.close();
  }
}
