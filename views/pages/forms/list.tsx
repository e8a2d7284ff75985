/** @jsxImportSource hono/jsx */
// A patient's consents and forms, newest first, and the templates to fill a new one from.
import type { Frame } from '../../frame.ts';
import type { Patient } from '../../../src/features/patients/repo.ts';
import type { RecordSummary } from '../../../src/features/forms/repo.ts';
import type { Template } from '../../../src/features/forms/repo.ts';
import { dayIn } from '../../../src/features/forms/answers.ts';
import { Alert } from '../../components/form.tsx';
import { RxPatientLine } from '../prescriptions/common.tsx';
import { KindBadge, StatusBadge } from './common.tsx';

export function PatientFormsPage(props: { frame: Frame; patient: Patient; items: RecordSummary[]; templates: Template[]; notice?: string; error?: string }) {
  const { frame, patient } = props;
  const { t, lang } = frame;
  const title = (x: { titleEn: string; titleAr: string }) => (lang === 'ar' ? x.titleAr : x.titleEn);
  return (
    <section class="card" data-patient-forms={patient.id}>
      <h1>{t('consents.title')}</h1>
      <RxPatientLine frame={frame} patient={patient} />
      {props.notice && <Alert kind="info">{props.notice}</Alert>}
      {props.error && <Alert>{props.error}</Alert>}
      <h2>{t('consents.new')}</h2>
      {props.templates.length === 0 ? (
        <p class="hint">{t('consents.noTemplates')}</p>
      ) : (
        <ul class="form-templates">
          {props.templates.map((tpl) => (
            <li>
              <a href={`/patients/${patient.id}/forms/new?template=${tpl.id}`} data-template={tpl.id} data-code={tpl.code ?? undefined}>
                {title(tpl.current.content)}
              </a>{' '}
              <KindBadge frame={frame} kind={tpl.kind} />
            </li>
          ))}
        </ul>
      )}
      <h2>{t('consents.recorded')}</h2>
      {props.items.length === 0 ? (
        <p>{t('consents.none')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>{t('consents.signedOn')}</th>
              <th>{t('consents.form')}</th>
              <th>{t('consents.kind')}</th>
              <th>{t('consents.version')}</th>
              <th>{t('consents.statusLabel')}</th>
            </tr>
          </thead>
          <tbody>
            {props.items.map((r) => (
              <tr data-record={r.id}>
                <td>
                  <a href={`/forms/${r.id}`}>{dayIn(r.signedOn, lang)}</a>
                </td>
                <td dir="auto">{title(r)}</td>
                <td>
                  <KindBadge frame={frame} kind={r.kind} />
                </td>
                <td dir="ltr">{r.templateVersion}</td>
                <td>
                  <StatusBadge frame={frame} status={r.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p class="row">
        <a href={`/patients/${patient.id}`}>{t('rx.backToChart')}</a>
      </p>
    </section>
  );
}
