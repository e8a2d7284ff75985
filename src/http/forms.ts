// Reading and validating form posts: only form encodings, only string fields, strict schemas
// (unknown fields refused, sizes bounded: AC6), errors as message keys in the user's language.
import type { Context } from 'hono';
import type { z } from 'zod';
import type { AppEnv } from './env.ts';
import type { MessageKey } from '../i18n/index.ts';
import { CSRF_FIELD } from './csrf.ts';
import type { RequestEnv } from '../platform/ports.ts';

export type FieldErrors = Record<string, MessageKey>;

export type FormResult<T> =
  | { ok: true; data: T; raw: Record<string, string> }
  | { ok: false; errors: FieldErrors; raw: Record<string, string> };

/**
 * The submitted fields as strings (and, for the names in `repeatable`, arrays of strings); a file,
 * a repeated single field or an unsupported content type is an error.
 */
export async function readForm(
  c: Context<AppEnv>,
  opts: { repeatable?: string[] } = {},
): Promise<Record<string, string | string[]> | 'unsupported'> {
  const type = c.req.header('Content-Type') ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded') && !type.startsWith('multipart/form-data')) return 'unsupported';
  let body: Record<string, unknown>;
  try {
    body = await c.req.parseBody({ all: true });
  } catch {
    return 'unsupported';
  }
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(body)) {
    if (k === CSRF_FIELD) continue;
    const values = Array.isArray(v) ? v : [v];
    if (!values.every((x): x is string => typeof x === 'string')) return 'unsupported';
    if (opts.repeatable?.includes(k)) out[k] = values;
    else if (values.length === 1) out[k] = values[0]!;
    else return 'unsupported';
  }
  for (const k of opts.repeatable ?? []) out[k] ??= [];
  return out;
}

export async function parseForm<S extends z.ZodType>(c: Context<AppEnv>, schema: S): Promise<FormResult<z.infer<S>>> {
  const form = await readForm(c);
  if (form === 'unsupported') return { ok: false, errors: { _form: 'form.unsupported' }, raw: {} };
  const raw = form as Record<string, string>;
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, data: parsed.data, raw };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      errors._form ??= 'form.unknownField';
      continue;
    }
    const field = String(issue.path[0] ?? '_form');
    if (errors[field]) continue;
    if (issue.code === 'too_big') errors[field] = 'form.tooLong';
    else if (issue.code === 'too_small' || (issue.code === 'invalid_type' && raw[field] === undefined)) errors[field] = 'form.required';
    else errors[field] = 'form.invalid';
  }
  return { ok: false, errors, raw };
}

/** The peer address as the runtime's server saw it (platform adapters pass it as `remoteAddr`). */
export function clientIp(c: Context<AppEnv>): string | null {
  return (c.env as RequestEnv | undefined)?.remoteAddr ?? null;
}

/** Where a request came from, and which request and route it is (for identity events mirrored into the audit log). */
export function requestInfo(c: Context<AppEnv>): { ip: string | null; userAgent: string | null; requestId: string | null; route: string } {
  return { ip: clientIp(c), userAgent: c.req.header('User-Agent')?.slice(0, 300) ?? null, requestId: c.get('requestId') ?? null, route: c.req.routePath };
}
