// record.json (issue 7): the FHIR R4 bundle validates with zero errors against the R4 definitions
// (an independent validator, @medplum/core), every reference resolves inside it, ids are stable.
import { beforeAll, describe, expect, it } from 'vitest';
import { buildFhirBundle, FhirBundleError } from '../../src/archive/fhir/bundle.ts';
import { stableUuid, type FhirContext } from '../../src/archive/fhir/context.ts';
import type { Bundle, FhirResource } from '../../src/archive/fhir/types.ts';
import { fhirValidator, isUrnReferenceWarning, referencesOf, validationIssues } from '../helpers/fhir.ts';
import { requiredBindingReport } from '../helpers/fhir-bindings.ts';
import { ENC1, NURSE, sampleRecord } from '../helpers/fhir-record.ts';

const AT = '2025-02-01T12:00:00.000Z';
let bundle: Bundle;

/** A plug-in (as billing will be): resources made with the context. */
const toothFinding = (ctx: FhirContext): FhirResource[] => [
  {
    resourceType: 'Observation',
    id: ctx.uuid('Observation', 'dent_1'),
    status: 'final',
    code: { text: 'Caries' },
    subject: ctx.patient,
    encounter: ctx.encounter(ENC1),
    performer: [ctx.practitioner(NURSE)],
    bodySite: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/ex-tooth', code: '36' }], text: 'Tooth 36' },
  },
];

beforeAll(async () => {
  await fhirValidator();
  bundle = buildFhirBundle(sampleRecord(), { generatedAt: AT, extraResources: [toothFinding] });
}, 60_000);

const types = () => bundle.entry.map((e) => e.resource.resourceType);

describe('FHIR bundle of a patient record', () => {
  it('holds every kind of resource the record has, as a collection with urn:uuid fullUrls', () => {
    expect(bundle.resourceType).toBe('Bundle');
    expect(bundle.type).toBe('collection');
    const count = (t: string) => types().filter((x) => x === t).length;
    expect(count('Patient')).toBe(1);
    expect(count('Organization')).toBe(2); // the clinic and the insurer
    expect(count('Practitioner')).toBe(3); // doctor, nurse, and 'operator' (an addendum's author unknown to the staff list)
    expect(count('Encounter')).toBe(2);
    expect(count('Composition')).toBe(2);
    expect(count('Condition')).toBe(4); // 2 diagnoses + 2 problems
    expect(count('Procedure')).toBe(1);
    expect(count('Observation')).toBe(8 + 1 + 2 + 1); // full vitals row (BP panel + 7), BP-only row, 2 dental findings, the plug-in's
    expect(count('AllergyIntolerance')).toBe(2);
    expect(count('MedicationStatement')).toBe(2);
    expect(count('MedicationRequest')).toBe(4);
    expect(count('DocumentReference')).toBe(2);
    expect(count('Consent')).toBe(2);
    expect(count('RelatedPerson')).toBe(1);
    expect(count('Coverage')).toBe(1);
    expect(count('Provenance')).toBe(2);
    for (const e of bundle.entry) {
      expect(e.fullUrl).toBe(`urn:uuid:${e.resource.id}`);
      expect(e.resource.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });

  it('every resource validates against FHIR R4 with zero errors (only urn:uuid reference-type warnings)', async () => {
    for (const e of bundle.entry) {
      const { errors, warnings } = await validationIssues(e.resource);
      expect({ type: e.resource.resourceType, errors }).toEqual({ type: e.resource.resourceType, errors: [] });
      expect(warnings.filter((w) => !isUrnReferenceWarning(w))).toEqual([]);
    }
  });

  it('the whole bundle validates with zero errors', async () => {
    const { errors, warnings } = await validationIssues(bundle);
    expect(errors).toEqual([]);
    expect(warnings.filter((w) => !isUrnReferenceWarning(w))).toEqual([]);
  });

  it('every code under a required binding is in its R4 value set (which validateResource does not check)', async () => {
    const report = await requiredBindingReport(bundle);
    expect(report.problems).toEqual([]);
    // Statuses, intents, genders, categories' clinical statuses... all of them looked at.
    expect(report.checked).toBeGreaterThanOrEqual(60);
    expect([...report.skipped]).toEqual(['http://hl7.org/fhir/ValueSet/mimetypes|4.0.1']);
  });

  it('the checks do catch a broken resource (so the zeros above mean something)', async () => {
    const patient = bundle.entry.find((e) => e.resource.resourceType === 'Patient')!.resource;
    const broken = { ...patient, gender: 'woman', subject: { reference: 'x' } };
    expect((await validationIssues(broken)).errors.map((i) => i.expression?.[0])).toEqual(['Patient.subject']);
    expect((await requiredBindingReport(broken)).problems).toEqual([expect.stringContaining("Patient.gender: 'woman'")]);
  });

  it('every reference resolves to a fullUrl in the bundle, of the type it claims', () => {
    const byUrl = new Map(bundle.entry.map((e) => [e.fullUrl, e.resource.resourceType]));
    const refs = bundle.entry.flatMap((e) => referencesOf(e.resource).map((r) => ({ ...r, from: e.resource.resourceType })));
    expect(refs.length).toBeGreaterThan(50);
    for (const r of refs) {
      expect(byUrl.has(r.reference), `${r.from}.${r.path} -> ${r.reference}`).toBe(true);
      expect(r.type, `${r.from}.${r.path}`).toBe(byUrl.get(r.reference));
    }
    // Nothing is left unreferenced except the roots (Patient is referenced; Bundle-level resources point at it).
    const referenced = new Set(refs.map((r) => r.reference));
    const organizations = bundle.entry.filter((e) => e.resource.resourceType === 'Organization');
    for (const o of organizations) expect(referenced.has(o.fullUrl)).toBe(true);
  });

  it('ids are stable: the same record gives the same bundle; order of input does not change ids; another clinic gives other ids', () => {
    const again = buildFhirBundle(sampleRecord(), { generatedAt: AT, extraResources: [toothFinding] });
    expect(JSON.stringify(again)).toBe(JSON.stringify(bundle));
    const later = buildFhirBundle(sampleRecord(), { generatedAt: '2030-01-01T00:00:00.000Z', extraResources: [toothFinding] });
    expect(later.entry.map((e) => e.fullUrl)).toEqual(bundle.entry.map((e) => e.fullUrl));
    expect(later.id).toBe(bundle.id);

    const shuffled = sampleRecord();
    shuffled.encounters.reverse();
    shuffled.vitals.reverse();
    shuffled.prescriptions.reverse();
    const ids = (b: Bundle) => new Set(b.entry.map((e) => e.fullUrl));
    expect(ids(buildFhirBundle(shuffled, { generatedAt: AT, extraResources: [toothFinding] }))).toEqual(ids(bundle));

    const other = sampleRecord();
    other.clinic.id = 'c_other00000000000000000000';
    const otherIds = ids(buildFhirBundle(other, { generatedAt: AT }));
    for (const u of ids(bundle)) expect(otherIds.has(u)).toBe(false);
  });

  it('stableUuid is a version-8 UUID from SHA-256 of clinic and name', () => {
    expect(stableUuid('c1', 'Patient/p1')).toBe(stableUuid('c1', 'Patient/p1'));
    expect(stableUuid('c1', 'Patient/p1')).not.toBe(stableUuid('c1', 'Patient/p2'));
    expect(stableUuid('c1', 'Patient/p1')).not.toBe(stableUuid('c2', 'Patient/p1'));
    expect(stableUuid('c1', 'x')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('refuses to build a bundle with a dangling reference or a duplicate entry', () => {
    const dangling = (ctx: FhirContext): FhirResource[] => [
      { resourceType: 'Observation', id: ctx.uuid('Observation', 'x'), status: 'final', code: { text: 'x' }, subject: ctx.ref('Patient', 'someone-else') },
    ];
    expect(() => buildFhirBundle(sampleRecord(), { generatedAt: AT, extraResources: [dangling] })).toThrow(FhirBundleError);
    const twice = (ctx: FhirContext): FhirResource[] => [{ resourceType: 'Observation', id: ctx.uuid('Observation', 'vit_1', 'bp'), status: 'final', code: { text: 'x' } }];
    expect(() => buildFhirBundle(sampleRecord(), { generatedAt: AT, extraResources: [twice] })).toThrow(/duplicate/);
  });

  it('a record without issue 6 parts, insurance or history still validates', async () => {
    const bare = sampleRecord();
    delete bare.documents;
    delete bare.consents;
    bare.history = [];
    bare.patient.demographics = { ...bare.patient.demographics, insurancePayer: '', cpr: '', fullNameAr: '', givenNameAr: '', familyNameAr: '', emergencyName: '', emergencyPhone: '', phones: [], email: '', address: '', nationality: '' };
    const b = buildFhirBundle(bare, { generatedAt: AT });
    expect(b.entry.some((e) => ['DocumentReference', 'Consent', 'Coverage', 'Provenance'].includes(e.resource.resourceType))).toBe(false);
    const { errors } = await validationIssues(b);
    expect(errors).toEqual([]);
  });
});
