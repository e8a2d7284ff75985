import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPassword } from '../../src/auth/password-strength.ts';
import { passwordLength } from '../../src/auth/password-policy.ts';

const ctx = { minLength: 12, context: ['North Clinic', 'Fatima Al-Mansoori', 'fatima@north.test'] };

describe('password policy', () => {
  it('AU1: 12 to 128 characters of any Unicode, counted as characters not bytes', () => {
    expect(checkPassword('short pass', ctx)).toBe('tooShort');
    expect(checkPassword('كلمة مرور طويلة وآمنة جدا', ctx)).toBeUndefined();
    expect(passwordLength('😀😀😀😀😀😀😀😀😀😀😀😀')).toBe(12);
    expect(checkPassword('x'.repeat(129), ctx)).toBe('tooLong');
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 24, maxLength: 60 }), (pw) => {
        const n = passwordLength(pw);
        const r = checkPassword(pw, { minLength: 12, context: [] });
        if (n < 12) return r === 'tooShort';
        if (n > 128) return r === 'tooLong';
        return r === undefined || r === 'weak' || r === 'contains-context';
      }),
      { numRuns: 50 },
    );
  });

  it('AU1: the clinic policy can raise the minimum', () => {
    expect(checkPassword('granite river lantern', { minLength: 24, context: [] })).toBe('tooShort');
    expect(checkPassword('granite river lantern orchard', { minLength: 24, context: [] })).toBeUndefined();
  });

  it('AU2: no composition rules: a long lower-case passphrase is accepted', () => {
    expect(checkPassword('correct horse battery staple', ctx)).toBeUndefined();
    expect(checkPassword('the quiet orchard by the sea', ctx)).toBeUndefined();
  });

  it('AU3: refuses common passwords and ones built from the person or the clinic', () => {
    for (const weak of ['password1234', 'qwertyuiop123', '123456789012', 'iloveyou1234', 'aaaaaaaaaaaaaaaa']) {
      expect(checkPassword(weak, ctx), weak).toBe('weak');
    }
    for (const context of ['northclinic2024', 'Fatima.AlMansoori1', 'fatima@north.test']) {
      expect(checkPassword(context, ctx), context).toBe('contains-context');
    }
  });
});
