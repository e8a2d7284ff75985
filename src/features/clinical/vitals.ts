// Vital signs: plausibility ranges (a value outside them is a typing error, not a finding) and BMI,
// computed on the server. Pure functions, so that forms, service and tests share one definition.
import type { MessageKey } from '../../i18n/index.ts';

export const VITAL_FIELDS = ['systolic', 'diastolic', 'pulse', 'temperatureC', 'respRate', 'spo2', 'weightKg', 'heightCm'] as const;
export type VitalField = (typeof VITAL_FIELDS)[number];

export type VitalsInput = Partial<Record<VitalField, number>>;

interface Range {
  min: number;
  max: number;
  /** Decimal places accepted (0: whole numbers). */
  decimals: number;
  error: MessageKey;
}

export const VITAL_RANGES: Record<VitalField, Range> = {
  systolic: { min: 50, max: 260, decimals: 0, error: 'clinical.vitals.err.systolic' },
  diastolic: { min: 30, max: 160, decimals: 0, error: 'clinical.vitals.err.diastolic' },
  pulse: { min: 20, max: 250, decimals: 0, error: 'clinical.vitals.err.pulse' },
  temperatureC: { min: 30, max: 45, decimals: 1, error: 'clinical.vitals.err.temperatureC' },
  respRate: { min: 4, max: 60, decimals: 0, error: 'clinical.vitals.err.respRate' },
  spo2: { min: 50, max: 100, decimals: 0, error: 'clinical.vitals.err.spo2' },
  weightKg: { min: 0.5, max: 400, decimals: 2, error: 'clinical.vitals.err.weightKg' },
  heightCm: { min: 30, max: 250, decimals: 1, error: 'clinical.vitals.err.heightCm' },
};

const NUMBER = /^\d{1,4}(?:[.,]\d{1,3})?$/;

/**
 * Reads the submitted strings (empty = not measured), checks each against its range and the pair
 * rules (diastolic below systolic, both or neither). Returns the values or an error per field.
 */
export function checkVitals(raw: Partial<Record<VitalField, string>>): { ok: true; values: VitalsInput } | { ok: false; errors: Record<string, MessageKey> } {
  const values: VitalsInput = {};
  const errors: Record<string, MessageKey> = {};
  for (const f of VITAL_FIELDS) {
    const s = (raw[f] ?? '').trim();
    if (s === '') continue;
    const r = VITAL_RANGES[f];
    if (!NUMBER.test(s)) {
      errors[f] = r.error;
      continue;
    }
    const n = Number(s.replace(',', '.'));
    const places = s.split(/[.,]/)[1]?.length ?? 0;
    if (!Number.isFinite(n) || n < r.min || n > r.max || places > r.decimals) errors[f] = r.error;
    else values[f] = n;
  }
  if (values.systolic !== undefined && values.diastolic !== undefined && values.diastolic >= values.systolic) {
    errors.diastolic = 'clinical.vitals.err.diastolicBelow';
  }
  if (!errors.systolic && !errors.diastolic && (values.systolic === undefined) !== (values.diastolic === undefined)) {
    errors[values.systolic === undefined ? 'systolic' : 'diastolic'] = 'clinical.vitals.err.pair';
  }
  if (Object.keys(errors).length === 0 && Object.keys(values).length === 0) errors._form = 'clinical.vitals.err.none';
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, values };
}

/** Body-mass index (kg/m²) to one decimal, or null without both measurements. */
export function bmiOf(weightKg: number | null | undefined, heightCm: number | null | undefined): number | null {
  if (!weightKg || !heightCm) return null;
  const m = heightCm / 100;
  return Math.round((weightKg / (m * m)) * 10) / 10;
}
