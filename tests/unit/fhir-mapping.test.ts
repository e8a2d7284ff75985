// What each part of a patient record becomes in record.json (issue 7): names in both scripts,
// identifiers, encounter status and class, ICD-10 conditions, LOINC/UCUM vitals, allergies,
// prescription statuses with the Arabic label text, attachments and consents pointing into the ZIP.
import { describe, expect, it } from 'vitest';
import { buildFhirBundle } from '../../src/archive/fhir/bundle.ts';
import { parseDuration } from '../../src/archive/fhir/medications.ts';
import { CPR_SYSTEM, EXT } from '../../src/archive/fhir/codes.ts';
import type { FhirResource } from '../../src/archive/fhir/types.ts';
import { DOCTOR, ENC1, ENC2, sampleRecord } from '../helpers/fhir-record.ts';

const record = sampleRecord();
const bundle = buildFhirBundle(record, { generatedAt: '2025-02-01T12:00:00.000Z' });
const all = (type: string) => bundle.entry.map((e) => e.resource).filter((r) => r.resourceType === type);
/** The resource of this type whose first identifier is our id. */
const byOurId = (type: string, id: string): Record<string, any> => {
  const r = all(type).find((x) => (x.identifier as { value: string }[] | { value: string } | undefined) && [x.identifier].flat().some((i) => (i as { value: string }).value === id));
  if (!r) throw new Error(`no ${type} for ${id}`);
  return r;
};
const urlOf = (r: FhirResource) => `urn:uuid:${r.id}`;
const practitioner = (userId: string) => all('Practitioner').find((p) => (p.identifier as { value: string }[])[0]!.value === userId)!;

describe('FHIR mapping of a patient record', () => {
  it('Patient: English and Arabic names, MRN and CPR identifiers, telecom, emergency contact, language', () => {
    const p = all('Patient')[0] as Record<string, any>;
    expect(p.name).toEqual([
      expect.objectContaining({ text: 'Fatima Ali Hassan', family: 'Hassan', given: ['Fatima', 'Ali'], extension: [{ url: EXT.language, valueCode: 'en' }] }),
      expect.objectContaining({ text: 'فاطمة علي حسن', family: 'حسن', extension: [{ url: EXT.language, valueCode: 'ar' }] }),
    ]);
    expect(p.identifier[0]).toMatchObject({ system: `urn:invent:clinic:${record.clinic.id}:mrn`, value: 'D-0001', type: { coding: [{ code: 'MR' }] } });
    expect(p.identifier[1]).toMatchObject({ system: CPR_SYSTEM, value: '900112345', type: { coding: [{ code: 'NI' }] } });
    expect(p.telecom.map((t: { value: string }) => t.value)).toEqual(['+97333123456', '+97317123456', 'fatima@example.test']);
    expect(p).toMatchObject({ gender: 'female', birthDate: '1990-01-15', address: [{ text: 'Road 12, Block 340, Manama' }] });
    expect(p.contact[0]).toMatchObject({ relationship: [{ coding: [{ code: 'C' }] }, { text: 'father' }], name: { text: 'Ali Hassan' }, telecom: [{ value: '+97339999999' }] });
    expect(p.communication).toEqual([{ language: expect.objectContaining({ coding: [expect.objectContaining({ code: 'ar' })] }), preferred: true }]);
    expect(p.managingOrganization.reference).toBe(urlOf(all('Organization')[0]!));
    expect(p.meta.security[0].code).toBe('N');
  });

  it('Encounter: signed is finished (ambulatory), a telephone draft in-progress (virtual); reason from the chief complaint', () => {
    const signed = byOurId('Encounter', ENC1);
    expect(signed).toMatchObject({ status: 'finished', class: { code: 'AMB' }, reasonCode: [{ text: 'Sore throat' }], period: { start: '2024-03-01T06:00:00.000Z' } });
    expect(signed.participant[0].individual).toMatchObject({ reference: urlOf(practitioner(DOCTOR)), display: 'Dr. Sara Ahmed' });
    expect(signed.diagnosis).toHaveLength(2);
    const draft = byOurId('Encounter', ENC2);
    expect(draft).toMatchObject({ status: 'in-progress', class: { code: 'VR' } });
    expect(draft.reasonCode).toBeUndefined();
  });

  it('Composition: the note in sections (escaped XHTML), addenda with their author, legal attestation', () => {
    const note = byOurId('Composition', ENC1);
    expect(note.status).toBe('amended');
    expect(note.attester).toEqual([expect.objectContaining({ mode: 'legal', time: '2024-03-01T07:00:00.000Z' })]);
    const titles = note.section.map((s: { title: string }) => s.title);
    expect(titles).toEqual(['Chief complaint', 'Subjective', 'Objective', 'Assessment', 'Plan', 'Diagnoses', 'Procedures', 'Vital signs', 'Addendum 2024-03-02T09:00:00.000Z']);
    expect(note.section[1].text.div).toBe('<div xmlns="http://www.w3.org/1999/xhtml"><p>Three days.</p><p>No fever.</p></div>');
    expect(note.section[2].text.div).toContain('Red pharynx &lt;no exudate&gt;');
    expect(note.section[7].entry).toHaveLength(8);
    expect(note.section[8].author[0].reference).toBe(urlOf(practitioner('operator')));
    expect(byOurId('Composition', ENC2)).toMatchObject({ status: 'preliminary' });
  });

  it('Condition: encounter diagnoses and problems, ICD-10 coded with text always, statuses', () => {
    const coded = byOurId('Condition', 'dx_1');
    expect(coded.category[0].coding[0].code).toBe('encounter-diagnosis');
    expect(coded.code.coding[0]).toMatchObject({ system: 'http://hl7.org/fhir/sid/icd-10', code: 'J06.9' });
    expect(coded.code.text).toBe('Acute upper respiratory infection');
    expect(coded.verificationStatus.coding[0].code).toBe('confirmed');
    expect(coded.encounter.reference).toBe(urlOf(byOurId('Encounter', ENC1) as FhirResource));
    expect(byOurId('Condition', 'dx_2').code).toEqual({ text: 'Worried about exams' });
    const problem = byOurId('Condition', 'prb_1');
    expect(problem).toMatchObject({ category: [{ coding: [{ code: 'problem-list-item' }] }], clinicalStatus: { coding: [{ code: 'active' }] }, onsetDateTime: '2019-05-01' });
    expect(byOurId('Condition', 'prb_2').clinicalStatus.coding[0].code).toBe('resolved');
  });

  it('Observation: vitals with LOINC codes and UCUM units, blood pressure as a panel', () => {
    const vitals = all('Observation').filter((o: any) => o.category[0].coding[0].code === 'vital-signs');
    const codes = vitals.map((o: any) => [o.code.coding[0].code, o.valueQuantity?.code ?? o.component.map((c: any) => `${c.code.coding[0].code}:${c.valueQuantity.value} ${c.valueQuantity.code}`).join(',')]);
    expect(codes).toEqual([
      ['85354-9', '8480-6:128 mm[Hg],8462-4:82 mm[Hg]'],
      ['8867-4', '/min'],
      ['8310-5', 'Cel'],
      ['9279-1', '/min'],
      ['59408-5', '%'],
      ['29463-7', 'kg'],
      ['8302-2', 'cm'],
      ['39156-5', 'kg/m2'],
      ['85354-9', '8480-6:135 mm[Hg]'],
    ]);
    const spo2 = vitals.find((o: any) => o.code.coding[0].code === '59408-5') as any;
    expect(spo2.code.coding.map((c: { code: string }) => c.code)).toEqual(['59408-5', '2708-6']);
    for (const o of vitals as any[]) {
      expect(o.valueQuantity?.system ?? o.component[0].valueQuantity.system).toBe('http://unitsofmeasure.org');
    }
    const bpOnly = vitals[8] as any;
    expect(bpOnly.encounter).toBeUndefined();
    expect(bpOnly.effectiveDateTime).toBe('2024-06-01T06:10:00.000Z');
  });

  it('Observation: dental findings from the chart, with their author and the patient made by the bundle', () => {
    const caries = byOurId('Observation', 'dental-dnt-aaaaaaaaaaaaaaaaaaaaaaaaaa');
    expect(caries).toMatchObject({ status: 'final', subject: { reference: urlOf(all('Patient')[0]!), type: 'Patient' }, bodySite: { coding: [expect.objectContaining({ code: '36' }), expect.anything()] } });
    expect(caries.performer[0].reference).toBe(urlOf(practitioner(DOCTOR)));
    expect(caries.note[0]).toMatchObject({ text: 'Deep <lesion>', authorString: 'Dr. Sara Ahmed' });
    expect(byOurId('Observation', 'dental-dnt-bbbbbbbbbbbbbbbbbbbbbbbbbb').status).toBe('preliminary');
  });

  it('AllergyIntolerance: substance text, reaction, criticality from severity, clinical status', () => {
    expect(byOurId('AllergyIntolerance', 'alg_1')).toMatchObject({ code: { text: 'Penicillin' }, criticality: 'high', clinicalStatus: { coding: [{ code: 'active' }] }, reaction: [{ manifestation: [{ text: 'Anaphylaxis' }], severity: 'severe' }] });
    const mild = byOurId('AllergyIntolerance', 'alg_2');
    expect(mild).toMatchObject({ criticality: 'low', clinicalStatus: { coding: [{ code: 'resolved' }] }, note: [{ text: 'Reaction severity: mild' }] });
    expect(mild.reaction).toBeUndefined();
  });

  it('MedicationStatement: the medication list, active and stopped', () => {
    expect(byOurId('MedicationStatement', 'med_1')).toMatchObject({ status: 'active', medicationCodeableConcept: { text: 'Metformin 500 mg' }, effectivePeriod: { start: '2019-05-01' }, dosage: [{ text: '1 tablet twice daily' }] });
    expect(byOurId('MedicationStatement', 'med_2')).toMatchObject({ status: 'stopped', effectivePeriod: { end: '2023-03-01' } });
  });

  it('MedicationRequest: status by prescription state and course, dosage in English with the Arabic translation, dispense', () => {
    expect(byOurId('MedicationRequest', 'rxi_rx_old_0').status).toBe('completed');
    const current = byOurId('MedicationRequest', 'rxi_rx_new_0');
    expect(current).toMatchObject({ status: 'active', intent: 'order', groupIdentifier: { value: 'rx_new' }, authoredOn: '2025-01-30T08:00:00.000Z' });
    expect(current.encounter.reference).toBe(urlOf(byOurId('Encounter', ENC1) as FhirResource));
    expect(current.dosageInstruction[0]).toMatchObject({
      text: '1 capsule, oral, three times daily, for 90 days. Take after meals.',
      patientInstruction: 'Take after meals.',
      _patientInstruction: { extension: [{ url: EXT.translation, extension: [{ url: 'lang', valueCode: 'ar' }, { url: 'content', valueString: 'يؤخذ بعد الأكل.' }] }] },
      timing: { code: { text: 'three times daily' } },
      route: { text: 'oral' },
    });
    expect(current.dispenseRequest).toEqual({ quantity: { value: 15, unit: 'capsule' }, numberOfRepeatsAllowed: 1, expectedSupplyDuration: { value: 90, unit: 'days', system: 'http://unitsofmeasure.org', code: 'd' } });
    expect(current.requester).toMatchObject({ reference: urlOf(practitioner(DOCTOR)), display: 'Dr. Sara Ahmed' });
    const cancelled = byOurId('MedicationRequest', 'rxi_rx_cancel_0');
    expect(cancelled).toMatchObject({ status: 'cancelled', statusReason: { text: 'Wrong patient weight' }, note: [{ text: 'Prescribed despite an allergy warning (Penicillin).' }] });
    const draft = byOurId('MedicationRequest', 'rxi_rx_draft_0');
    expect(draft).toMatchObject({ status: 'draft', dosageInstruction: [{ patientInstruction: 'بعد الأكل', _patientInstruction: { extension: [{ url: EXT.language, valueCode: 'ar' }] } }], dispenseRequest: { numberOfRepeatsAllowed: 1 } });
    expect(draft.dispenseRequest.quantity).toBeUndefined();
    expect(practitioner(DOCTOR).identifier).toEqual([expect.objectContaining({ value: DOCTOR }), expect.objectContaining({ value: 'NHRA-1234' })]);
  });

  it('DocumentReference and Consent point at their files inside the archive by relative URL', () => {
    const image = byOurId('DocumentReference', 'att_1');
    expect(image).toMatchObject({ status: 'current', description: 'Chest X-ray', type: { coding: [{ code: '18748-4' }] } });
    expect(image.content[0].attachment).toMatchObject({ contentType: 'image/png', url: 'attachments/att_1_chest.png', size: 20480, title: 'chest.png', creation: '2024-03-01', extension: [{ valueString: 'a'.repeat(64) }] });
    expect(image.context.encounter[0].reference).toBe(urlOf(byOurId('Encounter', ENC1) as FhirResource));
    expect(byOurId('DocumentReference', 'att_2').status).toBe('entered-in-error');
    const treatment = byOurId('Consent', 'fr_1');
    expect(treatment).toMatchObject({ status: 'active', scope: { coding: [{ code: 'treatment' }] }, provision: { type: 'permit', period: { start: '2023-01-01' } } });
    expect(treatment.performer[0].reference).toBe(urlOf(all('Patient')[0]!));
    expect(treatment.sourceAttachment).toMatchObject({ contentType: 'application/pdf', url: 'consents/2023-01-01_fr_1.pdf', size: 40960 });
    const withdrawn = byOurId('Consent', 'fr_2');
    expect(withdrawn).toMatchObject({ status: 'inactive', scope: { coding: [{ code: 'patient-privacy' }] }, provision: { period: { start: '2023-02-01', end: '2024-02-01' } } });
    const guardian = all('RelatedPerson')[0]!;
    expect(withdrawn.performer[0].reference).toBe(urlOf(guardian));
    expect(guardian).toMatchObject({ name: [{ text: 'Ali Hassan' }], relationship: [{ coding: [{ code: 'PRN' }], text: 'parent' }] });
  });

  it('Coverage names the insurer; Provenance records each correction of the demographics', () => {
    const coverage = all('Coverage')[0] as any;
    const insurer = all('Organization')[1]!;
    expect(coverage).toMatchObject({ subscriberId: 'GHI-7781', period: { end: '2027-12-31' }, payor: [{ reference: urlOf(insurer) }] });
    expect(insurer.name).toBe('Gulf Health Insurance');
    const [first, second] = all('Provenance') as any[];
    expect(first.agent[0].who.reference).toBe(urlOf(practitioner(DOCTOR)));
    expect(first.reason).toEqual([{ text: 'Typo in <CPR> & card' }]);
    expect(first.text.div).toContain('Typo in &lt;CPR&gt; &amp; card');
    expect(second.agent[0].who.reference).toBe(urlOf(all('Organization')[0]!));
  });

  it('parseDuration reads days, weeks and months; anything else is left alone', () => {
    expect(parseDuration('90 days')).toEqual({ quantity: { value: 90, unit: 'days', system: 'http://unitsofmeasure.org', code: 'd' }, days: 90 });
    expect(parseDuration('1 week')?.quantity).toMatchObject({ value: 1, unit: 'week', code: 'wk' });
    expect(parseDuration('3 Months')?.days).toBe(90);
    expect(parseDuration('until review')).toBeUndefined();
    expect(parseDuration('')).toBeUndefined();
  });
});
