// One vitals row becomes one Observation per measurement taken (category vital-signs, LOINC code,
// UCUM unit), blood pressure as the 85354-9 panel with systolic and diastolic components. Each
// Observation id is derived from the row id and the measurement, so it is stable too.
import type { Vitals } from '../../features/clinical/types.ts';
import { SYS, coding, concept, loinc } from './codes.ts';
import type { FhirContext } from './context.ts';
import type { CodeableConcept, FhirResource, Quantity } from './types.ts';

interface Measure {
  part: string;
  field: keyof Vitals;
  code: CodeableConcept;
  unit: string;
  ucum: string;
}

const MEASURES: Measure[] = [
  { part: 'pulse', field: 'pulse', code: loinc('8867-4', 'Heart rate'), unit: 'beats/minute', ucum: '/min' },
  { part: 'temperature', field: 'temperatureC', code: loinc('8310-5', 'Body temperature'), unit: 'C', ucum: 'Cel' },
  { part: 'resp-rate', field: 'respRate', code: loinc('9279-1', 'Respiratory rate'), unit: 'breaths/minute', ucum: '/min' },
  // 59408-5 (by pulse oximetry) is what was measured; 2708-6 is the code the vital-signs profile expects.
  {
    part: 'spo2',
    field: 'spo2',
    code: { coding: [coding(SYS.loinc, '59408-5', 'Oxygen saturation in Arterial blood by Pulse oximetry'), coding(SYS.loinc, '2708-6', 'Oxygen saturation in Arterial blood')], text: 'Oxygen saturation' },
    unit: '%',
    ucum: '%',
  },
  { part: 'weight', field: 'weightKg', code: loinc('29463-7', 'Body weight'), unit: 'kg', ucum: 'kg' },
  { part: 'height', field: 'heightCm', code: loinc('8302-2', 'Body height'), unit: 'cm', ucum: 'cm' },
  { part: 'bmi', field: 'bmi', code: loinc('39156-5', 'Body mass index (BMI) [Ratio]'), unit: 'kg/m2', ucum: 'kg/m2' },
];

const quantity = (value: number, unit: string, code: string): Quantity => ({ value, unit, system: SYS.ucum, code });
const mmHg = (value: number) => quantity(value, 'mmHg', 'mm[Hg]');

const VITAL_SIGNS = [concept(coding(SYS.observationCategory, 'vital-signs', 'Vital Signs'))];

/** The Observations of one vitals row, in a fixed order (blood pressure first). */
export function vitalsObservations(ctx: FhirContext, v: Vitals): FhirResource[] {
  const base = (part: string) => ({
    resourceType: 'Observation',
    id: ctx.uuid('Observation', v.id, part),
    identifier: [{ system: `${ctx.identifierBase}:vitals`, value: `${v.id}#${part}` }],
    status: 'final',
    category: VITAL_SIGNS,
  });
  const context = () => ({
    subject: ctx.patient,
    ...(ctx.encounter(v.encounterId) ? { encounter: ctx.encounter(v.encounterId) } : {}),
    effectiveDateTime: v.takenAt,
    performer: [ctx.practitioner(v.takenBy)],
  });
  const out: FhirResource[] = [];
  if (v.systolic !== null || v.diastolic !== null) {
    const component = [];
    if (v.systolic !== null) component.push({ code: loinc('8480-6', 'Systolic blood pressure'), valueQuantity: mmHg(v.systolic) });
    if (v.diastolic !== null) component.push({ code: loinc('8462-4', 'Diastolic blood pressure'), valueQuantity: mmHg(v.diastolic) });
    out.push({ ...base('bp'), code: loinc('85354-9', 'Blood pressure panel with all children optional'), ...context(), component });
  }
  for (const m of MEASURES) {
    const value = v[m.field];
    if (typeof value !== 'number') continue;
    out.push({ ...base(m.part), code: m.code, ...context(), valueQuantity: quantity(value, m.unit, m.ucum) });
  }
  return out;
}
