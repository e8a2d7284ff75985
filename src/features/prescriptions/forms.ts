// The prescription form: a fixed number of item rows (works without JavaScript), strict schema
// (unknown fields refused, sizes bounded: AC6), and the rows turned into items.
import { z } from 'zod';
import type { FieldErrors } from '../../http/forms.ts';

export const MAX_ROWS = 10;
export const DEFAULT_ROWS = 3;
export const MAX_REFILLS = 12;
export const MAX_QUANTITY = 9999;

/** Text fields of an item row and their longest accepted length. */
export const ITEM_TEXT = {
  medicine: 200,
  strength: 60,
  form: 60,
  dose: 100,
  route: 60,
  frequency: 100,
  duration: 60,
  instructionsEn: 500,
  instructionsAr: 500,
} as const;
export type ItemTextField = keyof typeof ITEM_TEXT;
export const ITEM_FIELDS = [...(Object.keys(ITEM_TEXT) as ItemTextField[]), 'quantity', 'refills'] as const;
export type ItemField = (typeof ITEM_FIELDS)[number];

export const fieldName = (field: ItemField, row: number) => `${field}_${row}`;

export interface RxItemInput {
  medicine: string;
  strength: string;
  form: string;
  dose: string;
  route: string;
  frequency: string;
  duration: string;
  quantity: number | null;
  refills: number;
  instructionsEn: string;
  instructionsAr: string;
}

const optional = (max: number) => z.string().max(max).optional().default('');

const rowShape: Record<string, z.ZodType<string>> = {};
for (let i = 0; i < MAX_ROWS; i++) {
  for (const [f, max] of Object.entries(ITEM_TEXT)) rowShape[`${f}_${i}`] = optional(max) as z.ZodType<string>;
  rowShape[fieldName('quantity', i)] = optional(5) as z.ZodType<string>;
  rowShape[fieldName('refills', i)] = optional(3) as z.ZodType<string>;
}

export const LICENCE = /^[\p{L}\p{N}][\p{L}\p{N} ./-]{0,39}$/u;

export const prescriptionSchema = z
  .object({
    licenceNo: z.string().trim().min(1).max(40).regex(LICENCE),
    encounterId: z.union([z.literal(''), z.string().regex(/^enc_[a-z2-7]{26}$/)]).optional().default(''),
    prescribeAnyway: z.literal('1').optional(),
    rows: z.string().regex(/^\d{1,2}$/).optional(),
    ...rowShape,
  })
  .strict();
export type PrescriptionForm = z.infer<typeof prescriptionSchema>;

export const cancelSchema = z.object({ reason: z.string().trim().min(3).max(500) }).strict();

/** Control characters other than tab and newline have no place in a prescription. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/;

/** The filled rows as items; an empty row is skipped, a row without a medicine is an error. */
export function toItems(form: Record<string, string>): { ok: true; items: RxItemInput[] } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const items: RxItemInput[] = [];
  for (let i = 0; i < MAX_ROWS; i++) {
    const v = (f: ItemField) => (form[fieldName(f, i)] ?? '').trim();
    if (ITEM_FIELDS.every((f) => v(f) === '')) continue;
    for (const f of ITEM_FIELDS) if (CONTROL.test(v(f))) errors[fieldName(f, i)] = 'form.invalid';
    if (!v('medicine')) errors[fieldName('medicine', i)] = 'form.required';
    const q = v('quantity');
    if (q && (!/^\d{1,4}$/.test(q) || Number(q) < 1 || Number(q) > MAX_QUANTITY)) errors[fieldName('quantity', i)] = 'rx.error.quantity';
    const r = v('refills');
    if (r && (!/^\d{1,2}$/.test(r) || Number(r) > MAX_REFILLS)) errors[fieldName('refills', i)] = 'rx.error.refills';
    items.push({
      medicine: v('medicine'),
      strength: v('strength'),
      form: v('form'),
      dose: v('dose'),
      route: v('route'),
      frequency: v('frequency'),
      duration: v('duration'),
      quantity: q && /^\d+$/.test(q) ? Number(q) : null,
      refills: r && /^\d+$/.test(r) ? Number(r) : 0,
      instructionsEn: v('instructionsEn'),
      instructionsAr: v('instructionsAr'),
    });
  }
  if (items.length === 0 && Object.keys(errors).length === 0) errors._form = 'rx.error.noItems';
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, items };
}

/** How many rows to show: what was asked for, or enough for the rows already filled. */
export function rowsFor(form: Record<string, string>, asked?: string): number {
  let last = -1;
  for (let i = 0; i < MAX_ROWS; i++) if (ITEM_FIELDS.some((f) => (form[fieldName(f, i)] ?? '').trim())) last = i;
  const n = asked && /^\d{1,2}$/.test(asked) ? Number(asked) : DEFAULT_ROWS;
  return Math.min(MAX_ROWS, Math.max(DEFAULT_ROWS, n, last + 1));
}

/** A saved draft as form values, for editing it. */
export function valuesOf(rx: { licenceNo: string; encounterId: string | null; items: RxItemInput[] }): Record<string, string> {
  const values: Record<string, string> = { licenceNo: rx.licenceNo, ...(rx.encounterId ? { encounterId: rx.encounterId } : {}) };
  rx.items.forEach((item, row) => {
    for (const f of ITEM_FIELDS) {
      const v = item[f];
      if (v !== null && v !== '' && !(f === 'refills' && v === 0)) values[fieldName(f, row)] = String(v);
    }
  });
  return values;
}
