// What a form template says: titles and bodies in English and Arabic, for a consent its scope, and
// its fields (text, yes/no, choice, date) with labels in both languages. The administrator's form is
// a fixed number of field rows (works without JavaScript) read with a strict schema (AC6); the
// content is stored as canonical JSON so that its hash names exactly what was signed.
import { z } from 'zod';
import type { FieldErrors } from '../../http/forms.ts';

export const KINDS = ['consent', 'questionnaire'] as const;
export type FormKind = (typeof KINDS)[number];
export const FIELD_TYPES = ['text', 'yesno', 'choice', 'date'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];
/** FHIR R4 consent scopes (http://terminology.hl7.org/CodeSystem/consentscope). */
export const SCOPES = ['treatment', 'patient-privacy', 'research', 'adr'] as const;
export type ConsentScope = (typeof SCOPES)[number];

export const MAX_FIELDS = 20;
export const BLANK_ROWS = 3;
export const MAX_OPTIONS = 20;
export const LIMITS = { title: 200, body: 20_000, label: 300, options: 4_000, option: 200 } as const;

export interface ChoiceOption {
  value: string;
  en: string;
  ar: string;
}

export interface FormField {
  /** q1, q2 ... in order: answers are keyed by it within one version. */
  id: string;
  type: FieldType;
  labelEn: string;
  labelAr: string;
  required: boolean;
  options?: ChoiceOption[];
}

export interface TemplateContent {
  titleEn: string;
  titleAr: string;
  bodyEn: string;
  bodyAr: string;
  /** Consents only. */
  scope?: ConsentScope;
  fields: FormField[];
}

/** Stable JSON: the same content always gives the same bytes and hash. */
export function canonicalContent(c: TemplateContent): string {
  return JSON.stringify({
    titleEn: c.titleEn,
    titleAr: c.titleAr,
    bodyEn: c.bodyEn,
    bodyAr: c.bodyAr,
    ...(c.scope ? { scope: c.scope } : {}),
    fields: c.fields.map((f) => ({
      id: f.id,
      type: f.type,
      labelEn: f.labelEn,
      labelAr: f.labelAr,
      required: f.required,
      ...(f.type === 'choice' ? { options: (f.options ?? []).map((o) => ({ value: o.value, en: o.en, ar: o.ar })) } : {}),
    })),
  });
}

export const parseContent = (json: string): TemplateContent => JSON.parse(json) as TemplateContent;

export const rowKey = (name: 'Type' | 'LabelEn' | 'LabelAr' | 'Required' | 'Options', i: number) => `field${name}_${i}`;

const text = (max: number) => z.string().max(max).optional().default('');
const rowShape: Record<string, z.ZodType<string | undefined>> = {};
for (let i = 0; i < MAX_FIELDS; i++) {
  rowShape[rowKey('Type', i)] = z.enum(['', ...FIELD_TYPES]).optional().default('');
  rowShape[rowKey('LabelEn', i)] = text(LIMITS.label);
  rowShape[rowKey('LabelAr', i)] = text(LIMITS.label);
  rowShape[rowKey('Required', i)] = z.literal('1').optional();
  rowShape[rowKey('Options', i)] = text(LIMITS.options);
}

export const templateSchema = z
  .object({
    kind: z.enum(KINDS).optional(),
    titleEn: z.string().trim().min(1).max(LIMITS.title),
    titleAr: z.string().trim().min(1).max(LIMITS.title),
    bodyEn: z.string().trim().min(1).max(LIMITS.body),
    bodyAr: z.string().trim().min(1).max(LIMITS.body),
    scope: z.enum(['', ...SCOPES]).optional().default(''),
    rows: z.string().regex(/^\d{1,2}$/).optional(),
    /** "More field rows": shows the form again with more rows, saving nothing (works without JavaScript). */
    more: z.literal('1').optional(),
    /** The version the editor started from (edits only). */
    basedOn: z.string().regex(/^\d{1,4}$/).optional(),
    ...rowShape,
  })
  .strict();
export type TemplateForm = z.infer<typeof templateSchema>;

/** Control characters (and bidi overrides) have no place in a form; bodies keep tab and newline. */
const CONTROL_LINE = /[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/;
const CONTROL_BODY = /[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/;
const ARABIC = /[\u0600-\u06ff]/;

/** Checks the rows and turns the administrator's form into content; errors name the fields. */
export function toContent(form: Record<string, string | undefined>, kind: FormKind): { ok: true; content: TemplateContent } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const v = (k: string) => (form[k] ?? '').trim();
  for (const k of ['titleEn', 'titleAr'] as const) if (CONTROL_LINE.test(v(k))) errors[k] = 'form.invalid';
  for (const k of ['bodyEn', 'bodyAr'] as const) if (CONTROL_BODY.test(v(k))) errors[k] = 'form.invalid';
  for (const k of ['titleAr', 'bodyAr'] as const) if (!errors[k] && !ARABIC.test(v(k))) errors[k] = 'consents.error.arabic';
  const scope = v('scope');
  if (kind === 'consent' && !scope) errors.scope = 'consents.error.scope';
  const fields: FormField[] = [];
  for (let i = 0; i < MAX_FIELDS; i++) {
    const type = v(rowKey('Type', i));
    const en = v(rowKey('LabelEn', i));
    const ar = v(rowKey('LabelAr', i));
    const options = v(rowKey('Options', i));
    if (!type && !en && !ar && !options) continue;
    if (!type) errors[rowKey('Type', i)] = 'form.required';
    if (!en) errors[rowKey('LabelEn', i)] = 'form.required';
    else if (CONTROL_LINE.test(en)) errors[rowKey('LabelEn', i)] = 'form.invalid';
    if (!ar) errors[rowKey('LabelAr', i)] = 'form.required';
    else if (CONTROL_LINE.test(ar)) errors[rowKey('LabelAr', i)] = 'form.invalid';
    else if (!ARABIC.test(ar)) errors[rowKey('LabelAr', i)] = 'consents.error.arabic';
    const field: FormField = { id: `q${fields.length + 1}`, type: (type || 'text') as FieldType, labelEn: en, labelAr: ar, required: form[rowKey('Required', i)] === '1' };
    if (type === 'choice') {
      const parsed = parseOptions(options);
      if (!parsed) errors[rowKey('Options', i)] = 'consents.error.options';
      else field.options = parsed;
    } else if (options) {
      errors[rowKey('Options', i)] = 'consents.error.optionsOnlyChoice';
    }
    fields.push(field);
  }
  if (kind === 'questionnaire' && fields.length === 0 && Object.keys(errors).length === 0) errors._form = 'consents.error.noFields';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    content: { titleEn: v('titleEn'), titleAr: v('titleAr'), bodyEn: v('bodyEn'), bodyAr: v('bodyAr'), ...(kind === 'consent' ? { scope: scope as ConsentScope } : {}), fields },
  };
}

/** "English | العربية", one option per line: between 2 and MAX_OPTIONS of them, both languages given. */
export function parseOptions(text: string): ChoiceOption[] | null {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  if (lines.length < 2 || lines.length > MAX_OPTIONS) return null;
  const out: ChoiceOption[] = [];
  for (const [i, line] of lines.entries()) {
    const parts = line.split('|').map((p) => p.trim());
    if (parts.length !== 2 || !parts[0] || !parts[1] || parts.some((p) => p.length > LIMITS.option || CONTROL_LINE.test(p)) || !ARABIC.test(parts[1])) return null;
    out.push({ value: `o${i + 1}`, en: parts[0], ar: parts[1] });
  }
  return out;
}

export const optionsText = (options: ChoiceOption[] | undefined) => (options ?? []).map((o) => `${o.en} | ${o.ar}`).join('\n');

/** The form's values for editing a version (rows filled from its fields). */
export function formValuesOf(c: TemplateContent): Record<string, string> {
  const out: Record<string, string> = { titleEn: c.titleEn, titleAr: c.titleAr, bodyEn: c.bodyEn, bodyAr: c.bodyAr, scope: c.scope ?? '' };
  c.fields.forEach((f, i) => {
    out[rowKey('Type', i)] = f.type;
    out[rowKey('LabelEn', i)] = f.labelEn;
    out[rowKey('LabelAr', i)] = f.labelAr;
    if (f.required) out[rowKey('Required', i)] = '1';
    if (f.type === 'choice') out[rowKey('Options', i)] = optionsText(f.options);
  });
  return out;
}

/** How many field rows to show: the filled ones and a few blank, or what was asked. */
export function rowsFor(values: Record<string, string | undefined>, asked?: string): number {
  let last = -1;
  for (let i = 0; i < MAX_FIELDS; i++) if ([rowKey('Type', i), rowKey('LabelEn', i), rowKey('LabelAr', i), rowKey('Options', i)].some((k) => (values[k] ?? '').trim())) last = i;
  const n = asked && /^\d{1,2}$/.test(asked) ? Number(asked) : 0;
  return Math.min(MAX_FIELDS, Math.max(last + 1 + BLANK_ROWS, n));
}
