/** @jsxImportSource hono/jsx */
// The patient chart: header (names in both scripts, age, sex, MRN), then the demographics. The
// clinical summary (allergies, problems, medications, vitals, encounters) goes in its own section.
import type { Child } from 'hono/jsx';
import type { Frame } from '../../frame.ts';
import type { Patient } from '../../../src/features/patients/repo.ts';
import { formatPhone } from '../../../src/patients/identifiers.ts';
import { Alert } from '../../components/form.tsx';
import { PatientNames, phonesText, sexLabel } from './common.tsx';
import { DocumentsLink } from '../documents/common.tsx';

export function PatientHeader(props: { frame: Frame; patient: Patient; age: number }) {
  const { t } = props.frame;
  const p = props.patient;
  return (
    <header class="patient-header" data-patient={p.id}>
      <h1>
        <PatientNames patient={p} />
      </h1>
      <p class="row">
        <span>
          {t('patients.mrn')}: <strong dir="ltr">{p.mrn}</strong>
        </span>
        <span>{t('patients.ageYears', { age: props.age })}</span>
        <span>{sexLabel(props.frame, p.demographics.sex)}</span>
        <span>
          {t('patients.dateOfBirth')}: <span dir="ltr">{p.demographics.dateOfBirth}</span>
        </span>
      </p>
    </header>
  );
}

function Row({ label, children, dir }: { label: string; children: Child; dir?: 'ltr' | 'auto' }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td dir={dir ?? 'auto'}>{children}</td>
    </tr>
  );
}

export function PatientChartPage(props: { frame: Frame; patient: Patient; age: number; canWrite: boolean; notice?: string; clinical?: Child }) {
  const { t } = props.frame;
  const p = props.patient;
  const d = p.demographics;
  const dash = (s: string) => s || '—';
  return (
    <>
      <PatientHeader frame={props.frame} patient={p} age={props.age} />
      {props.notice && <Alert kind="info">{props.notice}</Alert>}
      <p class="row">
        {props.canWrite && <a href={`/patients/${p.id}/edit`}>{t('patients.edit')}</a>}
        <a href={`/patients/${p.id}/history`}>{t('patients.history')}</a>
        {props.frame.viewer?.permissions.has('rx:read') && <a href={`/patients/${p.id}/prescriptions`}>{t('rx.title')}</a>}
        {props.frame.viewer?.permissions.has('consent:collect') && <a href={`/patients/${p.id}/forms`}>{t('consents.title')}</a>}
        {props.frame.viewer?.permissions.has('dental:read') && <a href={`/patients/${p.id}/dental`}>{t('dental.title')}</a>}
        <DocumentsLink frame={props.frame} patientId={p.id} />
        {props.frame.viewer?.permissions.has('clinical:sign') && <a href={`/patients/${p.id}/restriction`}>{t('restrict.title')}</a>}
        {props.frame.viewer?.permissions.has('export:archive') && <a href={`/patients/${p.id}/archives/new`}>{t('archives.create')}</a>}
        <a href="/patients">{t('patients.backToSearch')}</a>
      </p>
      {props.clinical && (
        <section id="clinical-summary" class="card" aria-label={t('patients.clinicalSummary')}>
          {props.clinical}
        </section>
      )}
      <section class="card" id="demographics">
        <h2>{t('patients.demographics')}</h2>
        <table>
          <tbody>
            <Row label={t('patients.section.namesEn')}>{dash(d.fullNameEn)}</Row>
            <Row label={t('patients.section.namesAr')}>{dash(d.fullNameAr)}</Row>
            <Row label={t('patients.cpr')} dir="ltr">{dash(d.cpr)}</Row>
            <Row label={t('patients.nationality')}>{dash(d.nationality)}</Row>
            <Row label={t('patients.phones')} dir="ltr">{dash(phonesText(d.phones))}</Row>
            <Row label={t('patients.email')} dir="ltr">{dash(d.email)}</Row>
            <Row label={t('patients.address')}>{dash(d.address)}</Row>
            <Row label={t('patients.preferredLanguage')}>{t(`lang.${d.preferredLanguage}`)}</Row>
            <Row label={t('patients.section.emergency')}>
              {dash([d.emergencyName, d.emergencyRelationship, d.emergencyPhone ? formatPhone(d.emergencyPhone) : ''].filter(Boolean).join(' · '))}
            </Row>
            <Row label={t('patients.section.insurance')}>
              {dash([d.insurancePayer, d.insuranceMember, d.insuranceExpiry ? t('patients.insuranceUntil', { date: d.insuranceExpiry }) : ''].filter(Boolean).join(' · '))}
            </Row>
          </tbody>
        </table>
      </section>
    </>
  );
}
