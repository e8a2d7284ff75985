/** @jsxImportSource hono/jsx */
// One prescription: its items and instructions in both languages, and what may be done with it
// (sign a draft; cancel with a reason; print once signed).
import type { Frame } from '../../frame.ts';
import type { Patient } from '../../../src/features/patients/repo.ts';
import type { Prescription } from '../../../src/features/prescriptions/repo.ts';
import { formatDateTime } from '../../../src/i18n/format.ts';
import { Alert, Csrf, Field } from '../../components/form.tsx';
import { RxPatientLine, RxStatusBadge } from './common.tsx';

export interface PrescriptionProps {
  frame: Frame;
  rx: Prescription;
  patient: Patient;
  timezone: string;
  canSign: boolean;
  canCancel: boolean;
  /** The viewer wrote this draft and may still change it. */
  canEdit?: boolean;
  notice?: string;
  error?: string;
  reason?: string;
}

export function PrescriptionPage(props: PrescriptionProps) {
  const { frame, rx } = props;
  const { t, lang } = frame;
  const when = (iso: string) => formatDateTime(iso, lang, props.timezone);
  const dash = (s: string | number | null) => (s === null || s === '' ? '—' : String(s));
  return (
    <section class="card" data-rx={rx.id} data-status={rx.status}>
      <h1>
        {t('rx.pdf.title')} <RxStatusBadge frame={frame} status={rx.status} />
      </h1>
      <RxPatientLine frame={frame} patient={props.patient} />
      {props.notice && <Alert kind="info">{props.notice}</Alert>}
      {props.error && <Alert>{props.error}</Alert>}
      <p class="row">
        <span>
          {t('rx.prescriber')}: <bdi dir="auto">{rx.prescriberName}</bdi>
        </span>
        <span>
          {t('rx.licence')}: <bdi dir="ltr">{rx.licenceNo}</bdi>
        </span>
        <span>
          {t('rx.created')}: {when(rx.createdAt)}
        </span>
      </p>
      {rx.signedAt && <p>{t('rx.signedAt', { date: when(rx.signedAt) })}</p>}
      {rx.allergyOverride && (
        <p class="alert" role="note" data-testid="allergy-override">
          {t('rx.allergy.overridden')} <bdi dir="auto">{rx.allergyMatches.join(', ')}</bdi>
        </p>
      )}
      {rx.status === 'cancelled' && (
        <p class="alert" role="note">
          {t('rx.cancelledAt', { date: when(rx.cancelledAt ?? rx.createdAt) })} <bdi dir="auto">{rx.cancelReason}</bdi>
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th>#</th>
            <th>{t('rx.item.medicine')}</th>
            <th>{t('rx.item.strength')}</th>
            <th>{t('rx.item.form')}</th>
            <th>{t('rx.item.dose')}</th>
            <th>{t('rx.item.route')}</th>
            <th>{t('rx.item.frequency')}</th>
            <th>{t('rx.item.duration')}</th>
            <th>{t('rx.item.quantity')}</th>
            <th>{t('rx.item.refills')}</th>
          </tr>
        </thead>
        <tbody>
          {rx.items.map((i, n) => (
            <>
              <tr>
                <td>{n + 1}</td>
                <td dir="auto">
                  <strong>{i.medicine}</strong>
                </td>
                <td dir="auto">{dash(i.strength)}</td>
                <td dir="auto">{dash(i.form)}</td>
                <td dir="auto">{dash(i.dose)}</td>
                <td dir="auto">{dash(i.route)}</td>
                <td dir="auto">{dash(i.frequency)}</td>
                <td dir="auto">{dash(i.duration)}</td>
                <td dir="ltr">{dash(i.quantity)}</td>
                <td dir="ltr">{i.refills}</td>
              </tr>
              {(i.instructionsEn || i.instructionsAr) && (
                <tr class="rx-instructions">
                  <td></td>
                  <td colspan={9}>
                    {i.instructionsEn && (
                      <p dir="ltr" lang="en">
                        {i.instructionsEn}
                      </p>
                    )}
                    {i.instructionsAr && (
                      <p dir="rtl" lang="ar">
                        {i.instructionsAr}
                      </p>
                    )}
                  </td>
                </tr>
              )}
            </>
          ))}
        </tbody>
      </table>
      {rx.status === 'signed' && (
        <p class="row">
          <a href={`/prescriptions/${rx.id}/pdf`} target="_blank" rel="noopener">
            {t('rx.print')}
          </a>
        </p>
      )}
      {props.canEdit && rx.status === 'draft' && (
        <p class="row">
          <a href={`/prescriptions/${rx.id}/edit`}>{t('rx.edit')}</a>
        </p>
      )}
      {props.canSign && rx.status === 'draft' && (
        <form method="post" action={`/prescriptions/${rx.id}/sign`} class="row">
          <Csrf frame={frame} />
          <button type="submit">{t('rx.sign')}</button>
          <small class="hint">{t('rx.signHint')}</small>
        </form>
      )}
      {props.canCancel && rx.status !== 'cancelled' && (
        <form method="post" action={`/prescriptions/${rx.id}/cancel`} class="stack">
          <Csrf frame={frame} />
          <Field frame={frame} name="reason" label={t('rx.cancelReason')}>
            <textarea id="reason" name="reason" maxlength={500} rows={2} required minlength={3} dir="auto">
              {props.reason ?? ''}
            </textarea>
          </Field>
          <button type="submit">{t('rx.cancel')}</button>
        </form>
      )}
      <p class="row">
        <a href={`/patients/${rx.patientId}/prescriptions`}>{t('rx.back')}</a>
      </p>
    </section>
  );
}
