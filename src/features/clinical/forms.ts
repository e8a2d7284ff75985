// Strict form schemas (AC6: unknown fields refused, sizes bounded) and the coded-text rule shared
// by diagnoses and problems: an ICD-10 code in a valid format (listed or not), free text always allowed.
import { z } from 'zod';
import { lookupIcd10, normaliseIcd10 } from '../../clinical/icd10/index.ts';
import type { FieldErrors } from '../../http/forms.ts';
import { VITAL_FIELDS } from './vitals.ts';
import { localToUtc } from './time.ts';
import { ALLERGY_STATUSES, ENCOUNTER_TYPES, MEDICATION_STATUSES, PROBLEM_STATUSES, SEVERITIES } from './types.ts';
import type { CodedText, EncounterInput } from './service.ts';

/** A SOAP section: generous, but bounded. */
export const MAX_NOTE = 20_000;
const opt = (max: number) => z.string().max(max).optional().default('');
const DATE = z.union([z.literal(''), z.string().regex(/^\d{4}-\d{2}-\d{2}$/)]).optional().default('');

export const encounterSchema = z
  .object({
    type: z.enum(ENCOUNTER_TYPES),
    startedAt: z.union([z.literal(''), z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/)]).optional().default(''),
    chiefComplaint: opt(500),
    subjective: opt(MAX_NOTE),
    objective: opt(MAX_NOTE),
    assessment: opt(MAX_NOTE),
    plan: opt(MAX_NOTE),
    dxCode: opt(12),
    dxText: opt(500),
    procCode: opt(20),
    procText: opt(500),
  })
  .strict();

export const addendumSchema = z.object({ text: z.string().trim().min(1).max(MAX_NOTE) }).strict();

export const vitalsSchema = z
  .object({ ...Object.fromEntries(VITAL_FIELDS.map((f) => [f, opt(12)])), encounterId: opt(40) } as Record<(typeof VITAL_FIELDS)[number] | 'encounterId', ReturnType<typeof opt>>)
  .strict();

export const allergySchema = z
  .object({ substance: z.string().trim().min(1).max(200), reaction: opt(500), severity: z.enum(SEVERITIES) })
  .strict();

export const problemSchema = z.object({ code: opt(12), text: opt(500), onset: DATE }).strict();

export const medicationSchema = z
  .object({ name: z.string().trim().min(1).max(200), strength: opt(100), dose: opt(200), startDate: DATE })
  .strict();

export const STATUS_BY_KIND = { allergy: ALLERGY_STATUSES, problem: PROBLEM_STATUSES, medication: MEDICATION_STATUSES } as const;
export const statusSchema = z.object({ status: z.string().max(20) }).strict();

/**
 * A code and/or text: the code must have the ICD-10 shape (canonicalised), the text defaults to the
 * listed title; neither -> undefined. `prefix` names the form fields (dx -> dxCode, dxText).
 */
export function codedText(code: string, text: string, fields: { code: string; text: string }): { ok: true; value: CodedText | undefined } | { ok: false; errors: FieldErrors } {
  const c = code.trim();
  const tx = text.trim();
  if (!c && !tx) return { ok: true, value: undefined };
  let canonical: string | null = null;
  if (c) {
    const n = normaliseIcd10(c);
    if (!n) return { ok: false, errors: { [fields.code]: 'clinical.dx.badCode' } };
    canonical = n;
  }
  const title = tx || (canonical ? lookupIcd10(canonical)?.titleEn : undefined);
  if (!title) return { ok: false, errors: { [fields.text]: 'clinical.dx.needText' } };
  return { ok: true, value: { code: canonical, text: title } };
}

/** Procedures take any short code (CPT, CDT, local), not only ICD-10. */
function procedureOf(code: string, text: string): { ok: true; value: CodedText | undefined } | { ok: false; errors: FieldErrors } {
  const c = code.trim();
  const tx = text.trim();
  if (!c && !tx) return { ok: true, value: undefined };
  if (c && !/^[A-Za-z0-9.\-]{1,20}$/.test(c)) return { ok: false, errors: { procCode: 'form.invalid' } };
  if (!tx) return { ok: false, errors: { procText: 'clinical.dx.needText' } };
  return { ok: true, value: { code: c || null, text: tx } };
}

/**
 * The service's input from a valid form. `when` gives the clinic's time zone and now; the date and
 * time may be left empty (now), must be a real moment, and not in the future nor before 1900.
 */
export function encounterInputOf(
  d: z.infer<typeof encounterSchema>,
  when: { timeZone: string; now: Date; unchanged?: string | undefined },
): { ok: true; input: EncounterInput } | { ok: false; errors: FieldErrors } {
  const dx = codedText(d.dxCode, d.dxText, { code: 'dxCode', text: 'dxText' });
  const px = procedureOf(d.procCode, d.procText);
  const errors: FieldErrors = { ...(dx.ok ? {} : dx.errors), ...(px.ok ? {} : px.errors) };
  let startedAt: string | undefined;
  if (d.startedAt && d.startedAt !== when.unchanged) {
    startedAt = localToUtc(d.startedAt, when.timeZone);
    if (!startedAt || startedAt < '1900-01-01') errors.startedAt = 'form.invalid';
    else if (Date.parse(startedAt) > when.now.getTime() + 5 * 60_000) errors.startedAt = 'clinical.encounter.future';
  }
  if (!dx.ok || !px.ok || Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    input: {
      type: d.type,
      ...(startedAt ? { startedAt } : {}),
      notes: { chiefComplaint: d.chiefComplaint.trim(), subjective: d.subjective.trim(), objective: d.objective.trim(), assessment: d.assessment.trim(), plan: d.plan.trim() },
      diagnosis: dx.value,
      procedure: px.value,
    },
  };
}
