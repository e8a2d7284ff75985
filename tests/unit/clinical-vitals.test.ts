// Vital-sign plausibility ranges, BMI and the coded-text rule of diagnoses and problems.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bmiOf, checkVitals, VITAL_FIELDS, VITAL_RANGES } from '../../src/features/clinical/vitals.ts';
import { codedText, encounterSchema } from '../../src/features/clinical/forms.ts';
import { localToUtc, utcToLocal } from '../../src/features/clinical/time.ts';

describe('vitals', () => {
  it('accepts values inside every range and refuses one step outside, with the field named', () => {
    for (const f of VITAL_FIELDS) {
      const r = VITAL_RANGES[f];
      const ok = f === 'systolic' ? { systolic: String(r.min), diastolic: '40' } : f === 'diastolic' ? { systolic: '200', diastolic: String(r.max) } : { [f]: String(r.max) };
      expect(checkVitals(ok).ok, f).toBe(true);
      const over = checkVitals({ [f]: String(r.max + 1) });
      expect(over.ok, f).toBe(false);
      if (!over.ok) expect(over.errors[f], f).toBe(r.error);
      const under = checkVitals({ [f]: String(Math.max(0, r.min - 1)) });
      expect(under.ok, f).toBe(false);
    }
  });

  it('diastolic must be below systolic, and both come together', () => {
    expect(checkVitals({ systolic: '120', diastolic: '120' })).toEqual({ ok: false, errors: { diastolic: 'clinical.vitals.err.diastolicBelow' } });
    expect(checkVitals({ systolic: '120' })).toEqual({ ok: false, errors: { diastolic: 'clinical.vitals.err.pair' } });
    expect(checkVitals({})).toEqual({ ok: false, errors: { _form: 'clinical.vitals.err.none' } });
  });

  it('refuses non-numbers, signs, exponents and too many decimals', () => {
    for (const s of ['abc', '-70', '1e2', '70.5', ' ', 'NaN', 'Infinity', '0x50']) {
      expect(checkVitals({ pulse: s }).ok, s).toBe(false);
    }
    expect(checkVitals({ temperatureC: '37,5' })).toEqual({ ok: true, values: { temperatureC: 37.5 } });
  });

  it('never accepts a value outside its range (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...VITAL_FIELDS), fc.double({ min: -1000, max: 10000, noNaN: true }), (f, n) => {
        const out = checkVitals({ [f]: String(n) });
        if (out.ok && out.values[f] !== undefined) {
          expect(out.values[f]).toBeGreaterThanOrEqual(VITAL_RANGES[f].min);
          expect(out.values[f]).toBeLessThanOrEqual(VITAL_RANGES[f].max);
        }
      }),
    );
  });

  it('BMI is weight / height² to one decimal, null without both', () => {
    expect(bmiOf(80, 180)).toBe(24.7);
    expect(bmiOf(3.5, 50)).toBe(14);
    expect(bmiOf(80, null)).toBeNull();
    expect(bmiOf(undefined, 170)).toBeNull();
  });
});

describe('diagnosis codes and note sizes', () => {
  it('canonicalises ICD-10 codes, titles listed ones, accepts unlisted codes with text, refuses bad shapes', () => {
    const f = { code: 'dxCode', text: 'dxText' };
    expect(codedText('j069', '', f)).toEqual({ ok: true, value: { code: 'J06.9', text: 'Acute upper respiratory infection, unspecified' } });
    expect(codedText('Z99.89', 'Other dependence', f)).toEqual({ ok: true, value: { code: 'Z99.89', text: 'Other dependence' } });
    expect(codedText('Z99.89', '', f)).toEqual({ ok: false, errors: { dxText: 'clinical.dx.needText' } });
    expect(codedText('12345', 'x', f)).toEqual({ ok: false, errors: { dxCode: 'clinical.dx.badCode' } });
    expect(codedText('', 'Free text only', f)).toEqual({ ok: true, value: { code: null, text: 'Free text only' } });
    expect(codedText('', '', f)).toEqual({ ok: true, value: undefined });
  });

  it('AC6: notes over 20,000 characters and unknown fields are refused', () => {
    expect(encounterSchema.safeParse({ type: 'consultation', plan: 'x'.repeat(20_000) }).success).toBe(true);
    expect(encounterSchema.safeParse({ type: 'consultation', plan: 'x'.repeat(20_001) }).success).toBe(false);
    expect(encounterSchema.safeParse({ type: 'consultation', extra: '1' }).success).toBe(false);
  });
});

describe('encounter time', () => {
  it('converts the form value in the clinic time zone and back', () => {
    expect(localToUtc('2026-12-04T09:30', 'Asia/Bahrain')).toBe('2026-12-04T06:30:00.000Z');
    expect(utcToLocal('2026-12-04T06:30:00.000Z', 'Asia/Bahrain')).toBe('2026-12-04T09:30');
    expect(localToUtc('2026-12-04T24:00', 'Asia/Bahrain')).toBeUndefined();
    expect(localToUtc('2026-02-30T10:00', 'Asia/Bahrain')).toBeUndefined();
    expect(localToUtc('yesterday', 'Asia/Bahrain')).toBeUndefined();
  });
});
