// The patient form's rules: strict shape (AC6), dates, CPR and phones normalised (VE4), names
// computed, changed fields; and what a search query means.
import { describe, expect, it } from 'vitest';
import { ageOn, changedFields, editSchema, isIsoDate, registerSchema, toDemographics, type Demographics } from '../../src/features/patients/demographics.ts';
import { parseQuery } from '../../src/features/patients/search.ts';

const TODAY = '2026-12-04';
const base = { givenNameEn: 'Ali', familyNameEn: 'Hasan', dateOfBirth: '1980-05-06', sex: 'male' };
const check = (extra: Record<string, string>) => toDemographics(registerSchema.parse({ ...base, ...extra }), TODAY);
const ok = (extra: Record<string, string> = {}): Demographics => {
  const r = check(extra);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
};

describe('patient form', () => {
  it('refuses unknown fields and over-long values (AC6)', () => {
    for (const extra of ['role', 'restricted', 'version', 'mrn', '__proto__x', 'hx-get']) {
      expect(registerSchema.safeParse({ ...base, [extra]: '1' }).success, extra).toBe(false);
    }
    expect(registerSchema.safeParse({ ...base, address: 'x'.repeat(501) }).success).toBe(false);
    expect(registerSchema.safeParse({ ...base, sex: 'x' }).success).toBe(false);
    expect(editSchema.safeParse({ ...base, version: '1' }).success).toBe(false); // a reason is required
  });

  it('computes full names, normalises CPR and phones, idempotently (VE4)', () => {
    const d = ok({ cpr: '800-506 789', phone: '3600 1234', phone2: '+973 36001234', emergencyPhone: '0097339001122', email: ' A@B.COM ' });
    expect(d.fullNameEn).toBe('Ali Hasan');
    expect(d.fullNameAr).toBe('');
    expect(d.cpr).toBe('800506789');
    expect(d.phones).toEqual(['+97336001234']);
    expect(d.emergencyPhone).toBe('+97339001122');
    expect(d.email).toBe('a@b.com');
    const again = ok({ cpr: d.cpr, phone: d.phones[0]!, emergencyPhone: d.emergencyPhone, email: d.email });
    expect(again).toEqual(d);
  });

  it('refuses bad dates, CPRs, phones and nameless records', () => {
    const errors = (extra: Record<string, string>) => {
      const r = check(extra);
      return r.ok ? {} : r.errors;
    };
    expect(errors({ dateOfBirth: '2026-12-05' }).dateOfBirth).toBe('patients.error.dobFuture');
    expect(errors({ dateOfBirth: TODAY }).dateOfBirth).toBeUndefined();
    expect(errors({ dateOfBirth: '1890-01-01' }).dateOfBirth).toBe('patients.error.dobTooOld');
    expect(errors({ dateOfBirth: '1990-02-30' }).dateOfBirth).toBe('patients.error.date');
    expect(errors({ cpr: '12345678' }).cpr).toBe('patients.error.cpr');
    expect(errors({ phone: '123' }).phone).toBe('patients.error.phone');
    expect(errors({ insuranceExpiry: '31/12/2027' }).insuranceExpiry).toBe('patients.error.date');
    expect(errors({ givenNameEn: ' ', familyNameEn: '' }).fullNameEn).toBe('patients.error.name');
    expect(check({ givenNameEn: '', familyNameEn: '', fullNameAr: 'علي حسن' }).ok).toBe(true);
  });

  it('names the changed fields, and counts age in whole years', () => {
    const a = ok();
    expect(changedFields(a, ok())).toEqual([]);
    expect(changedFields(a, ok({ phone: '36001234', nationality: 'Bahraini' }))).toEqual(['nationality', 'phones']);
    expect(ageOn('1980-05-06', '2026-05-05')).toBe(45);
    expect(ageOn('1980-05-06', '2026-05-06')).toBe(46);
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
  });
});

describe('search query', () => {
  it('reads names, CPRs, phones and MRNs', () => {
    expect(parseQuery('  ')).toBeUndefined();
    expect(parseQuery('d-0001')).toMatchObject({ mrn: 'D-0001' });
    expect(parseQuery('880 112 345')).toMatchObject({ cpr: '880112345' });
    expect(parseQuery('3600 1234')).toMatchObject({ phone: '+97336001234' });
    expect(parseQuery('Fatima Al Khalifa')!.terms).toEqual(['fatima', 'khalifa']);
    expect(parseQuery('فاطمة أ')!.terms).toEqual(['فاطمه']);
    expect(parseQuery('fatima')!.phone).toBeUndefined();
  });
});
