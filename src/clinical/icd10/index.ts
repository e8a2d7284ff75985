// ICD-10 codes: format check, normalisation, lookup and search over the curated list (codes.ts).
import { normaliseName, splitWords } from '../../patients/names.ts';
import { COMMON_CODES, ICD10_CODES, ICD10_EDITION } from './codes.ts';

export { ICD10_CODES, ICD10_EDITION };
export type { Icd10Row } from './codes.ts';

export interface Icd10Entry {
  code: string;
  titleEn: string;
  titleAr?: string;
}

export interface Icd10Match extends Icd10Entry {
  /** The title in the requested language, English where no Arabic title exists. */
  title: string;
}

// A letter, a digit, a digit or letter (CM has M1A, Z3A), then optionally up to four characters after
// the dot (CM's longest codes have seven characters, such as S02.5XXA; WHO's have four). Accepting any
// such code, listed or not, lets a clinic record a code this short list lacks.
const CODE_SHAPE = /^([A-Z][0-9][0-9A-Z])(?:\.?([0-9A-Z]{1,4}))?$/;

/** A code in canonical form ('J06.9') from any case, with or without the dot ('j069'); else undefined. */
export function normaliseIcd10(code: string): string | undefined {
  const m = CODE_SHAPE.exec(code.trim().toUpperCase());
  if (!m) return undefined;
  return m[2] ? `${m[1]}.${m[2]}` : m[1];
}

/** Whether the text has the shape of an ICD-10 code (WHO or CM), whether or not it is in the list. */
export const isIcd10Format = (code: string): boolean => normaliseIcd10(code) !== undefined;

export function lookupIcd10(code: string): Icd10Entry | undefined {
  const normalised = normaliseIcd10(code);
  const entry = normalised === undefined ? undefined : index().byCode.get(normalised);
  return entry && toEntry(entry);
}

export interface SearchOptions {
  limit?: number;
  lang?: 'en' | 'ar';
}

/**
 * Codes matching a query, best first: the exact code, then codes starting with the query, then entries
 * whose English or Arabic title has, for every query word, a word starting with it (case, accents and
 * Arabic letter variants folded as in names.ts; British spellings such as "anaemia" also match).
 * Title matches rank common codes first, then titles matching more query words whole, then shorter titles.
 */
export function searchIcd10(query: string, { limit = 20, lang = 'en' }: SearchOptions = {}): Icd10Match[] {
  const idx = index();
  const ranked: IndexedEntry[] = [];
  const seen = new Set<IndexedEntry>();
  const push = (e: IndexedEntry) => {
    if (seen.has(e)) return;
    seen.add(e);
    ranked.push(e);
  };

  const compact = query.trim().toUpperCase().replace(/[.\s]/g, '');
  if (/^[A-Z][0-9][0-9A-Z]{0,5}$/.test(compact)) {
    const exact = idx.byCompact.get(compact);
    if (exact) push(exact);
    for (const e of idx.entries) if (e.compact.startsWith(compact)) push(e); // entries are in code order
  }

  const words = splitWords(normaliseName(query));
  if (words.length > 0 && ranked.length < limit) {
    let candidates: Set<IndexedEntry> | undefined;
    for (const word of words) {
      const matches = idx.prefixMatches(word);
      for (const variant of britishVariants(word)) for (const e of idx.prefixMatches(variant)) matches.add(e);
      candidates = candidates ? new Set([...candidates].filter((e) => matches.has(e))) : matches;
      if (candidates.size === 0) break;
    }
    const scored = [...(candidates ?? [])]
      .filter((e) => !seen.has(e))
      .map((e) => ({ e, whole: words.filter((w) => e.words.has(w)).length }));
    scored.sort(
      (a, b) =>
        Number(b.e.common) - Number(a.e.common) ||
        b.whole - a.whole ||
        a.e.titleEn.length - b.e.titleEn.length ||
        (a.e.code < b.e.code ? -1 : 1),
    );
    for (const { e } of scored) push(e);
  }

  return ranked.slice(0, Math.max(0, limit)).map((e) => ({ ...toEntry(e), title: (lang === 'ar' && e.titleAr) || e.titleEn }));
}

// ---------------------------------------------------------------- index, built once on first use

interface IndexedEntry {
  code: string;
  compact: string;
  titleEn: string;
  titleAr: string | undefined;
  common: boolean;
  words: Set<string>;
}

interface Index {
  entries: IndexedEntry[];
  byCode: Map<string, IndexedEntry>;
  byCompact: Map<string, IndexedEntry>;
  prefixMatches(prefix: string): Set<IndexedEntry>;
}

let built: Index | undefined;

function index(): Index {
  return (built ??= buildIndex());
}

const toEntry = (e: IndexedEntry): Icd10Entry =>
  e.titleAr ? { code: e.code, titleEn: e.titleEn, titleAr: e.titleAr } : { code: e.code, titleEn: e.titleEn };

const ARABIC_ARTICLE = '\u0627\u0644'; // ال

/** Title words, plus hyphenated compounds joined ("gastroesophageal") and Arabic words without ال. */
function titleWords(title: string): Set<string> {
  const out = new Set<string>();
  for (const chunk of normaliseName(title).split(' ')) {
    const parts = splitWords(chunk);
    for (const p of parts) {
      out.add(p);
      if (p.startsWith(ARABIC_ARTICLE) && p.length > ARABIC_ARTICLE.length + 1) out.add(p.slice(ARABIC_ARTICLE.length));
    }
    if (parts.length > 1) out.add(parts.join(''));
  }
  return out;
}

// CM spells the American way; staff in Bahrain often write the British way.
function britishVariants(word: string): string[] {
  const american = word.replace(/ae|oe/g, 'e');
  return american !== word ? [american] : [];
}

function buildIndex(): Index {
  const entries: IndexedEntry[] = ICD10_CODES.map(([code, titleEn, titleAr]) => ({
    code,
    compact: code.replace('.', ''),
    titleEn,
    titleAr,
    common: COMMON_CODES.has(code),
    words: new Set([...titleWords(titleEn), ...(titleAr ? titleWords(titleAr) : [])]),
  }));
  const byWord = new Map<string, IndexedEntry[]>();
  for (const e of entries) {
    for (const w of e.words) {
      const list = byWord.get(w);
      if (list) list.push(e);
      else byWord.set(w, [e]);
    }
  }
  const sortedWords = [...byWord.keys()].sort();

  return {
    entries,
    byCode: new Map(entries.map((e) => [e.code, e])),
    byCompact: new Map(entries.map((e) => [e.compact, e])),
    prefixMatches(prefix) {
      // Binary search for the first word >= prefix, then walk while words still start with it.
      let lo = 0;
      let hi = sortedWords.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (sortedWords[mid]! < prefix) lo = mid + 1;
        else hi = mid;
      }
      const found = new Set<IndexedEntry>();
      for (let i = lo; i < sortedWords.length && sortedWords[i]!.startsWith(prefix); i++) {
        for (const e of byWord.get(sortedWords[i]!)!) found.add(e);
      }
      return found;
    },
  };
}
