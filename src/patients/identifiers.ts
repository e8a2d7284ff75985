// Patient identifiers (VE4): Bahrain CPR numbers, phone numbers and email addresses, validated and
// normalised before they are stored or blind-indexed (CR2). Each normaliser returns one canonical
// string or undefined, and is idempotent: normalising a normalised value gives it back unchanged, so a
// value typed twice in different ways lands on the same blind index.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { z } from 'zod';

// Arabic-Indic (U+0660–0669, used in Bahrain) and Eastern Arabic-Indic (U+06F0–06F9, Persian/Urdu
// keyboards) digits: staff and patients type either, and both mean 0–9.
const ARABIC_INDIC_DIGIT = /[\u0660-\u0669\u06F0-\u06F9]/g;

/** Replaces Arabic-Indic and Eastern Arabic-Indic digits with ASCII 0–9; leaves everything else. */
export function toAsciiDigits(text: string): string {
  return text.replace(ARABIC_INDIC_DIGIT, (d) => {
    const code = d.charCodeAt(0);
    return String(code >= 0x06f0 ? code - 0x06f0 : code - 0x0660);
  });
}

// Invisible characters that ride along when text is copied from Arabic documents or messages
// (LRM/RLM, ALM, bidi embeddings and isolates, ZWJ/ZWNJ, BOM).
const FORMAT_CHARS = /\p{Cf}/gu;
const SPACES_AND_DASHES = /[\s\u00A0\u2007\u202F\-\u2010-\u2015\u2212\uFE63\uFF0D_]/gu;

// ---------------------------------------------------------------- CPR

/**
 * A Bahrain CPR (personal) number: exactly 9 digits once spaces and dashes are removed; Arabic digits are
 * accepted. Only the shape is checked. The first four digits are usually the holder's birth YYMM, but
 * not always, so that is a warning (cprBirthMonthMismatch), and no check-digit rule is applied: refusing
 * a real card number at the front desk is worse than letting a typo through to a warning.
 */
export function normaliseCpr(input: string): string | undefined {
  const digits = toAsciiDigits(input.normalize('NFKC')).replace(FORMAT_CHARS, '').replace(SPACES_AND_DASHES, '');
  return /^[0-9]{9}$/.test(digits) ? digits : undefined;
}

export const isValidCpr = (input: string): boolean => normaliseCpr(input) !== undefined;

/**
 * A warning helper, not a rule: true when the CPR's first four digits (YYMM) differ from the date of
 * birth's two-digit year and month. Older CPRs and some residents' numbers do not follow the pattern,
 * so callers show "check the CPR and date of birth", never refuse. False when either value is unusable.
 * `dateOfBirth` is an ISO date ('YYYY-MM-DD', read as written, no time zone) or a Date (read in UTC).
 */
export function cprBirthMonthMismatch(cpr: string, dateOfBirth: string | Date): boolean {
  const normalised = normaliseCpr(cpr);
  if (!normalised) return false;
  let year: number;
  let month: number;
  if (typeof dateOfBirth === 'string') {
    const m = /^(\d{4})-(\d{2})(?:-\d{2})?/.exec(toAsciiDigits(dateOfBirth.trim()));
    if (!m) return false;
    year = Number(m[1]);
    month = Number(m[2]);
  } else {
    if (Number.isNaN(dateOfBirth.getTime())) return false;
    year = dateOfBirth.getUTCFullYear();
    month = dateOfBirth.getUTCMonth() + 1;
  }
  if (month < 1 || month > 12) return false;
  const expected = String(year % 100).padStart(2, '0') + String(month).padStart(2, '0');
  return normalised.slice(0, 4) !== expected;
}

// ---------------------------------------------------------------- phones

// What a phone field may hold: digits, a leading + (or 00), spaces, dashes, dots, brackets, slashes,
// and an optional extension. Anything else (letters, a second number) is refused rather than guessed.
const PHONE_PUNCTUATION = /[\s().\/\-\u2010-\u2015\u2212]+/g;
const EXTENSION = /\s*(?:ext\.?|extension|x|#)\s*[0-9]{1,6}$/i;

function phoneDigits(input: string): string | undefined {
  let s = toAsciiDigits(input.normalize('NFKC')).replace(FORMAT_CHARS, '').trim();
  s = s.replace(/^tel:/i, '').replace(EXTENSION, '');
  s = s.replace(PHONE_PUNCTUATION, ' ').trim();
  if (!/^\+?[0-9 ]+$/.test(s)) return undefined;
  s = s.replace(/ /g, '');
  // 00 is the international prefix in Bahrain and the rest of the GCC; treat it as + everywhere.
  if (s.startsWith('00')) s = '+' + s.slice(2);
  return s;
}

/**
 * A phone number in E.164 ('+97336001234'), or undefined when it is not a valid number. A number without
 * a country code is read as `defaultCountry`'s. Validity uses libphonenumber's full metadata (number
 * ranges, not only lengths), so typos such as a digit too many or a range no operator uses are refused;
 * ranges opened after the bundled metadata are refused too until the library is updated. An extension
 * is dropped: E.164 has none, and the blind index must match the number however it was dialled.
 */
export function normalisePhone(input: string, defaultCountry: CountryCode = 'BH'): string | undefined {
  const digits = phoneDigits(input);
  if (!digits || digits.replace('+', '').length < 3) return undefined;
  const parsed = parsePhoneNumberFromString(digits, defaultCountry);
  return parsed?.isValid() ? parsed.number : undefined;
}

export const isValidPhone = (input: string, defaultCountry: CountryCode = 'BH'): boolean =>
  normalisePhone(input, defaultCountry) !== undefined;

/** How to show a stored E.164 number: national format for the clinic's own country, else international. */
export function formatPhone(e164: string, clinicCountry: CountryCode = 'BH'): string {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return e164;
  return parsed.country === clinicCountry ? parsed.formatNational() : parsed.formatInternational();
}

// ---------------------------------------------------------------- email

const emailSchema = z.email();

/**
 * An email address, trimmed and lower-cased, or undefined when it is not a plausible address. The local
 * part is case-sensitive in theory, but no mail service a patient uses treats it so, and one spelling
 * per patient is what a lookup needs. zod's check is ASCII-only, so internationalised addresses are
 * refused; enter those in a note.
 */
export function normaliseEmail(input: string): string | undefined {
  const s = input.normalize('NFKC').replace(FORMAT_CHARS, '').trim().toLowerCase();
  if (s.length > 254 || !emailSchema.safeParse(s).success) return undefined;
  return s;
}
