// What a search query means (CONTRACT.md: name, MRN, CPR or phone), and the exact test a
// decrypted record must pass: blind-index lookups only narrow the rows (CR2).
import { normaliseCpr, normalisePhone } from '../../patients/identifiers.ts';
import { NAME_PREFIX_MIN, namePrefixes, nameQueryTerms } from '../../patients/names.ts';
import { tokensOf, type Demographics } from './demographics.ts';

export const MAX_QUERY = 200;

export interface ParsedQuery {
  /** Upper-cased, as MRNs are written. */
  mrn: string;
  cpr?: string;
  phone?: string;
  /**
   * Name terms, each matched as a prefix of some name token; empty: no name search. Words shorter
   * than NAME_PREFIX_MIN are left out: the index holds prefixes from that length on.
   */
  terms: string[];
}

export function parseQuery(q: string): ParsedQuery | undefined {
  const text = q.trim().slice(0, MAX_QUERY);
  if (!text) return undefined;
  const cpr = normaliseCpr(text);
  // A phone needs digits and nothing else but punctuation; a name never parses as one.
  const phone = /^[+0-9\u0660-\u0669\u06F0-\u06F9\s().\-]+$/.test(text) ? normalisePhone(text) : undefined;
  return {
    mrn: text.toUpperCase(),
    ...(cpr ? { cpr } : {}),
    ...(phone ? { phone } : {}),
    terms: nameQueryTerms(text).filter((term) => [...term].length >= NAME_PREFIX_MIN),
  };
}

/** Whether a name term matches an indexed token exactly as the index lookup would. */
export function termMatches(tokens: string[], term: string): boolean {
  return tokens.some((t) => namePrefixes(t).includes(term));
}

/** The plaintext meaning of a query for one record. */
export function matches(q: ParsedQuery, mrn: string, d: Demographics): boolean {
  if (mrn === q.mrn) return true;
  if (q.cpr && d.cpr === q.cpr) return true;
  if (q.phone && d.phones.includes(q.phone)) return true;
  if (q.terms.length === 0) return false;
  const tokens = tokensOf(d);
  return q.terms.every((term) => termMatches(tokens, term));
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/** Sorted by name (English, else Arabic), then MRN. */
export function byName(a: { mrn: string; demographics: Demographics }, b: { mrn: string; demographics: Demographics }): number {
  const na = a.demographics.fullNameEn || a.demographics.fullNameAr;
  const nb = b.demographics.fullNameEn || b.demographics.fullNameAr;
  return collator.compare(na, nb) || (a.mrn < b.mrn ? -1 : a.mrn > b.mrn ? 1 : 0);
}
