// For the patient archive (issue 7): a patient's consents and completed forms with their metadata
// and stored PDF bytes (each checked against its recorded SHA-256), and the data of each consent in
// the shape the archive's FHIR builder turns into a Consent (src/archive/fhir/record.ts). Not audited
// here: the archive job audits the export as a whole.
import type { ClinicRegistry } from '../../tenancy/registry.ts';
import type { ConsentInput } from '../../archive/fhir/record.ts';
import { sha256Hex } from '../../crypto/bytes.ts';
import { recordById, recordsOf, storedPdf, type FormRecord } from './repo.ts';

export interface ArchivedForm {
  /** Where it goes in the archive (CONTRACT.md): consents/YYYY-MM-DD_<id>.pdf */
  path: string;
  mediaType: 'application/pdf';
  bytes: Uint8Array;
  sha256: string;
  /** Decrypted: the template version's content, answers, signer, signature, witness, withdrawal. */
  record: FormRecord;
}

/** Every consent and form of the patient, oldest first, with its PDF. Throws if a PDF fails its hash. */
export async function formsForArchive(clinics: ClinicRegistry, clinicId: string, patientId: string): Promise<ArchivedForm[]> {
  const h = await clinics.get(clinicId);
  const out: ArchivedForm[] = [];
  for (const s of (await recordsOf(h.db, patientId, { all: true })).reverse()) {
    const record = (await recordById(h, s.id))!;
    const bytes = await storedPdf(h, s.id);
    if (!bytes || (await sha256Hex(bytes)) !== record.pdfSha256) throw new Error(`form record ${s.id}: stored PDF does not match its hash`);
    out.push({ path: `consents/${record.signedOn}_${record.id}.pdf`, mediaType: 'application/pdf', bytes, sha256: record.pdfSha256, record });
  }
  return out;
}

/** The consents among them, as the FHIR builder takes them (questionnaires are PDFs only). */
export function consentInputsOf(forms: ArchivedForm[]): ConsentInput[] {
  return forms
    .filter((f) => f.record.kind === 'consent')
    .map(({ record: r, path }) => ({
      id: r.id,
      title: `${r.titleEn} — ${r.titleAr}`,
      scope: r.content.scope ?? 'treatment',
      status: r.status,
      signedOn: r.signedOn,
      recordedAt: r.recordedAt,
      recordedBy: r.recordedBy,
      signer: r.signer,
      guardianName: r.signer === 'guardian' ? r.guardianName : null,
      guardianRelationship: r.relationship,
      witnessId: r.witnessId,
      templateVersion: r.templateVersion,
      path,
      pdfSha256: r.pdfSha256,
      pdfBytes: r.pdfBytes,
      withdrawnOn: r.withdrawnOn,
    }));
}
