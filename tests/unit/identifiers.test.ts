import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  cprBirthMonthMismatch,
  formatPhone,
  isValidCpr,
  isValidPhone,
  normaliseCpr,
  normaliseEmail,
  normalisePhone,
  toAsciiDigits,
} from '../../src/patients/identifiers.ts';

const ARABIC_INDIC = '٠١٢٣٤٥٦٧٨٩';
const EASTERN_ARABIC_INDIC = '۰۱۲۳۴۵۶۷۸۹';
const toScript = (digits: string, script: string) => digits.replace(/[0-9]/g, (d) => script[Number(d)]!);

// Re-types a digit string the ways people do: digits in any script, spaces/dashes anywhere, bidi marks.
const retyped = (digits: string) =>
  fc
    .record({
      script: fc.constantFrom('0123456789', ARABIC_INDIC, EASTERN_ARABIC_INDIC),
      seps: fc.array(fc.constantFrom('', '', ' ', '-', ' - ', '\u00A0', '\u200F'), {
        minLength: digits.length + 1,
        maxLength: digits.length + 1,
      }),
    })
    .map(({ script, seps }) => [...toScript(digits, script)].map((d, i) => seps[i] + d).join('') + seps.at(-1));

describe('digits', () => {
  it('converts Arabic-Indic and Eastern Arabic-Indic digits and leaves the rest', () => {
    expect(toAsciiDigits(ARABIC_INDIC)).toBe('0123456789');
    expect(toAsciiDigits(EASTERN_ARABIC_INDIC)).toBe('0123456789');
    expect(toAsciiDigits('CPR ٨٩٠ abc')).toBe('CPR 890 abc');
  });
});

describe('CPR numbers', () => {
  it('accepts 9 digits, with spaces, dashes and Arabic digits', () => {
    for (const input of ['890123456', '8901-23456', '890 123 456', ' 890-123-456 ', '٨٩٠١٢٣٤٥٦', '۸۹۰۱۲۳۴۵۶', '\u200F٨٩٠١ ٢٣٤٥٦']) {
      expect(normaliseCpr(input), input).toBe('890123456');
    }
  });

  it('refuses anything but exactly 9 digits', () => {
    for (const input of ['', '89012345', '8901234567', '89012345a', 'abcdefghi', '890.123.456', '+890123456']) {
      expect(normaliseCpr(input), input).toBeUndefined();
      expect(isValidCpr(input), input).toBe(false);
    }
  });

  it('VE4: normalise(normalise(x)) = normalise(x) for any input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.stringMatching(/^[0-9 \-]{0,14}$/)), (x) => {
        const once = normaliseCpr(x);
        if (once !== undefined) expect(normaliseCpr(once)).toBe(once);
      }),
    );
  });

  it('VE4: every retyping of a CPR normalises to the same 9 digits', () => {
    const cpr = fc.stringMatching(/^[0-9]{9}$/);
    fc.assert(fc.property(cpr.chain((d) => fc.tuple(fc.constant(d), retyped(d))), ([digits, typed]) => {
      expect(normaliseCpr(typed)).toBe(digits);
    }));
  });

  it('warns when the first four digits are not the birth YYMM, and only then', () => {
    expect(cprBirthMonthMismatch('890123456', '1989-01-30')).toBe(false);
    expect(cprBirthMonthMismatch('8901-23456', '1989-01')).toBe(false);
    expect(cprBirthMonthMismatch('050912345', new Date(Date.UTC(2005, 8, 1)))).toBe(false);
    expect(cprBirthMonthMismatch('890123456', '1989-02-01')).toBe(true);
    expect(cprBirthMonthMismatch('890123456', '1990-01-01')).toBe(true);
    expect(cprBirthMonthMismatch('050912345', '1905-09-01')).toBe(false); // two-digit year, as on the card
    // Nothing to compare: no warning.
    expect(cprBirthMonthMismatch('12345', '1989-01-01')).toBe(false);
    expect(cprBirthMonthMismatch('890123456', 'not a date')).toBe(false);
    expect(cprBirthMonthMismatch('890123456', new Date('nonsense'))).toBe(false);
  });
});

describe('phone numbers', () => {
  const MOBILE = '+97336001234';

  it('normalises the ways a Bahraini mobile is written to one E.164 value', () => {
    for (const input of [
      '36001234', '3600 1234', '3600-1234', '+973 3600 1234', '+97336001234', '00973 3600 1234', '00973-36001234',
      '(+973) 3600-1234', '+973 (3600) 1234', '٣٦٠٠١٢٣٤', '۳۶۰۰۱۲۳۴', '+٩٧٣ ٣٦٠٠ ١٢٣٤', '\u200E+973 3600 1234\u200E',
      'tel:+973-3600-1234', '3600 1234 ext. 12',
    ]) {
      expect(normalisePhone(input), input).toBe(MOBILE);
    }
    expect(normalisePhone('1712 3456')).toBe('+97317123456');
  });

  it('reads numbers with a country code as that country, and others by the default country', () => {
    expect(normalisePhone('+44 7911 123456')).toBe('+447911123456');
    expect(normalisePhone('0044 7911 123456')).toBe('+447911123456');
    expect(normalisePhone('+966 50 123 4567')).toBe('+966501234567');
    expect(normalisePhone('07911 123456', 'GB')).toBe('+447911123456');
  });

  it('refuses what is not a valid number', () => {
    for (const input of ['', '+973', '3600123', '360012345', '12345678', 'call 36001234', 'abc', '3600 1234 / 3600 5678', '++97336001234']) {
      expect(normalisePhone(input), input).toBeUndefined();
      expect(isValidPhone(input), input).toBe(false);
    }
    expect(isValidPhone('3600 1234')).toBe(true);
  });

  it('VE4: normalise(normalise(x)) = normalise(x) for any input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.stringMatching(/^\+?[0-9 ()\-]{0,16}$/)), (x) => {
        const once = normalisePhone(x);
        if (once !== undefined) expect(normalisePhone(once)).toBe(once);
      }),
    );
  });

  it('VE4: every retyping of a Bahraini mobile normalises to the same E.164 value', () => {
    // 3x is Bahrain's mobile block; the metadata has 386 unallocated.
    const mobile = fc.stringMatching(/^3[0-9]{7}$/).filter((d) => !d.startsWith('386'));
    const prefix = fc.constantFrom('', '+973', '+973 ', '00973', '00973 ', '973 ');
    fc.assert(
      fc.property(mobile.chain((d) => fc.tuple(fc.constant(d), prefix, retyped(d))), ([digits, pre, typed]) => {
        const expected = `+973${digits}`;
        expect(normalisePhone(digits)).toBe(expected);
        expect(normalisePhone(pre + typed)).toBe(expected);
        expect(normalisePhone(normalisePhone(pre + typed)!)).toBe(expected);
      }),
    );
  });

  it('formats a stored number for display in a form that normalises back to it', () => {
    for (const e164 of [MOBILE, '+447911123456']) {
      const shown = formatPhone(e164);
      expect(shown).not.toBe('');
      expect(normalisePhone(shown)).toBe(e164);
    }
    expect(formatPhone(MOBILE)).not.toContain('+973');
    expect(formatPhone('+447911123456')).toMatch(/^\+44/);
  });
});

describe('email addresses', () => {
  it('trims and lower-cases, and refuses what is not an address', () => {
    expect(normaliseEmail('  Fatima.Ali@Example.COM ')).toBe('fatima.ali@example.com');
    expect(normaliseEmail('\u200Fa@b.bh')).toBe('a@b.bh');
    for (const bad of ['', 'fatima', 'a@', '@b.com', 'a b@c.com', 'a@b', `${'a'.repeat(250)}@b.com`]) {
      expect(normaliseEmail(bad), bad).toBeUndefined();
    }
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.oneof(fc.emailAddress(), fc.string()), (x) => {
        const once = normaliseEmail(x);
        if (once !== undefined) expect(normaliseEmail(once)).toBe(once);
      }),
    );
  });
});
