/** @jsxImportSource hono/jsx */
// Uploading a document: a plain multipart form (works without JavaScript). The CSRF token rides in
// the action URL, because the server streams the body and does not buffer it to find a field.
import type { Frame } from '../../frame.ts';
import type { FieldErrors } from '../../../src/http/forms.ts';
import type { Patient } from '../../../src/features/patients/repo.ts';
import type { Category } from '../../../src/features/documents/policy.ts';
import { formatDateTime } from '../../../src/i18n/format.ts';
import { Alert, Field } from '../../components/form.tsx';
import { RxPatientLine } from '../prescriptions/common.tsx';
import { categoryLabel } from './common.tsx';

export interface UploadFormProps {
  frame: Frame;
  patient: Patient;
  categories: readonly Category[];
  encounters: { id: string; startedAt: string; type: string }[];
  limitMb: number;
  timezone: string;
  values: Record<string, string>;
  errors?: FieldErrors;
  /** A refusal of the file itself, already in the reader's language. */
  error?: string;
  notice?: string;
  /** Where "back" goes: the list for those who may see it, else the chart. */
  canList: boolean;
}

const ACCEPT = '.jpg,.jpeg,.png,.tif,.tiff,.dcm,.dicom,.pdf,.txt,image/jpeg,image/png,image/tiff,application/dicom,application/pdf,text/plain';

export function UploadPage(props: UploadFormProps) {
  const { frame, patient, values } = props;
  const { t } = frame;
  const errors = props.errors ?? {};
  const action = `/patients/${patient.id}/documents${frame.csrf ? `?_csrf=${encodeURIComponent(frame.csrf)}` : ''}`;
  const encounterId = values.encounterId ?? '';
  const known = props.encounters.some((e) => e.id === encounterId);
  return (
    <section class="card">
      <h1>{t('docs.upload')}</h1>
      <RxPatientLine frame={frame} patient={patient} />
      {props.notice && <Alert kind="info">{props.notice}</Alert>}
      {props.error && <Alert>{props.error}</Alert>}
      {errors._form && <Alert>{t(errors._form)}</Alert>}
      <form method="post" action={action} enctype="multipart/form-data" class="stack" data-testid="upload-form">
        <Field frame={frame} name="category" label={t('docs.category')} error={errors.category}>
          <select id="category" name="category" required>
            {props.categories.map((c) => (
              <option value={c} selected={values.category === c}>
                {categoryLabel(frame, c)}
              </option>
            ))}
          </select>
        </Field>
        <Field frame={frame} name="title" label={t('docs.titleLabel')} hint={t('docs.titleHint')} error={errors.title}>
          <input id="title" name="title" type="text" maxlength={200} value={values.title ?? ''} dir="auto" />
        </Field>
        <Field frame={frame} name="takenOn" label={t('docs.takenOn')} error={errors.takenOn}>
          <input id="takenOn" name="takenOn" type="date" value={values.takenOn ?? ''} dir="ltr" />
        </Field>
        {props.encounters.length > 0 || encounterId ? (
          <Field frame={frame} name="encounterId" label={t('docs.encounter')} error={errors.encounterId}>
            <select id="encounterId" name="encounterId">
              <option value="">{t('docs.noEncounter')}</option>
              {!known && encounterId && (
                <option value={encounterId} selected>
                  {encounterId}
                </option>
              )}
              {props.encounters.map((e) => (
                <option value={e.id} selected={e.id === encounterId}>
                  {formatDateTime(e.startedAt, frame.lang, props.timezone)} · {t(`clinical.type.${e.type}` as never)}
                </option>
              ))}
            </select>
          </Field>
        ) : null}
        <Field frame={frame} name="file" label={t('docs.file')} hint={t('docs.fileHint', { mb: props.limitMb })}>
          <input id="file" name="file" type="file" required accept={ACCEPT} />
        </Field>
        <button type="submit">{t('docs.submit')}</button>
      </form>
      <p class="row">
        <a href={props.canList ? `/patients/${patient.id}/documents` : `/patients/${patient.id}`}>{t(props.canList ? 'docs.back' : 'docs.backToChart')}</a>
      </p>
    </section>
  );
}
