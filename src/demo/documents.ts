// The demo clinic's attachments (CONTRACT.md "Demo clinic"): D-0001 gets a chest X-ray (PNG), a PDF
// lab report, a dental panoramic in DICOM and a scan of an insurance card, each stored encrypted
// like an upload (features/documents/store.ts), with its row and an audit event by the system.
// Deterministic content; does nothing when D-0001 already has attachments.
import { eq } from 'drizzle-orm';
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import { systemClock, type Clock } from '../platform/ports.ts';
import type { ClinicRegistry } from '../tenancy/registry.ts';
import { attachments } from '../tenancy/schema/clinic/index.ts';
import { auditedDbWrite } from '../audit/log.ts';
import { SYSTEM, type AuditEvent } from '../audit/types.ts';
import { newId } from '../crypto/bytes.ts';
import { sealColumn } from '../tenancy/columns.ts';
import { storeBytes } from '../features/documents/store.ts';
import type { Category } from '../features/documents/policy.ts';
import type { MediaType } from '../features/documents/media.ts';
import { dicomFile, grayPng, xrayShade } from './files.ts';

const DAY = 86_400_000;

interface DemoFile {
  category: Category;
  title: string;
  filename: string;
  mediaType: MediaType;
  daysAgo: number;
  by: 'doctor' | 'nurse';
  bytes: () => Promise<Uint8Array>;
}

async function labReport(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle('Laboratory report D-0001');
  doc.setCreationDate(new Date('2026-01-01T00:00:00Z'));
  doc.setModificationDate(new Date('2026-01-01T00:00:00Z'));
  const page = doc.addPage([595, 842]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  page.drawText('Gulf Diagnostic Laboratory', { x: 50, y: 780, size: 18, font: bold, color: rgb(0.1, 0.3, 0.4) });
  page.drawText('Patient: D-0001    Sample: venous blood, fasting', { x: 50, y: 750, size: 11, font });
  const rows = [
    ['Test', 'Result', 'Reference range'],
    ['HbA1c', '7.1 %', '4.0 - 5.6 %'],
    ['Fasting glucose', '7.8 mmol/L', '3.9 - 5.5 mmol/L'],
    ['Total cholesterol', '5.6 mmol/L', '< 5.2 mmol/L'],
    ['LDL cholesterol', '3.4 mmol/L', '< 3.0 mmol/L'],
    ['HDL cholesterol', '1.1 mmol/L', '> 1.0 mmol/L'],
    ['Creatinine', '82 umol/L', '59 - 104 umol/L'],
  ];
  rows.forEach((r, i) => r.forEach((cell, j) => page.drawText(cell, { x: 50 + j * 170, y: 700 - i * 22, size: 11, font: i === 0 ? bold : font })));
  page.drawText('Validated by: Dr. S. Haddad, clinical pathologist', { x: 50, y: 520, size: 10, font });
  return doc.save({ useObjectStreams: false });
}

function insuranceCard(): Uint8Array {
  // A plain card: light background, a darker band and stripes where the text would be.
  return grayPng(320, 200, (x, y) => (y < 40 ? 90 : y > 70 && y < 170 && x > 20 && x < 300 && (y - 70) % 24 < 8 ? 120 : 225));
}

const FILES: DemoFile[] = [
  { category: 'imaging', title: 'Chest X-ray, PA view', filename: 'chest-xray-PA.png', mediaType: 'image/png', daysAgo: 40, by: 'doctor', bytes: async () => grayPng(256, 256, xrayShade(256, 256)) },
  { category: 'lab', title: 'Lab report: HbA1c and lipid panel', filename: 'lab-report-2026.pdf', mediaType: 'application/pdf', daysAgo: 21, by: 'nurse', bytes: labReport },
  {
    category: 'imaging',
    title: 'Dental panoramic (DICOM)',
    filename: 'panoramic.dcm',
    mediaType: 'application/dicom',
    daysAgo: 12,
    by: 'doctor',
    bytes: async () => dicomFile({ rows: 96, columns: 192, patientName: 'DEMO^PATIENT', description: 'Panoramic dental', shade: xrayShade(192, 96) }),
  },
  { category: 'id-insurance', title: 'بطاقة التأمين الصحي', filename: 'insurance-card.png', mediaType: 'image/png', daysAgo: 60, by: 'nurse', bytes: async () => insuranceCard() },
];

/** Returns how many attachments it wrote (0 when D-0001 is missing or already has some). */
export async function seedDemoDocuments(clinics: ClinicRegistry, clinicId: string, staff: { doctorId: string; nurseId: string }, clock: Clock = systemClock): Promise<number> {
  const h = await clinics.get(clinicId);
  const patient = (await h.client.execute("SELECT id FROM patients WHERE mrn = 'D-0001'")).rows[0];
  if (!patient) return 0;
  const patientId = String(patient.id);
  if ((await h.db.select({ id: attachments.id }).from(attachments).where(eq(attachments.patientId, patientId)).limit(1)).length > 0) return 0;
  const now = clock.now().getTime();
  const rows: (typeof attachments.$inferInsert)[] = [];
  const events: AuditEvent[] = [];
  const requestId = newId('req');
  try {
    for (const f of FILES) {
      const id = newId('att');
      const stored = await storeBytes(clinics.blobs, h, await f.bytes());
      const at = new Date(now - f.daysAgo * DAY);
      rows.push({
        id,
        patientId,
        encounterId: null,
        category: f.category,
        title: (await sealColumn(h, 'attachments', 'title', id, f.title))!,
        originalName: (await sealColumn(h, 'attachments', 'original_name', id, f.filename))!,
        mediaType: f.mediaType,
        bytes: stored.bytes,
        sha256: stored.sha256,
        blobName: stored.blobName,
        takenOn: at.toISOString().slice(0, 10),
        uploadedAt: at.toISOString(),
        uploadedBy: f.by === 'doctor' ? staff.doctorId : staff.nurseId,
      });
      events.push({
        action: 'create',
        outcome: 'success',
        actor: SYSTEM,
        entity: { type: 'attachment', id, patientId },
        route: 'invent demo',
        requestId,
        detail: { category: f.category, mediaType: f.mediaType, bytes: stored.bytes, sha256: stored.sha256 },
      });
    }
    await auditedDbWrite(h.db, clock, async (tx) => {
      await tx.insert(attachments).values(rows);
      return { result: undefined, events };
    });
  } catch (err) {
    // No row points at them: remove the blobs written so far.
    for (const r of rows) await clinics.blobs.delete(clinicId, r.blobName).catch(() => undefined);
    throw err;
  }
  return rows.length;
}
