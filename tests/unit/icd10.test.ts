import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ICD10_CODES,
  isIcd10Format,
  lookupIcd10,
  normaliseIcd10,
  searchIcd10,
} from '../../src/clinical/icd10/index.ts';
import { normaliseName } from '../../src/patients/names.ts';

const codes = ICD10_CODES.map(([code]) => code);
const codesOf = (query: string, limit = 20) => searchIcd10(query, { limit }).map((m) => m.code);

describe('ICD-10 list', () => {
  it('holds a few hundred codes, each in canonical form, unique and titled', () => {
    expect(codes.length).toBeGreaterThanOrEqual(300);
    expect(codes.length).toBeLessThanOrEqual(450);
    expect(new Set(codes).size).toBe(codes.length);
    for (const [code, en, ar] of ICD10_CODES) {
      expect(isIcd10Format(code), code).toBe(true);
      expect(normaliseIcd10(code), code).toBe(code);
      expect(en.trim(), code).toBe(en);
      expect(en.length, code).toBeGreaterThan(2);
      if (ar !== undefined) expect(ar, code).toMatch(/^[\u0600-\u06FF]/);
    }
  });

  it('covers the common primary-care, dental and Bahrain-specific codes', () => {
    for (const code of [
      'J06.9', 'J02.9', 'J03.90', 'J20.9', 'J45.909', 'E11.9', 'E78.5', 'I10', 'K21.9', 'K29.70', 'M54.50',
      'N39.0', 'R50.9', 'R51.9', 'Z00.00', 'Z23', 'K02.51', 'K02.52', 'K04.01', 'K04.02', 'K05.10', 'K03.6',
      'K08.109', 'K08.409', 'K12.0', 'M26.4', 'S02.5XXA', 'Z34.00', 'Z34.90', 'E55.9', 'D50.9', 'D57.1',
      'D57.3', 'D56.1', 'D56.3', 'D55.0',
    ]) {
      expect(codes, code).toContain(code);
    }
  });

  it('keeps to one edition (ICD-10-CM FY2025): no codes that edition retired or never had', () => {
    // M54.5 became M54.50/51/59 (FY2022), R51 became R51.0/R51.9 (FY2021), K02.1 is WHO-only.
    for (const code of ['M54.5', 'R51', 'K02.1', 'K07.4', 'K10.3']) expect(codes, code).not.toContain(code);
  });

  it('has the CM titles for codes that are easy to get wrong', () => {
    const expected: Record<string, string> = {
      'J03.90': 'Acute tonsillitis, unspecified',
      'J45.909': 'Unspecified asthma, uncomplicated',
      'K29.70': 'Gastritis, unspecified, without bleeding',
      'M54.50': 'Low back pain, unspecified',
      'Z00.00': 'Encounter for general adult medical examination without abnormal findings',
      'K02.52': 'Dental caries on pit and fissure surface penetrating into dentin',
      'K03.6': 'Deposits [accretions] on teeth',
      'K04.7': 'Periapical abscess without sinus',
      'K05.10': 'Chronic gingivitis, plaque induced',
      'D55.0': 'Anemia due to glucose-6-phosphate dehydrogenase [G6PD] deficiency',
      'D57.1': 'Sickle-cell disease without crisis',
      'D56.3': 'Thalassemia minor',
      'S02.5XXA': 'Fracture of tooth (traumatic), initial encounter for closed fracture',
      'Z34.92': 'Encounter for supervision of normal pregnancy, unspecified, second trimester',
      'F32.A': 'Depression, unspecified',
    };
    for (const [code, title] of Object.entries(expected)) expect(lookupIcd10(code)?.titleEn, code).toBe(title);
  });
});

describe('ICD-10 format', () => {
  it('normalises case, spaces and a missing dot', () => {
    expect(normaliseIcd10('j069')).toBe('J06.9');
    expect(normaliseIcd10(' j06.9 ')).toBe('J06.9');
    expect(normaliseIcd10('i10')).toBe('I10');
    expect(normaliseIcd10('s025xxa')).toBe('S02.5XXA');
    expect(normaliseIcd10('f32a')).toBe('F32.A');
    expect(normaliseIcd10('m1a.0')).toBe('M1A.0');
  });

  it('refuses what is not shaped like a code', () => {
    for (const bad of ['123', 'J0', 'JJ6.9', 'J06.99999', 'J0699999', '', ' ', 'J06.', 'J06..9', '.J06', 'J06-9', '1J06', 'J 06.9', 'J06.9†']) {
      expect(isIcd10Format(bad), bad).toBe(false);
      expect(normaliseIcd10(bad), bad).toBeUndefined();
    }
  });

  it('accepts any syntactically valid code, listed or not, in any case and with or without the dot', () => {
    const alnum = fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ');
    const code = fc.record({
      letter: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'),
      digit: fc.constantFrom(...'0123456789'),
      third: alnum,
      rest: fc.array(alnum, { maxLength: 4 }),
    });
    fc.assert(
      fc.property(code, ({ letter, digit, third, rest }) => {
        const head = letter + digit + third;
        const canonical = rest.length ? `${head}.${rest.join('')}` : head;
        expect(normaliseIcd10(canonical)).toBe(canonical);
        expect(normaliseIcd10(canonical.toLowerCase())).toBe(canonical);
        expect(normaliseIcd10(head + rest.join(''))).toBe(canonical);
        expect(normaliseIcd10(normaliseIcd10(canonical)!)).toBe(canonical);
      }),
    );
    expect(lookupIcd10('Q99.9')).toBeUndefined();
    expect(isIcd10Format('Q99.9')).toBe(true);
  });
});

describe('ICD-10 search', () => {
  it('finds pharyngitis by title word', () => {
    expect(codesOf('pharyngitis').slice(0, 2)).toEqual(['J02.9', 'J02.0']);
    // Every query word must match: "acute" excludes streptococcal pharyngitis.
    expect(codesOf('acute pharyngitis')).toEqual(['J02.9']);
    expect(codesOf('pharyngitis zzz')).toEqual([]);
  });

  it('finds caries, most used first, and every caries code', () => {
    const found = codesOf('caries', 50);
    expect(found[0]).toBe('K02.9');
    expect(found.slice(0, 3).every((c) => c.startsWith('K02'))).toBe(true);
    for (const code of codes.filter((c) => c.startsWith('K02'))) expect(found).toContain(code);
  });

  it('finds codes by prefix, exact code first', () => {
    expect(codesOf('J06').slice(0, 2)).toEqual(['J06.0', 'J06.9']);
    expect(codesOf('J06.9')[0]).toBe('J06.9');
    expect(codesOf('j069')[0]).toBe('J06.9');
    expect(codesOf('I10')[0]).toBe('I10');
    expect(codesOf('e11').every((c) => c.startsWith('E11'))).toBe(true);
  });

  it('prefix-matches title words: "hypert" offers essential hypertension first', () => {
    const found = codesOf('hypert');
    expect(found[0]).toBe('I10');
    expect(found).toContain('I11.9');
  });

  it('searches Arabic titles with the same folding as names (article, hamza, taa marbuta)', () => {
    const found = searchIcd10('سكري', { lang: 'ar' });
    expect(found[0]?.code).toBe('E11.9');
    expect(found[0]?.title).toBe('داء السكري من النوع الثاني دون مضاعفات');
    expect(found.every((m) => normaliseName(m.titleAr ?? '').includes('سكري'))).toBe(true);
    expect(codesOf('التهاب اللثه')[0]).toMatch(/^K05\./);
    expect(codesOf('تسوس')[0]).toBe('K02.9');
  });

  it('matches British spellings and hyphenated words joined', () => {
    expect(codesOf('anaemia')).toContain('D50.9');
    expect(codesOf('haemorrhoids')).toContain('K64.9');
    expect(codesOf('gastroesophageal')).toContain('K21.9');
  });

  it('respects the limit and the display language', () => {
    expect(searchIcd10('a', { limit: 3 })).toHaveLength(3);
    expect(searchIcd10('a', { limit: 0 })).toHaveLength(0);
    const [ar] = searchIcd10('J02.9', { lang: 'ar' });
    expect(ar?.title).toBe(ar?.titleAr);
    const [en] = searchIcd10('J02.9', { lang: 'en' });
    expect(en?.title).toBe('Acute pharyngitis, unspecified');
    const noArabic = ICD10_CODES.find(([, , titleAr]) => titleAr === undefined)!;
    expect(searchIcd10(noArabic[0], { lang: 'ar' })[0]?.title).toBe(noArabic[1]);
    expect(searchIcd10('   ')).toEqual([]);
  });
});
