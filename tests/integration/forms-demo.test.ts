// The demo's consents (CONTRACT.md: D-0001 has a signed consent) and what the patient archive
// (issue 7) takes from this feature: every record with its PDF bytes, each matching its recorded
// SHA-256, and each consent's data, which the archive's FHIR builder turns into a valid Consent.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testInstall, type TestInstall } from '../helpers/system.ts';
import { DEMO_PASSWORD, signedIn } from '../helpers/identity.ts';
import { isUrnReferenceWarning, validationIssues } from '../helpers/fhir.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { findUserByEmail } from '../../src/auth/users.ts';
import { services } from '../../src/system-app.ts';
import { SYSTEM } from '../../src/audit/types.ts';
import { verifyAudit } from '../../src/audit/verify.ts';
import { consentInputsOf, formsForArchive } from '../../src/features/forms/archive.ts';
import { createContext } from '../../src/archive/fhir/context.ts';
import { consentResource, guardianResource } from '../../src/archive/fhir/documents.ts';
import { demoSignature } from '../../src/demo/forms.ts';

let t: TestInstall;
let demoId: string;
let patientId: string;

const seed = () => seedDemo({ control: t.system.control, clinics: t.system.clinics, hasher: t.platform.hasher, assets: t.platform.assets }, DEMO_PASSWORD, { clinical: true });

beforeAll(async () => {
  t = await testInstall();
  await seed();
  demoId = (await t.system.clinics.bySlug('demo'))!.id;
  patientId = (await services(t.system, t.platform.clock).patients.getByMrn(demoId, 'D-0001'))!.id;
}, 120_000);
afterAll(() => t.close());

describe('demo consents', () => {
  it('D-0001 has a treatment consent signed on the canvas, a PDPL consent signed by typed name, and an intake questionnaire', async () => {
    const doctor = await signedIn(t, 'doctor@demo.test');
    const html = await (await doctor.get(`/patients/${patientId}/forms`)).text();
    expect(html).toContain('Consent to treatment');
    expect(html).toContain('Consent to processing of personal health data (PDPL)');
    expect(html).toContain('New patient questionnaire');
    const rows = (await (await t.system.clinics.get(demoId)).client.execute({ sql: 'SELECT f.kind, f.signature_kind, t.code FROM form_records f JOIN form_templates t ON t.id = f.template_id WHERE f.patient_id = ? ORDER BY t.code', args: [patientId] })).rows;
    expect(rows.map((r) => [r.code, r.kind, r.signature_kind])).toEqual([
      ['intake-questionnaire', 'questionnaire', null],
      ['pdpl-consent', 'consent', 'typed'],
      ['treatment-consent', 'consent', 'drawn'],
    ]);
    const treatment = html.match(/href="\/forms\/(fr_[a-z2-7]{26})">[^<]*<\/a><\/td><td dir="auto">Consent to treatment/)?.[1];
    expect(treatment).toBeDefined();
    const page = await (await doctor.get(`/forms/${treatment}`)).text();
    expect(page).toContain('data-testid="signature-svg"');
    const pdf = await doctor.get(`/forms/${treatment}/pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('Content-Type')).toBe('application/pdf');
  });

  it('a second run adds nothing, and the audit chain verifies', async () => {
    const count = async () => Number((await (await t.system.clinics.get(demoId)).client.execute('SELECT count(*) AS n FROM form_records')).rows[0]!.n);
    const before = await count();
    await seed();
    expect(await count()).toBe(before);
    expect(Number((await (await t.system.clinics.get(demoId)).client.execute('SELECT count(*) AS n FROM form_templates')).rows[0]!.n)).toBe(4);
    expect(await verifyAudit((await t.system.clinics.get(demoId)).client)).toMatchObject({ ok: true });
  });
});

describe('for the patient archive', () => {
  beforeAll(async () => {
    // A guardian-signed consent too, so that the RelatedPerson mapping is exercised.
    const forms = services(t.system, t.platform.clock).forms;
    const doctorId = (await findUserByEmail(t.system.control, 'doctor@demo.test'))!.id;
    const ctx = { clinicId: demoId, actor: { ...SYSTEM, roles: ['doctor'] }, requestId: 'req_test', route: 'test' };
    const patient = (await services(t.system, t.platform.clock).patients.get(demoId, patientId))!;
    const out = await forms.records.create(
      ctx,
      patient,
      {
        templateId: (await forms.templates.builtinId(demoId, 'photography-consent'))!,
        version: 1,
        signedOn: '2025-01-15',
        signer: 'guardian',
        guardianName: 'Ahmed Al-Mahmood',
        relationship: 'spouse',
        witnessId: doctorId,
        answers: { q1: 'o2' },
        signature: { kind: 'drawn', strokes: demoSignature() },
      },
      { recordedByName: 'Dr. Ahmed Al-Khalifa' },
    );
    expect(out.ok).toBe(true);
  });

  it('PD1: every record with its PDF, named consents/YYYY-MM-DD_<id>.pdf, bytes matching the recorded SHA-256', async () => {
    const forms = await formsForArchive(t.system.clinics, demoId, patientId);
    expect(forms).toHaveLength(4);
    const dates = forms.map((f) => f.record.signedOn);
    expect([...dates].sort()).toEqual(dates);
    for (const f of forms) {
      expect(f.path).toBe(`consents/${f.record.signedOn}_${f.record.id}.pdf`);
      expect(createHash('sha256').update(f.bytes).digest('hex')).toBe(f.sha256);
      expect(f.sha256).toBe(f.record.pdfSha256);
      expect(Buffer.from(f.bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    }
  });

  it("each consent's data makes a valid FHIR R4 Consent (and RelatedPerson for a guardian) in the archive's builder", async () => {
    const forms = await formsForArchive(t.system.clinics, demoId, patientId);
    const consents = consentInputsOf(forms);
    expect(consents.map((c) => c.signer).sort()).toEqual(['guardian', 'patient', 'patient']);
    const { ctx } = createContext({ clinicId: demoId, patientId, identifierBase: 'urn:invent:demo', generatedAt: '2026-12-04T08:00:00Z', encounterIds: [], staffNames: new Map() });
    for (const c of consents) {
      const resources = [consentResource(ctx, c), guardianResource(ctx, c)].filter((r) => r !== null);
      for (const r of resources) {
        const { errors, warnings } = await validationIssues(r);
        expect(errors, `${r.resourceType} ${c.id}`).toEqual([]);
        expect(warnings.filter((w) => !isUrnReferenceWarning(w))).toEqual([]);
      }
      expect(c.pdfBytes).toBeGreaterThan(1000);
    }
    const guardian = consents.find((c) => c.signer === 'guardian')!;
    expect(guardian).toMatchObject({ guardianName: 'Ahmed Al-Mahmood', guardianRelationship: 'spouse', scope: 'patient-privacy', status: 'active', templateVersion: 1 });
  });
});
