// A small, strict argument parser: unknown flags and missing values are usage errors (exit 2).
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The command failed or was refused (exit 1). */
export class CommandError extends Error {
  override name = 'CommandError';
}

export type FlagSpec = Record<string, 'string' | 'boolean'>;

export interface Parsed {
  positionals: string[];
  flags: Record<string, string | boolean | undefined>;
}

export function parseArgs(argv: string[], spec: FlagSpec, positionals: { min: number; max: number }): Parsed {
  const flags: Parsed['flags'] = {};
  const pos: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      pos.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq === -1 ? undefined : eq);
      const kind = spec[name];
      if (!kind) throw new UsageError(`unknown option --${name}`);
      if (kind === 'boolean') {
        if (eq !== -1) throw new UsageError(`--${name} takes no value`);
        flags[name] = true;
      } else {
        const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
        if (value === undefined || (eq === -1 && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
        flags[name] = value;
      }
    } else {
      pos.push(arg);
    }
  }
  if (pos.length < positionals.min) throw new UsageError('missing argument');
  if (pos.length > positionals.max) throw new UsageError(`unexpected argument "${pos[positionals.max]}"`);
  return { positionals: pos, flags };
}

export function requireString(p: Parsed, name: string): string {
  const v = p.flags[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} is required`);
  return v;
}

export function optionalString(p: Parsed, name: string): string | undefined {
  const v = p.flags[name];
  return typeof v === 'string' ? v : undefined;
}

export function positiveInt(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`--${name} must be a positive whole number`);
  return Number(value);
}

export function portNumber(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new UsageError(`--${name} must be a port number (0-65535)`);
  return Number(value);
}
