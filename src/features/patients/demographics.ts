// A patient's personal details: the form's strict shape (AC6), the checks that turn it into a
// stored record (VE4: CPR and phones normalised), and the words that are blind-indexed (CR2).
import { z } from 'zod';
import type { FieldErrors } from '../../http/forms.ts';
import { normaliseCpr, normaliseEmail, normalisePhone } from '../../patients/identifiers.ts';
import { nameTokens, normaliseName } from '../../patients/names.ts';

export const SEXES = ['female', 'male', 'other', 'unknown'] as const;
export type Sex = (typeof SEXES)[number];
export const PREFERRED_LANGUAGES = ['en', 'ar'] as const;

/** What is stored, encrypted, in patients.demographics. Absent values are ''. */
export interface Demographics {
  givenNameEn: string;
  familyNameEn: string;
  fullNameEn: string;
  givenNameAr: string;
  familyNameAr: string;
  fullNameAr: string;
  /** YYYY-MM-DD. */
  dateOfBirth: string;
  sex: Sex;
  /** 9 digits, or ''. */
  cpr: string;
  nationality: string;
  /** E.164. */
  phones: string[];
  email: string;
  address: string;
  emergencyName: string;
  emergencyRelationship: string;
  /** E.164, or ''. */
  emergencyPhone: string;
  insurancePayer: string;
  insuranceMember: string;
  /** YYYY-MM-DD, or ''. */
  insuranceExpiry: string;
  preferredLanguage: 'en' | 'ar';
}

export const DEMOGRAPHIC_FIELDS = [
  'givenNameEn', 'familyNameEn', 'fullNameEn', 'givenNameAr', 'familyNameAr', 'fullNameAr', 'dateOfBirth', 'sex', 'cpr',
  'nationality', 'phones', 'email', 'address', 'emergencyName', 'emergencyRelationship', 'emergencyPhone',
  'insurancePayer', 'insuranceMember', 'insuranceExpiry', 'preferredLanguage',
] as const satisfies readonly (keyof Demographics)[];

const text = (max: number) => z.string().max(max).optional().default('');

/** The form fields, as posted (strings only; unknown fields refused). */
export const demographicsShape = {
  givenNameEn: text(100),
  familyNameEn: text(100),
  fullNameEn: text(200),
  givenNameAr: text(100),
  familyNameAr: text(100),
  fullNameAr: text(200),
  dateOfBirth: z.string().max(10),
  sex: z.enum(SEXES),
  cpr: text(20),
  nationality: text(60),
  phone: text(30),
  phone2: text(30),
  email: text(254),
  address: text(500),
  emergencyName: text(200),
  emergencyRelationship: text(60),
  emergencyPhone: text(30),
  insurancePayer: text(120),
  insuranceMember: text(60),
  insuranceExpiry: text(10),
  preferredLanguage: z.enum(PREFERRED_LANGUAGES).optional().default('ar'),
};

// `confirmCpr`: the person checked a CPR whose first digits (YYMM) differ from the birth date.
const confirmCpr = z.literal('1').optional();
export const registerSchema = z.object({ ...demographicsShape, registerAnyway: z.literal('1').optional(), confirmCpr }).strict();
export const editSchema = z
  .object({ ...demographicsShape, confirmCpr, version: z.string().regex(/^\d{1,9}$/), reason: z.string().trim().min(1).max(500) })
  .strict();
export type DemographicsForm = z.infer<typeof registerSchema>;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date written YYYY-MM-DD. */
export function isIsoDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

/** Whole years from `dob` to `today` (both YYYY-MM-DD). */
export function ageOn(dob: string, today: string): number {
  const [y1, m1, d1] = dob.split('-').map(Number) as [number, number, number];
  const [y2, m2, d2] = today.split('-').map(Number) as [number, number, number];
  return y2 - y1 - (m2 < m1 || (m2 === m1 && d2 < d1) ? 1 : 0);
}

export const MAX_AGE_YEARS = 130;

const clean = (s: string) => s.replace(/\s+/gu, ' ').trim();
const joinName = (given: string, family: string) => clean(`${given} ${family}`);

/** Checks a posted form against today's date (the clinic's); the stored record or the field errors. */
export function toDemographics(
  form: Omit<DemographicsForm, 'registerAnyway'>,
  today: string,
): { ok: true; value: Demographics } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const givenNameEn = clean(form.givenNameEn);
  const familyNameEn = clean(form.familyNameEn);
  const givenNameAr = clean(form.givenNameAr);
  const familyNameAr = clean(form.familyNameAr);
  const fullNameEn = clean(form.fullNameEn) || joinName(givenNameEn, familyNameEn);
  const fullNameAr = clean(form.fullNameAr) || joinName(givenNameAr, familyNameAr);
  if (!normaliseName(fullNameEn) && !normaliseName(fullNameAr)) errors.fullNameEn = 'patients.error.name';

  const dateOfBirth = form.dateOfBirth.trim();
  if (!isIsoDate(dateOfBirth)) errors.dateOfBirth = 'patients.error.date';
  else if (dateOfBirth > today) errors.dateOfBirth = 'patients.error.dobFuture';
  else if (ageOn(dateOfBirth, today) > MAX_AGE_YEARS) errors.dateOfBirth = 'patients.error.dobTooOld';

  let cpr = '';
  if (form.cpr.trim()) {
    cpr = normaliseCpr(form.cpr) ?? '';
    if (!cpr) errors.cpr = 'patients.error.cpr';
  }
  const phones: string[] = [];
  for (const field of ['phone', 'phone2'] as const) {
    if (!form[field].trim()) continue;
    const p = normalisePhone(form[field]);
    if (!p) errors[field] = 'patients.error.phone';
    else if (!phones.includes(p)) phones.push(p);
  }
  let email = '';
  if (form.email.trim()) {
    email = normaliseEmail(form.email) ?? '';
    if (!email) errors.email = 'patients.error.email';
  }
  let emergencyPhone = '';
  if (form.emergencyPhone.trim()) {
    emergencyPhone = normalisePhone(form.emergencyPhone) ?? '';
    if (!emergencyPhone) errors.emergencyPhone = 'patients.error.phone';
  }
  const insuranceExpiry = form.insuranceExpiry.trim();
  if (insuranceExpiry && !isIsoDate(insuranceExpiry)) errors.insuranceExpiry = 'patients.error.date';

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      givenNameEn, familyNameEn, fullNameEn, givenNameAr, familyNameAr, fullNameAr, dateOfBirth, sex: form.sex, cpr,
      nationality: clean(form.nationality), phones, email, address: form.address.trim(), emergencyName: clean(form.emergencyName),
      emergencyRelationship: clean(form.emergencyRelationship), emergencyPhone, insurancePayer: clean(form.insurancePayer),
      insuranceMember: clean(form.insuranceMember), insuranceExpiry, preferredLanguage: form.preferredLanguage,
    },
  };
}

/** The form's values for a stored record (to fill the edit form). */
export function toFormValues(d: Demographics): Record<string, string> {
  const { phones, ...rest } = d;
  return { ...rest, phone: phones[0] ?? '', phone2: phones[1] ?? '' };
}

/** The names of the fields whose values differ. */
export function changedFields(before: Demographics, after: Demographics): string[] {
  return DEMOGRAPHIC_FIELDS.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]));
}

/** Every name token of the record (English and Arabic, full, given and family). */
export function tokensOf(d: Demographics): string[] {
  const out = new Set<string>();
  for (const n of [d.fullNameEn, d.fullNameAr, d.givenNameEn, d.familyNameEn, d.givenNameAr, d.familyNameAr]) {
    for (const t of nameTokens(n)) out.add(t);
  }
  return [...out];
}

/** The folded full names, each joined with the birth date: what "same name and date of birth" compares. */
export function nameDobKeys(d: Pick<Demographics, 'fullNameEn' | 'fullNameAr' | 'dateOfBirth'>): string[] {
  return [...new Set([d.fullNameEn, d.fullNameAr].map(normaliseName).filter(Boolean))].map((n) => `${n}|${d.dateOfBirth}`);
}

/** The name to sort and show first: English when there is one, else Arabic. */
export const displayName = (d: Demographics, lang: 'en' | 'ar' = 'en'): string =>
  (lang === 'ar' ? d.fullNameAr || d.fullNameEn : d.fullNameEn || d.fullNameAr);
