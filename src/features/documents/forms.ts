// The documents forms: strict schemas (unknown fields refused, sizes bounded: AC6). The upload's
// fields arrive with the file in one multipart body (upload.ts reads them); the rest are plain forms.
import { z } from 'zod';
import type { FieldErrors } from '../../http/forms.ts';
import { CATEGORIES } from './policy.ts';
import { ENCOUNTER_ID } from './repo.ts';

export const FILE_FIELD = 'file';
export const UPLOAD_FIELDS = ['category', 'title', 'takenOn', 'encounterId'] as const;

const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

export const uploadSchema = z
  .object({
    category: z.enum(CATEGORIES),
    title: z.string().trim().max(200).default(''),
    takenOn: z
      .string()
      .trim()
      .default('')
      .refine((s) => s === '' || isDate(s)),
    encounterId: z
      .string()
      .trim()
      .default('')
      .refine((s) => s === '' || ENCOUNTER_ID.test(s)),
  })
  .strict();

export type UploadFields = z.infer<typeof uploadSchema>;

/** Validates the upload's fields the way parseForm does for plain forms. */
export function parseUploadFields(raw: Record<string, string>): { ok: true; data: UploadFields } | { ok: false; errors: FieldErrors } {
  const parsed = uploadSchema.safeParse(raw);
  if (parsed.success) return { ok: true, data: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? '_form');
    if (errors[field]) continue;
    errors[field] = issue.code === 'too_big' ? 'form.tooLong' : raw[field] === undefined || raw[field] === '' ? 'form.required' : 'form.invalid';
  }
  return { ok: false, errors };
}

export const deleteSchema = z.object({ reason: z.string().trim().min(5).max(500) }).strict();

/** The list's filters, from the query string; anything unexpected is ignored. */
export function listFilter(q: Record<string, string>): { category: string; encounterId: string; deleted: boolean } {
  const category = (CATEGORIES as readonly string[]).includes(q.category ?? '') ? q.category! : '';
  const encounterId = ENCOUNTER_ID.test(q.encounter ?? '') ? q.encounter! : '';
  return { category, encounterId, deleted: q.deleted === '1' };
}
