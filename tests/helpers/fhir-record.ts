// A PatientRecord that exercises every branch of the FHIR mappers: both names, CPR, insurance,
// corrections, signed and draft encounters, addenda, coded and free-text diagnoses, partial vitals,
// every prescription status, deleted attachments, a guardian's withdrawn consent.
import type { PatientRecord } from '../../src/archive/fhir/record.ts';
import type { Demographics } from '../../src/features/patients/demographics.ts';

export const DOCTOR = 'u_doctor00000000000000000000';
export const NURSE = 'u_nurse000000000000000000000';
export const ENC1 = 'enc_aaaaaaaaaaaaaaaaaaaaaaaaaa';
export const ENC2 = 'enc_bbbbbbbbbbbbbbbbbbbbbbbbbb';

const demographics: Demographics = {
  givenNameEn: 'Fatima Ali', familyNameEn: 'Hassan', fullNameEn: 'Fatima Ali Hassan',
  givenNameAr: 'فاطمة علي', familyNameAr: 'حسن', fullNameAr: 'فاطمة علي حسن',
  dateOfBirth: '1990-01-15', sex: 'female', cpr: '900112345', nationality: 'Bahraini',
  phones: ['+97333123456', '+97317123456'], email: 'fatima@example.test', address: 'Road 12, Block 340, Manama',
  emergencyName: 'Ali Hassan', emergencyRelationship: 'father', emergencyPhone: '+97339999999',
  insurancePayer: 'Gulf Health Insurance', insuranceMember: 'GHI-7781', insuranceExpiry: '2027-12-31', preferredLanguage: 'ar',
};

const noNotes = { chiefComplaint: '', subjective: '', objective: '', assessment: '', plan: '' };

export function sampleRecord(): PatientRecord {
  return {
    clinic: { id: 'c_demo000000000000000000000', slug: 'demo', name: 'Demo Clinic', timezone: 'Asia/Bahrain' },
    patient: { id: 'p_aaaaaaaaaaaaaaaaaaaaaaaaaa', mrn: 'D-0001', restricted: false, version: 3, createdAt: '2023-01-01T08:00:00.000Z', updatedAt: '2025-02-01T08:00:00.000Z', demographics },
    history: [
      { id: 'ph_1', at: '2024-01-01T08:00:00.000Z', userId: DOCTOR, version: 1, fields: ['cpr'], reason: 'Typo in <CPR> & card', previous: { ...demographics, cpr: '900112346' } },
      { id: 'ph_2', at: '2025-02-01T08:00:00.000Z', userId: null, version: 2, fields: ['phones'], reason: 'Operator import', previous: demographics },
    ],
    staff: [
      { id: DOCTOR, name: 'Dr. Sara Ahmed', licenceNo: 'NHRA-1234' },
      { id: NURSE, name: 'Nurse Huda', licenceNo: null },
    ],
    encounters: [
      {
        id: ENC1, patientId: 'p_aaaaaaaaaaaaaaaaaaaaaaaaaa', startedAt: '2024-03-01T06:00:00.000Z', type: 'consultation', clinicianId: DOCTOR, status: 'signed',
        chiefComplaint: 'Sore throat', signedAt: '2024-03-01T07:00:00.000Z', signedBy: DOCTOR, updatedAt: '2024-03-01T07:00:00.000Z',
        notes: { chiefComplaint: 'Sore throat', subjective: 'Three days.\nNo fever.', objective: 'Red pharynx <no exudate>', assessment: 'Viral URTI', plan: 'Fluids & rest' },
        diagnoses: [
          { id: 'dx_1', icd10: 'J06.9', text: 'Acute upper respiratory infection', recordedBy: DOCTOR, recordedAt: '2024-03-01T06:30:00.000Z' },
          { id: 'dx_2', icd10: null, text: 'Worried about exams', recordedBy: DOCTOR, recordedAt: '2024-03-01T06:31:00.000Z' },
        ],
        procedures: [{ id: 'prc_1', code: '87880', text: 'Rapid strep test', recordedBy: NURSE, recordedAt: '2024-03-01T06:40:00.000Z' }],
        vitals: [],
        addenda: [{ id: 'add_1', authorId: 'operator', at: '2024-03-02T09:00:00.000Z', text: 'Strep test negative.' }],
      },
      {
        id: ENC2, patientId: 'p_aaaaaaaaaaaaaaaaaaaaaaaaaa', startedAt: '2025-01-10T06:00:00.000Z', type: 'telephone', clinicianId: DOCTOR, status: 'draft',
        chiefComplaint: '', signedAt: null, signedBy: null, updatedAt: '2025-01-10T06:10:00.000Z', notes: noNotes,
        diagnoses: [], procedures: [], vitals: [], addenda: [],
      },
    ],
    vitals: [
      { id: 'vit_1', encounterId: ENC1, takenAt: '2024-03-01T06:10:00.000Z', takenBy: NURSE, systolic: 128, diastolic: 82, pulse: 76, temperatureC: 37.4, respRate: 16, spo2: 98, weightKg: 68.5, heightCm: 162, bmi: 26.1 },
      { id: 'vit_2', encounterId: null, takenAt: '2024-06-01T06:10:00.000Z', takenBy: NURSE, systolic: 135, diastolic: null, pulse: null, temperatureC: null, respRate: null, spo2: null, weightKg: null, heightCm: null, bmi: null },
    ],
    allergies: [
      { id: 'alg_1', substance: 'Penicillin', reaction: 'Anaphylaxis', severity: 'severe', status: 'active', recordedAt: '2023-01-01T08:00:00.000Z', recordedBy: DOCTOR },
      { id: 'alg_2', substance: 'Dust mites', reaction: '', severity: 'mild', status: 'resolved', recordedAt: '2023-01-02T08:00:00.000Z', recordedBy: NURSE },
    ],
    problems: [
      { id: 'prb_1', icd10: 'E11.9', text: 'Type 2 diabetes mellitus without complications', onset: '2019-05-01', status: 'active', recordedAt: '2023-01-01T08:00:00.000Z', recordedBy: DOCTOR },
      { id: 'prb_2', icd10: null, text: 'Back pain after fall', onset: null, status: 'resolved', recordedAt: '2023-02-01T08:00:00.000Z', recordedBy: DOCTOR },
    ],
    medications: [
      { id: 'med_1', name: 'Metformin', strength: '500 mg', dose: '1 tablet twice daily', status: 'active', startDate: '2019-05-01', stopDate: null, recordedAt: '2023-01-01T08:00:00.000Z', recordedBy: DOCTOR },
      { id: 'med_2', name: 'Ibuprofen', strength: '', dose: '', status: 'stopped', startDate: null, stopDate: '2023-03-01', recordedAt: '2023-02-01T08:00:00.000Z', recordedBy: DOCTOR },
    ],
    prescriptions: [
      rx('rx_old', 'signed', '2024-01-01T08:00:00.000Z', { duration: '5 days' }),
      rx('rx_new', 'signed', '2025-01-30T08:00:00.000Z', { duration: '90 days', encounterId: ENC1 }),
      { ...rx('rx_cancel', 'cancelled', '2024-05-01T08:00:00.000Z', { duration: '2 weeks' }), cancelReason: 'Wrong patient weight', allergyOverride: true, allergyMatches: ['Penicillin'] },
      rx('rx_draft', 'draft', '2025-01-31T08:00:00.000Z', { duration: 'until review', quantity: null, instructionsEn: '', instructionsAr: 'بعد الأكل' }),
    ],
    dental: [
      { id: 'dnt_aaaaaaaaaaaaaaaaaaaaaaaaaa', patientId: 'p_aaaaaaaaaaaaaaaaaaaaaaaaaa', tooth: 36, surface: 'O', finding: 'caries', action: 'record', status: 'completed', material: null, draft: false, note: 'Deep <lesion>', at: '2024-03-01T06:20:00.000Z', by: DOCTOR },
      { id: 'dnt_bbbbbbbbbbbbbbbbbbbbbbbbbb', patientId: 'p_aaaaaaaaaaaaaaaaaaaaaaaaaa', tooth: 11, surface: null, finding: 'crown', action: 'record', status: 'planned', material: 'zirconia', draft: false, note: '', at: '2024-03-01T06:21:00.000Z', by: NURSE },
    ],
    documents: [
      { id: 'att_1', title: 'Chest X-ray', category: 'imaging', mediaType: 'image/png', bytes: 20480, sha256: 'a'.repeat(64), created: '2024-03-01T06:50:00.000Z', uploadedBy: NURSE, path: 'attachments/att_1_chest.png', originalName: 'chest.png', encounterId: ENC1, takenOn: '2024-03-01' },
      { id: 'att_2', title: 'Old lab report', category: 'lab', mediaType: 'application/pdf', bytes: 1234, sha256: 'b'.repeat(64), created: '2024-04-01T06:50:00.000Z', uploadedBy: DOCTOR, path: 'attachments/att_2_lab.pdf', deleted: true },
    ],
    consents: [
      { id: 'fr_1', title: 'Consent to treatment', scope: 'treatment', status: 'active', signedOn: '2023-01-01', recordedAt: '2023-01-01T08:00:00.000Z', recordedBy: DOCTOR, signer: 'patient', templateVersion: 2, path: 'consents/2023-01-01_fr_1.pdf', pdfSha256: 'c'.repeat(64), pdfBytes: 40960 },
      { id: 'fr_2', title: 'Privacy notice', scope: 'patient-privacy', status: 'withdrawn', signedOn: '2023-02-01', recordedAt: '2023-02-01T08:00:00.000Z', recordedBy: NURSE, signer: 'guardian', guardianName: 'Ali Hassan', guardianRelationship: 'parent', path: 'consents/2023-02-01_fr_2.pdf', pdfSha256: 'd'.repeat(64), pdfBytes: 30000, withdrawnOn: '2024-02-01' },
    ],
  };
}

function rx(id: string, status: 'draft' | 'signed' | 'cancelled', at: string, item: { duration: string; encounterId?: string; quantity?: number | null; instructionsEn?: string; instructionsAr?: string }): PatientRecord['prescriptions'][number] {
  return {
    id, patientId: 'p_aaaaaaaaaaaaaaaaaaaaaaaaaa', encounterId: item.encounterId ?? null, prescriberId: DOCTOR, prescriberName: 'Dr. Sara Ahmed', licenceNo: 'NHRA-1234',
    status, allergyOverride: false, allergyMatches: [], createdAt: at, createdBy: DOCTOR, signedAt: status === 'signed' ? at : null, signedBy: status === 'signed' ? DOCTOR : null,
    cancelledAt: status === 'cancelled' ? at : null, cancelledBy: status === 'cancelled' ? DOCTOR : null, cancelReason: '',
    items: [
      {
        id: `rxi_${id}_0`, position: 0, medicine: 'Amoxicillin', strength: '500 mg', form: 'capsule', dose: '1 capsule', route: 'oral', frequency: 'three times daily',
        duration: item.duration, quantity: item.quantity === undefined ? 15 : item.quantity, refills: 1,
        instructionsEn: item.instructionsEn ?? 'Take after meals.', instructionsAr: item.instructionsAr ?? 'يؤخذ بعد الأكل.',
      },
    ],
  };
}
