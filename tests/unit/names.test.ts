import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { nameQueryTerms, namePrefixes, nameTokens, normaliseName } from '../../src/patients/names.ts';

/** What a blind-index search does with these functions: every query term must be an indexed prefix. */
function finds(query: string, indexedName: string): boolean {
  const indexed = new Set(nameTokens(indexedName).flatMap((t) => namePrefixes(t)));
  const terms = nameQueryTerms(query);
  return terms.length > 0 && terms.every((t) => indexed.has(t));
}

const sameSet = (a: string[], b: string[]) => expect(new Set(a)).toEqual(new Set(b));

describe('normaliseName', () => {
  it('lower-cases, applies NFKC and strips Latin diacritics', () => {
    expect(normaliseName('  JOSÉ   Müller ')).toBe('jose muller');
    expect(normaliseName('Ａｈｍｅｄ')).toBe('ahmed');
    expect(normaliseName('Straße Øst Łukasz')).toBe('strasse ost lukasz');
    expect(normaliseName("Sa'ad Ja’far")).toBe('saad jafar');
  });

  it('folds Arabic letter variants, tashkeel and tatweel', () => {
    expect(normaliseName('أحمد')).toBe('احمد');
    expect(normaliseName('إبراهيم')).toBe('ابراهيم');
    expect(normaliseName('آمنة')).toBe('امنه');
    expect(normaliseName('ٱلله')).toBe('الله');
    expect(normaliseName('هدى')).toBe('هدي');
    expect(normaliseName('فاطمة')).toBe('فاطمه');
    expect(normaliseName('مؤمن')).toBe('مومن');
    expect(normaliseName('هانئ')).toBe('هاني');
    expect(normaliseName('مُحَمَّد')).toBe('محمد');
    expect(normaliseName('محـــمد')).toBe('محمد');
    expect(normaliseName('علی کریم')).toBe('علي كريم'); // Persian keyboard yeh and kaf
    expect(normaliseName('ﻣﺤﻤﺪ')).toBe('محمد'); // presentation forms
    expect(normaliseName('عبد ﷲ')).toBe('عبد الله');
    expect(normaliseName('\u200Fمحمد\u200C ١٢')).toBe('محمد 12');
  });

  it('is idempotent on any text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => {
      expect(normaliseName(normaliseName(s))).toBe(normaliseName(s));
    }));
  });
});

describe('nameTokens', () => {
  it("treats 'عبدالله' and 'عبد الله' alike", () => {
    sameSet(nameTokens('عبدالله'), ['عبدالله', 'عبد', 'الله']);
    sameSet(nameTokens('عبد الله'), nameTokens('عبدالله'));
    sameSet(nameTokens('عَبْدُ اللهِ'), nameTokens('عبدالله'));
    expect(nameTokens('عبدالرحمن')).toEqual(expect.arrayContaining(['عبدالرحمن', 'عبد', 'الرحمن', 'رحمن']));
  });

  it("emits joined and split forms of 'Al-Khalifa', 'Alkhalifa' and 'al khalifa'", () => {
    const expected = ['al', 'khalifa', 'alkhalifa'];
    for (const name of ['Al-Khalifa', 'Alkhalifa', 'al khalifa', 'AL KHALIFA']) sameSet(nameTokens(name), expected);
    sameSet(nameTokens('آل خليفة'), nameTokens('الخليفة'));
  });

  it('spells other forms of the article as "al"', () => {
    expect(nameTokens('El-Sayed')).toEqual(expect.arrayContaining(['el', 'sayed', 'elsayed', 'alsayed']));
    expect(nameTokens('As-Sayed')).toEqual(expect.arrayContaining(['sayed', 'assayed', 'alsayed']));
    expect(nameTokens('Ad Dosari')).toEqual(expect.arrayContaining(['dosari', 'aldosari']));
    expect(nameTokens('Ahmed Salem')).not.toContain('al');
  });

  it('keeps hyphenated compounds both ways, and short names whole', () => {
    sameSet(nameTokens('Smith-Jones'), ['smith', 'jones', 'smithjones']);
    sameSet(nameTokens('Alan'), ['alan']);
    sameSet(nameTokens('الله'), ['الله']);
    expect(nameTokens('')).toEqual([]);
    expect(nameTokens(' - ، . ')).toEqual([]);
  });

  it('tokens are idempotent under normalisation, and tokenising normalised text changes nothing', () => {
    const nameLike = fc.string({ unit: fc.constantFrom(...'ab-\' لامحدةأإآىئؤ\u064Eـ١2ÉéßİŉＡ\u200F') });
    fc.assert(fc.property(fc.oneof(fc.string({ unit: 'binary' }), nameLike), (s) => {
      const tokens = nameTokens(s);
      for (const t of tokens) {
        expect(normaliseName(t)).toBe(t);
        expect(t).not.toMatch(/\s/);
        expect(nameTokens(t)).toContain(t);
      }
      sameSet(nameTokens(normaliseName(s)), tokens);
    }));
  });
});

describe('namePrefixes', () => {
  it('every token is found by its first two characters, and by itself up to 12', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', minLength: 1 }), (s) => {
      for (const t of nameTokens(s)) {
        const chars = [...t];
        const prefixes = namePrefixes(t);
        expect(prefixes).toContain(chars.slice(0, 2).join(''));
        expect(prefixes).toContain(chars.slice(0, 12).join(''));
        for (const p of prefixes) {
          expect(t.startsWith(p)).toBe(true);
          expect([...p].length).toBeLessThanOrEqual(12);
        }
      }
    }));
  });

  it('respects min and max and never cuts a surrogate pair', () => {
    expect(namePrefixes('mohammed', 3, 5)).toEqual(['moh', 'moha', 'moham']);
    expect(namePrefixes('a')).toEqual(['a']);
    expect(namePrefixes('')).toEqual([]);
    expect(namePrefixes('𝒜𝒷𝒸')).toEqual(['𝒜𝒷', '𝒜𝒷𝒸']);
  });
});

describe('name search', () => {
  it('finds by prefix in English and Arabic', () => {
    expect(finds('moh', 'Mohammed Ali')).toBe(true);
    expect(finds('MOHAM ali', 'Mohammed Ali')).toBe(true);
    expect(finds('مح', 'محمد علي')).toBe(true);
    expect(finds('مُحمّد', 'محمد علي')).toBe(true);
    expect(finds('moh', 'Ahmed Ali')).toBe(false);
    expect(finds('mohammed salman', 'Mohammed Ali')).toBe(false);
  });

  it('finds a name however the article and compounds are written', () => {
    const english = ['Abdullah Al-Khalifa', 'abdullah alkhalifa', 'ABDULLAH AL KHALIFA', 'Abdullah Khalifa'];
    for (const query of english) for (const name of english.slice(0, 3)) expect(finds(query, name), `${query} -> ${name}`).toBe(true);
    const arabic = ['عبدالله آل خليفة', 'عبد الله الخليفة', 'عَبْدُ اللهِ آل خليفه', 'عبدالله خليفة'];
    for (const query of arabic) for (const name of arabic.slice(0, 3)) expect(finds(query, name), `${query} -> ${name}`).toBe(true);
    expect(finds('Al Sayed', 'As-Sayed')).toBe(true);
    expect(finds('alsayed', 'El-Sayed')).toBe(true);
    expect(finds('بو علي', 'بوعلي')).toBe(true);
    expect(finds('Abubakr', 'Abu Bakr')).toBe(true);
  });

  it('never misses a name by a prefix of one of its words (CR2: no false negatives)', () => {
    const word = fc.string({ unit: fc.constantFrom(...'abdelkhimorsu' + 'محمدعبلاهيفة'), minLength: 2, maxLength: 14 });
    fc.assert(fc.property(fc.array(word, { minLength: 1, maxLength: 4 }), fc.nat(), fc.nat(), (words, wi, len) => {
      const name = words.join(' ');
      const target = splitFolded(name);
      if (target.length === 0) return;
      const w = [...target[wi % target.length]!];
      const query = w.slice(0, 2 + (len % Math.max(1, w.length - 1))).join('');
      expect(finds(query, name), `${query} -> ${name}`).toBe(true);
    }));
  });
});

const splitFolded = (s: string) => normaliseName(s).split(' ').filter(Boolean);
