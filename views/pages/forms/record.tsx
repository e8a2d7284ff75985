/** @jsxImportSource hono/jsx */
// One consent or completed form as recorded: the exact template version, who signed and how, the
// witness, the signed PDF with its SHA-256, the answers (a questionnaire's only for clinical roles),
// and for an active consent the withdrawal form. There is no delete.
import type { Child } from 'hono/jsx';
import type { Frame } from '../../frame.ts';
import type { FieldErrors } from '../../../src/http/forms.ts';
import type { Patient } from '../../../src/features/patients/repo.ts';
import type { FormRecord } from '../../../src/features/forms/repo.ts';
import { dayIn } from '../../../src/features/forms/answers.ts';
import { formatDateTime } from '../../../src/i18n/format.ts';
import { Alert, Csrf, Field } from '../../components/form.tsx';
import { RxPatientLine } from '../prescriptions/common.tsx';
import { FieldLabel, KindBadge, SignatureSvg, StatusBadge, TemplateText, answerLabel } from './common.tsx';

export interface FormRecordProps {
  frame: Frame;
  record: FormRecord;
  patient: Patient;
  names: Map<string, string>;
  timezone: string;
  today: string;
  showAnswers: boolean;
  notice?: string;
  error?: string;
  values?: Record<string, string>;
  errors?: FieldErrors;
}

function Row({ label, children }: { label: string; children: Child }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td>{children}</td>
    </tr>
  );
}

function WithdrawForm({ frame, record, today, values = {}, errors = {} }: { frame: Frame; record: FormRecord; today: string; values?: Record<string, string>; errors?: FieldErrors }) {
  const t = frame.t;
  return (
    <form method="post" action={`/forms/${record.id}/withdraw`} class="stack card" data-withdraw>
      <h2>{t('consents.withdraw')}</h2>
      <p class="hint">{t('consents.withdrawHint')}</p>
      <Csrf frame={frame} />
      {errors._form && <Alert>{t(errors._form)}</Alert>}
      <Field frame={frame} name="withdrawnOn" label={t('consents.withdrawnOn')} error={errors.withdrawnOn}>
        <input id="withdrawnOn" name="withdrawnOn" type="date" min={record.signedOn} max={today} required value={values.withdrawnOn ?? today} />
      </Field>
      <Field frame={frame} name="reason" label={t('consents.withdrawReason')} error={errors.reason}>
        <textarea id="reason" name="reason" maxlength={500} rows={3} required dir="auto">
          {values.reason ?? ''}
        </textarea>
      </Field>
      <p class="row">
        <button type="submit">{t('consents.withdraw')}</button>
      </p>
    </form>
  );
}

export function FormRecordPage(props: FormRecordProps) {
  const { frame, record: r } = props;
  const { t, lang } = frame;
  const name = (id: string | null) => (id && props.names.get(id)) || '—';
  const c = r.content;
  return (
    <section class="card" data-record={r.id} data-status={r.status} data-kind={r.kind}>
      <h1>
        <bdi dir="auto">{lang === 'ar' ? c.titleAr : c.titleEn}</bdi> <KindBadge frame={frame} kind={r.kind} /> <StatusBadge frame={frame} status={r.status} />
      </h1>
      <RxPatientLine frame={frame} patient={props.patient} />
      {props.notice && <Alert kind="info">{props.notice}</Alert>}
      {props.error && <Alert>{props.error}</Alert>}
      {r.status === 'withdrawn' && (
        <p class="alert" role="note" data-testid="withdrawn">
          {t('consents.withdrawnAt', { date: dayIn(r.withdrawnOn ?? r.signedOn, lang), name: name(r.withdrawnBy) })} <bdi dir="auto">{r.withdrawReason}</bdi>
        </p>
      )}
      <table>
        <tbody>
          <Row label={t('consents.signedOn')}>{dayIn(r.signedOn, lang)}</Row>
          <Row label={t(r.kind === 'consent' ? 'consents.signer' : 'consents.completedBy')}>
            {r.signer === 'guardian' ? (
              <>
                {t('consents.signer.guardian')}: <bdi dir="auto">{r.guardianName}</bdi> ({r.relationship ? t(`consents.relationship.${r.relationship}`) : '—'})
              </>
            ) : (
              t('consents.signer.patient')
            )}
          </Row>
          {r.kind === 'consent' && (
            <Row label={t('consents.signature')}>
              {r.signatureKind === 'drawn' ? (
                <SignatureSvg frame={frame} strokes={r.signature} />
              ) : (
                <span data-testid="typed-signature">
                  <bdi dir="auto">{r.signature}</bdi> — {t('consents.signature.typed')}
                </span>
              )}
            </Row>
          )}
          <Row label={t(r.kind === 'consent' ? 'consents.witness' : 'consents.takenBy')}>
            <bdi dir="auto">{r.witnessName || '—'}</bdi>
          </Row>
          <Row label={t('consents.recordedBy')}>
            <bdi dir="auto">{name(r.recordedBy)}</bdi> · {formatDateTime(r.recordedAt, lang, props.timezone)}
          </Row>
          <Row label={t('consents.version')}>
            <span dir="ltr">
              {r.templateId} v{r.templateVersion}
            </span>
          </Row>
          <Row label={t('consents.pdfHash')}>
            <code dir="ltr" data-testid="pdf-sha256">
              {r.pdfSha256}
            </code>{' '}
            ({t('consents.bytes', { n: r.pdfBytes })})
          </Row>
        </tbody>
      </table>
      {props.showAnswers && (
        <p class="row">
          <a href={`/forms/${r.id}/pdf`} data-testid="pdf-link">
            {t('consents.openPdf')}
          </a>
          <a href={`/forms/${r.id}/pdf?download=1`}>{t('consents.downloadPdf')}</a>
        </p>
      )}
      {c.fields.length > 0 &&
        (props.showAnswers ? (
          <>
            <h2>{t('consents.answers')}</h2>
            <table data-testid="answers">
              <tbody>
                {c.fields.map((f) => (
                  <tr data-field={f.id}>
                    <th scope="row">
                      <FieldLabel field={f} />
                    </th>
                    <td dir="auto">{answerLabel(frame, f, r.answers[f.id])}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        ) : (
          <p class="hint" data-testid="answers-hidden">
            {t('consents.answersHidden')}
          </p>
        ))}
      <details>
        <summary>{t('consents.signedText')}</summary>
        <TemplateText content={c} />
      </details>
      {r.kind === 'consent' && r.status === 'active' && <WithdrawForm frame={frame} record={r} today={props.today} {...(props.values ? { values: props.values } : {})} {...(props.errors ? { errors: props.errors } : {})} />}
      <p class="row">
        <a href={`/patients/${r.patientId}/forms`}>{t('consents.backToList')}</a>
      </p>
    </section>
  );
}
