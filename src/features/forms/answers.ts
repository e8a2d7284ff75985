// Filling a form for a patient: a strict schema built from the exact template version shown
// (AC6: only its answer fields, sizes bounded), the answers checked against its fields, the signer
// (the patient, or a guardian with a name and relationship), the date, the witness, and for a
// consent the signature: drawn strokes, or a typed full name with "I confirm" (no JavaScript).
import { z } from 'zod';
import type { FieldErrors } from '../../http/forms.ts';
import type { FormField, FormKind, TemplateContent } from './content.ts';
import { MAX_SIGNATURE_CHARS, parseSignature } from './signature.ts';
import { dateLocale } from '../../i18n/format.ts';

export const RELATIONSHIPS = ['parent', 'legal-guardian', 'spouse', 'child', 'sibling', 'other'] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];
export type Signer = 'patient' | 'guardian';

export const MAX_ANSWER = 1_000;
export const MAX_NAME = 120;
export const TEMPLATE_ID = /^ft_[a-z2-7]{26}$/;
export const USER_ID = /^u_[a-z2-7]{26}$/;
export const DAY = /^\d{4}-\d{2}-\d{2}$/;

export const answerKey = (f: { id: string }) => `answer_${f.id}`;

export type Signature = { kind: 'drawn'; strokes: string } | { kind: 'typed'; name: string };

export interface RecordInput {
  /** The id the form was given when it was shown: a second submission of the same form finds the first record. */
  submissionId?: string;
  templateId: string;
  version: number;
  signedOn: string;
  signer: Signer;
  guardianName: string;
  relationship: Relationship | null;
  witnessId: string;
  answers: Record<string, string>;
  /** Consents only. */
  signature: Signature | null;
}

/** The strict schema of the form for this version (unknown fields refused). */
export function recordSchemaFor(kind: FormKind, content: TemplateContent) {
  const answers: Record<string, z.ZodType<string>> = {};
  for (const f of content.fields) answers[answerKey(f)] = z.string().max(MAX_ANSWER).optional().default('') as z.ZodType<string>;
  const consent =
    kind === 'consent'
      ? {
          signature: z.string().max(MAX_SIGNATURE_CHARS * 2).optional().default(''),
          typedName: z.string().trim().max(MAX_NAME).optional().default(''),
          confirm: z.literal('1').optional(),
        }
      : {};
  return z
    .object({
      templateId: z.string().regex(TEMPLATE_ID),
      version: z.string().regex(/^\d{1,4}$/),
      submission: z.string().regex(/^fr_[a-z2-7]{26}$/).optional(),
      signedOn: z.string().regex(DAY),
      signer: z.enum(['patient', 'guardian']),
      guardianName: z.string().trim().max(MAX_NAME).optional().default(''),
      relationship: z.enum(['', ...RELATIONSHIPS]).optional().default(''),
      witness: z.string().regex(USER_ID),
      ...consent,
      ...answers,
    })
    .strict();
}

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/;
const CONTROL_LINE = /[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/;

/** A YYYY-MM-DD day, written out in the language (a calendar date: no time zone shift). */
export function dayIn(day: string, lang: 'en' | 'ar'): string {
  return new Intl.DateTimeFormat(dateLocale(lang), { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
}

export function validDay(day: string): boolean {
  const d = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === day && day >= '1900-01-01';
}

/** One answer checked against its field; '' when left empty. */
function checkAnswer(f: FormField, raw: string): { value: string } | { error: FieldErrors[string] } {
  const value = raw.trim();
  if (!value) return f.required ? { error: 'consents.error.answerRequired' } : { value: '' };
  switch (f.type) {
    case 'text':
      return CONTROL.test(value) ? { error: 'form.invalid' } : { value };
    case 'yesno':
      return value === 'yes' || value === 'no' ? { value } : { error: 'form.invalid' };
    case 'choice':
      return (f.options ?? []).some((o) => o.value === value) ? { value } : { error: 'form.invalid' };
    case 'date':
      return DAY.test(value) && validDay(value) ? { value } : { error: 'consents.error.date' };
  }
}

/**
 * The parsed form as a record, or the fields in error (message keys). `today` is the clinic's date:
 * a form cannot be signed in the future.
 */
export function toRecordInput(
  kind: FormKind,
  content: TemplateContent,
  data: Record<string, string | undefined>,
  today: string,
): { ok: true; input: RecordInput } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const answers: Record<string, string> = {};
  for (const f of content.fields) {
    const checked = checkAnswer(f, data[answerKey(f)] ?? '');
    if ('error' in checked) errors[answerKey(f)] = checked.error;
    else if (checked.value) answers[f.id] = checked.value;
  }
  const signedOn = data.signedOn ?? '';
  if (!validDay(signedOn)) errors.signedOn = 'consents.error.date';
  else if (signedOn > today) errors.signedOn = 'consents.error.dateFuture';
  const signer = data.signer as Signer;
  const guardianName = (data.guardianName ?? '').trim();
  const relationship = (data.relationship ?? '') as Relationship | '';
  if (signer === 'guardian') {
    if (!guardianName) errors.guardianName = 'consents.error.guardianName';
    else if (CONTROL_LINE.test(guardianName)) errors.guardianName = 'form.invalid';
    if (!relationship) errors.relationship = 'consents.error.relationship';
  }
  let signature: Signature | null = null;
  if (kind === 'consent') {
    const drawn = (data.signature ?? '').trim();
    const typed = (data.typedName ?? '').trim();
    if (drawn) {
      const parsed = parseSignature(drawn);
      if (parsed.ok) signature = { kind: 'drawn', strokes: drawn };
      else errors.signature = parsed.problem;
    } else if (typed) {
      if (CONTROL_LINE.test(typed) || typed.length < 2) errors.typedName = 'form.invalid';
      else if (data.confirm !== '1') errors.confirm = 'consents.error.confirm';
      else signature = { kind: 'typed', name: typed };
    } else {
      errors.signature = 'consents.error.signatureMissing';
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    input: {
      ...(data.submission ? { submissionId: data.submission } : {}),
      templateId: data.templateId ?? '',
      version: Number(data.version),
      signedOn,
      signer,
      guardianName: signer === 'guardian' ? guardianName : '',
      relationship: signer === 'guardian' ? (relationship as Relationship) : null,
      witnessId: data.witness ?? '',
      answers,
      signature,
    },
  };
}
