// Name normalisation and tokenisation for blind-index search (CR2), English and Arabic.
//
// A blind index only finds exact matches of what was indexed, so spelling variants that staff type
// interchangeably must fold to one form before hashing. Every folding here trades precision for recall:
// a lookup may return a few extra rows, and the repo decrypts and filters them, so the cost of a false
// match is a little work, while the cost of a missed patient is a duplicate record.
//
// Folding (normaliseName):
// - apostrophes and transliteration marks (' ’ ‘ ʼ ʻ ʿ ʾ ` ´) are removed, joining the word: "Sa'ad" and
//   "Saad", "Ja'far" and "Jafar" are typed for the same name;
// - NFKC (folds Arabic presentation forms, ligatures such as ﷲ, full-width Latin), lower case;
// - Latin diacritics are stripped ("José" = "jose"), and letters NFD cannot split are spelled out
//   (ß ss, æ ae, œ oe, ø o, ł l, ı i, đ/ð d, þ th, ħ h);
// - Arabic: tashkeel/harakat (U+064B–U+065F, U+0670) and tatweel (U+0640) go; alef forms أ إ آ ٱ -> ا;
//   ى -> ي; ة -> ه; ؤ -> و; ئ -> ي; Persian-keyboard ی -> ي and ک -> ك. Staff write a name both ways
//   (hamza or not, taa marbuta or haa), so these are merged on purpose;
// - Arabic-Indic and Eastern Arabic-Indic digits become ASCII; invisible format characters (bidi marks,
//   ZWJ/ZWNJ, soft hyphen) are removed; runs of white space become one space.
import { toAsciiDigits } from './identifiers.ts';

const APOSTROPHES = /['\u2019\u2018\u02BC\u02BB\u02BF\u02BE`\u00B4\u2032\uFF07]/g;
const FORMAT_CHARS = /\p{Cf}/gu;
// Nonspacing marks: Latin accents and Arabic harakat (U+064B–U+065F, U+0670 are all Mn).
const NONSPACING_MARKS = /\p{Mn}/gu;
const TATWEEL = /\u0640/g;
const LETTER_MAP: Record<string, string> = {
  ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', ı: 'i', đ: 'd', ð: 'd', þ: 'th', ħ: 'h',
  '\u0671': '\u0627', // ٱ alef wasla -> ا (أ إ آ lose their hamza/madda with the marks)
  '\u0649': '\u064A', // ى -> ي
  '\u0629': '\u0647', // ة -> ه
  '\u06CC': '\u064A', // Persian ی -> ي
  '\u06A9': '\u0643', // Persian ک -> ك
};
const LETTER_MAP_RE = new RegExp(`[${Object.keys(LETTER_MAP).join('')}]`, 'g');

/** Folds a name (or any search text) to the form that is indexed. Idempotent. */
export function normaliseName(text: string): string {
  const folded = text
    .replace(APOSTROPHES, '')
    .normalize('NFKC')
    .replace(APOSTROPHES, '') // NFKC can produce one (full-width ＇, ŉ)
    .toLowerCase()
    .normalize('NFD') // أ إ آ ؤ ئ split into base letter + hamza/madda mark here
    .replace(NONSPACING_MARKS, '')
    .replace(TATWEEL, '')
    .replace(FORMAT_CHARS, '')
    .replace(LETTER_MAP_RE, (c) => LETTER_MAP[c] ?? c);
  return toAsciiDigits(folded).normalize('NFKC').replace(/\s+/gu, ' ').trim();
}

// Words are letters, digits and spacing marks; anything else (space, hyphen, dot, comma) separates.
const SEPARATORS = /[^\p{L}\p{N}\p{M}]+/u;

/** The plain words of already-folded text, in order. */
export function splitWords(folded: string): string[] {
  return folded.split(SEPARATORS).filter((w) => w.length > 0);
}

// Particles that bind to the next word and are written both joined and apart:
// "Al Khalifa"/"Alkhalifa", "عبد الله"/"عبدالله", "بو علي"/"بوعلي", "Abu Bakr"/"Abubakr".
const ALEF_LAM = '\u0627\u0644'; // ال (آل "family of" folds to the same)
const JOINING_PARTICLES = new Set([
  'al', 'el', 'abd', 'abdul', 'abdel', 'abdal', 'abu', 'bu',
  ALEF_LAM, '\u0639\u0628\u062F' /* عبد */, '\u0627\u0628\u0648' /* ابو */, '\u0628\u0648' /* بو */,
]);
// Prefixes split off a joined word, longest first. "el" is left out: too many given names start with it.
const SPLIT_PREFIXES = [
  'abdul', 'abdel', 'abdal', 'abd', 'abu', 'al', 'bu',
  '\u0639\u0628\u062F', '\u0627\u0628\u0648', '\u0628\u0648', ALEF_LAM,
];
// A split needs at least this much left over, so "Alan" and "الله" stay whole.
const MIN_SPLIT_REST = 3;
// Sun-letter spellings of the article ("As-Sayed", "Ad-Dosari", "Ash-Shirawi") are the same "al".
const SUN_ARTICLES: Record<string, string> = {
  ad: 'd', adh: 'dh', an: 'n', ar: 'r', as: 's', ash: 'sh', at: 't', ath: 'th', az: 'z',
};

function isArticleBefore(particle: string, next: string | undefined): boolean {
  if (next === undefined) return false;
  if (particle === 'al' || particle === 'el' || particle === ALEF_LAM) return true;
  const consonant = SUN_ARTICLES[particle];
  return consonant !== undefined && next.startsWith(consonant);
}

function addSplits(token: string, out: Set<string>): void {
  for (const prefix of SPLIT_PREFIXES) {
    if (token.startsWith(prefix) && [...token].length - [...prefix].length >= MIN_SPLIT_REST) {
      const rest = token.slice(prefix.length);
      out.add(prefix);
      out.add(rest);
      addSplits(rest, out); // "عبدالرحمن" -> عبد + الرحمن -> ال + رحمن
      return;
    }
  }
}

/**
 * The unique folded tokens to index for a full name: every word, hyphenated compounds both joined and
 * apart, particles joined to the next word ("al khalifa" -> alkhalifa) and split off a joined word
 * ("alkhalifa" -> al, khalifa), and a sun-letter or "el" article also spelled "al".
 */
export function nameTokens(fullName: string): string[] {
  const out = new Set<string>();
  const sequence: string[] = [];
  for (const chunk of normaliseName(fullName).split(' ')) {
    const parts = splitWords(chunk);
    sequence.push(...parts);
    for (const p of parts) out.add(p);
    if (parts.length > 1) out.add(parts.join(''));
  }
  for (let i = 0; i < sequence.length - 1; i++) {
    const word = sequence[i]!;
    const next = sequence[i + 1]!;
    if (JOINING_PARTICLES.has(word)) out.add(word + next);
    if (isArticleBefore(word, next) && word !== ALEF_LAM) {
      out.add(word + next);
      out.add('al');
      out.add('al' + next);
    }
  }
  for (const token of [...out]) addSplits(token, out);
  // Joining can bring characters together that NFKC composes; fold again so tokens are stable.
  const stable = new Set<string>();
  for (const token of out) {
    const folded = normaliseName(token);
    if (folded && !SEPARATORS.test(folded)) stable.add(folded);
  }
  return [...stable];
}

export const NAME_PREFIX_MIN = 2;
export const NAME_PREFIX_MAX = 12;

/**
 * The prefixes of a token to index, from `min` to `max` characters (code points, so no surrogate pair is
 * cut). A token shorter than `min` is indexed whole. A search looks up its query term cut to `max`.
 */
export function namePrefixes(token: string, min = NAME_PREFIX_MIN, max = NAME_PREFIX_MAX): string[] {
  const chars = [...token];
  if (chars.length === 0) return [];
  if (chars.length < min) return [token];
  const out: string[] = [];
  for (let n = min; n <= Math.min(max, chars.length); n++) out.push(chars.slice(0, n).join(''));
  return out;
}

/**
 * The terms a name search looks up (each as a prefix; a row must match all of them): the query's words,
 * cut to `max`, without an article standing before another word ("al khalifa" -> khalifa), since
 * indexed names carry the article in too many spellings for it to narrow a search.
 */
export function nameQueryTerms(query: string, max = NAME_PREFIX_MAX): string[] {
  const words = splitWords(normaliseName(query));
  const terms = words.filter((w, i) => !isArticleBefore(w, words[i + 1]));
  return [...new Set(terms.map((t) => [...t].slice(0, max).join('')))];
}
