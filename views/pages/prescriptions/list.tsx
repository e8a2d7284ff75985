/** @jsxImportSource hono/jsx */
// A patient's prescriptions, newest first.
import type { Frame } from '../../frame.ts';
import type { Patient } from '../../../src/features/patients/repo.ts';
import type { Prescription } from '../../../src/features/prescriptions/repo.ts';
import { formatDateTime } from '../../../src/i18n/format.ts';
import { Alert } from '../../components/form.tsx';
import { RxPatientLine, RxStatusBadge } from './common.tsx';

export function PrescriptionListPage(props: { frame: Frame; patient: Patient; items: Prescription[]; canWrite: boolean; timezone: string; notice?: string }) {
  const { t, lang } = props.frame;
  const p = props.patient;
  return (
    <section class="card">
      <h1>{t('rx.title')}</h1>
      <RxPatientLine frame={props.frame} patient={p} />
      {props.notice && <Alert kind="info">{props.notice}</Alert>}
      {props.canWrite && (
        <p class="row">
          <a href={`/patients/${p.id}/prescriptions/new`}>{t('rx.new')}</a>
        </p>
      )}
      {props.items.length === 0 ? (
        <p>{t('rx.none')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>{t('rx.created')}</th>
              <th>{t('rx.items')}</th>
              <th>{t('rx.prescriber')}</th>
              <th>{t('rx.statusLabel')}</th>
            </tr>
          </thead>
          <tbody>
            {props.items.map((rx) => (
              <tr data-rx={rx.id}>
                <td>
                  <a href={`/prescriptions/${rx.id}`}>{formatDateTime(rx.createdAt, lang, props.timezone)}</a>
                </td>
                <td dir="auto">{rx.items.map((i) => i.medicine).join(', ')}</td>
                <td dir="auto">{rx.prescriberName}</td>
                <td>
                  <RxStatusBadge frame={props.frame} status={rx.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p class="row">
        <a href={`/patients/${p.id}`}>{t('rx.backToChart')}</a>
      </p>
    </section>
  );
}
