/** @jsxImportSource hono/jsx */
import type { Frame } from '../../frame.ts';
import type { Patient } from '../../../src/features/patients/repo.ts';
import type { RxStatus } from '../../../src/features/prescriptions/repo.ts';
import { PatientNames } from '../patients/common.tsx';

/** Who the prescription is for: names in both scripts and the MRN, linked to the chart. */
export function RxPatientLine({ frame, patient }: { frame: Frame; patient: Patient }) {
  return (
    <p class="row" data-patient={patient.id}>
      <a href={`/patients/${patient.id}`}>
        <PatientNames patient={patient} />
      </a>
      <span>
        {frame.t('patients.mrn')}: <strong dir="ltr">{patient.mrn}</strong>
      </span>
    </p>
  );
}

export function RxStatusBadge({ frame, status }: { frame: Frame; status: RxStatus }) {
  return (
    <span class={`badge rx-${status}`} data-status={status}>
      {frame.t(`rx.status.${status}`)}
    </span>
  );
}

/** The active allergies, always in view while prescribing. */
export function AllergyLine({ frame, substances }: { frame: Frame; substances: string[] }) {
  return substances.length === 0 ? (
    <p class="hint">{frame.t('rx.allergies.none')}</p>
  ) : (
    <p class="alert" role="note" data-testid="allergy-banner">
      {frame.t('rx.allergies')}{' '}
      <bdi dir="auto">{substances.join(', ')}</bdi>
    </p>
  );
}
