/** @jsxImportSource hono/jsx */
import type { Frame } from '../../frame.ts';
import type { Patient } from '../../../src/features/patients/repo.ts';
import { formatPhone } from '../../../src/patients/identifiers.ts';

/** Both scripts of a patient's name, each in its own direction. */
export function PatientNames({ patient }: { patient: Patient }) {
  const d = patient.demographics;
  return (
    <>
      {d.fullNameEn && (
        <span class="name-en" dir="ltr" lang="en">
          {d.fullNameEn}
        </span>
      )}
      {d.fullNameEn && d.fullNameAr && ' · '}
      {d.fullNameAr && (
        <span class="name-ar" dir="rtl" lang="ar">
          {d.fullNameAr}
        </span>
      )}
    </>
  );
}

export const sexLabel = (frame: Frame, sex: string) => frame.t(`patients.sex.${sex as 'female'}`);
export const phonesText = (phones: string[]) => phones.map((p) => formatPhone(p)).join(', ');
