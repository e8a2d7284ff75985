// The chart's findings as FHIR R4 Observations (record.json of the patient archive): one per
// finding standing at the moment, planned treatment and drafts as `preliminary`.
//
// Codes. The tooth is coded in FDI (ISO 3950) notation under `https://www.fdiworlddental.org/` for
// every tooth, and also under HL7's Oral Site Codes (http://terminology.hl7.org/CodeSystem/ex-tooth)
// where that list has it (permanent teeth only). The surface is a component coded with HL7's
// FDI-surface codes (M, O, I, D, B, L). What was found (caries, crown...), the treatment status and
// the material have no free standard list we can rely on offline, so they use this project's own
// code system DENTAL_CODES below, with English display text; its codes are the `finding`,
// `status` and `material` values of dental.json.
import { translator, type MessageKey } from '../i18n/index.ts';
import { surfaceCode, surfaceName, type Surface } from './findings.ts';
import type { DentalEntry } from './findings.ts';
import { foldChart, type Finding } from './fold.ts';
import { toothInfo, toUniversal } from './teeth.ts';

export const FDI_TOOTH_SYSTEM = 'https://www.fdiworlddental.org/';
export const HL7_TOOTH_SYSTEM = 'http://terminology.hl7.org/CodeSystem/ex-tooth';
export const HL7_SURFACE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/FDI-surface';
export const OBSERVATION_CATEGORY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/observation-category';
/** This project's codes for dental findings, statuses, materials and component names. */
export const DENTAL_CODES = 'urn:invent-medical:fhir:dental';

export interface Coding {
  system: string;
  code: string;
  display?: string;
}
export interface CodeableConcept {
  coding: Coding[];
  text?: string;
}
export interface DentalObservation {
  resourceType: 'Observation';
  id: string;
  status: 'final' | 'preliminary';
  category: CodeableConcept[];
  code: CodeableConcept;
  subject: { reference: string };
  effectiveDateTime: string;
  issued: string;
  bodySite: CodeableConcept;
  component?: { code: CodeableConcept; valueCodeableConcept: CodeableConcept }[];
  note?: { authorString?: string; time: string; text: string }[];
}

const en = translator('en');
const own = (code: string, display: string): CodeableConcept => ({ coding: [{ system: DENTAL_CODES, code, display }], text: display });

/** FHIR ids allow letters, digits, '-' and '.': an entry id 'dnt_abc' becomes 'dental-dnt-abc'. */
export const observationId = (entryId: string) => `dental-${entryId.replace(/[^A-Za-z0-9.-]/g, '-')}`.slice(0, 64);

export function toothConcept(tooth: number): CodeableConcept {
  const info = toothInfo(tooth);
  const name = en(info.dentition === 'primary' ? 'dental.toothNamePrimary' : 'dental.toothName', {
    arch: en(`dental.arch.${info.arch}`),
    side: en(`dental.side.${info.side}`),
    kind: en(`dental.kind.${info.kind}` as MessageKey),
  });
  const coding: Coding[] = [{ system: FDI_TOOTH_SYSTEM, code: String(tooth), display: `FDI ${tooth}, ${name}` }];
  if (info.dentition === 'permanent') coding.push({ system: HL7_TOOTH_SYSTEM, code: String(tooth) });
  return { coding, text: `Tooth ${tooth} (FDI; Universal ${toUniversal(tooth)}), ${name}` };
}

export function surfaceConcept(tooth: number, surface: Surface): CodeableConcept {
  const display = en(`dental.surface.${surfaceName(tooth, surface)}`);
  return { coding: [{ system: HL7_SURFACE_SYSTEM, code: surfaceCode(tooth, surface), display }], text: display };
}

function observation(f: Finding, patientRef: string, names?: Map<string, string>): DentalObservation {
  const finding = en(`dental.finding.${f.finding}` as MessageKey);
  const status = en(`dental.status.${f.status}`);
  const component: NonNullable<DentalObservation['component']> = [];
  if (f.surface) component.push({ code: own('surface', 'Tooth surface'), valueCodeableConcept: surfaceConcept(f.tooth, f.surface) });
  component.push({ code: own('treatment-status', 'Treatment status'), valueCodeableConcept: own(f.status, status) });
  if (f.material) component.push({ code: own('material', 'Material'), valueCodeableConcept: own(f.material, en(`dental.material.${f.material}`)) });
  if (f.draft) component.push({ code: own('review-status', 'Review status'), valueCodeableConcept: own('draft', 'Draft awaiting review') });
  const author = names?.get(f.by);
  const note = f.note ? [{ ...(author ? { authorString: author } : {}), time: f.at, text: f.note }] : [];
  return {
    resourceType: 'Observation',
    id: observationId(f.entryId),
    status: f.status === 'planned' || f.draft ? 'preliminary' : 'final',
    category: [{ coding: [{ system: OBSERVATION_CATEGORY_SYSTEM, code: 'exam', display: 'Exam' }] }],
    code: { ...own(f.finding, finding), text: f.status === 'planned' ? `${finding} (${status.toLowerCase()})` : finding },
    subject: { reference: patientRef },
    effectiveDateTime: f.at,
    issued: f.at,
    bodySite: toothConcept(f.tooth),
    component,
    ...(note.length ? { note } : {}),
  };
}

/**
 * Every finding standing at `until` (absent: now) as an Observation about `patientRef`
 * ('Patient/…' or a bundle's 'urn:uuid:…'). Removed findings are not exported here; they stay in
 * dental.json's history.
 */
export function dentalObservations(entries: readonly DentalEntry[], patientRef: string, opts: { names?: Map<string, string>; until?: string | null } = {}): DentalObservation[] {
  const chart = foldChart(entries, opts.until);
  const out: DentalObservation[] = [];
  for (const t of chart.teeth.values()) {
    for (const f of [...(t.state ? [t.state] : []), ...t.findings, ...t.planned, ...t.drafts]) out.push(observation(f, patientRef, opts.names));
  }
  return out;
}
