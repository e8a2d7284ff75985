/** @jsxImportSource hono/jsx */
// One document: what it is, its preview (images inline, PDFs in a frame; both served sandboxed by
// /documents/:id/preview), download, and the delete form with its reason.
import type { Frame } from '../../frame.ts';
import type { Patient } from '../../../src/features/patients/repo.ts';
import type { Attachment } from '../../../src/features/documents/repo.ts';
import { IMAGE_TYPES, INLINE_TYPES } from '../../../src/features/documents/media.ts';
import { formatDateTime } from '../../../src/i18n/format.ts';
import { Alert, Csrf, Field } from '../../components/form.tsx';
import { RxPatientLine } from '../prescriptions/common.tsx';
import { DateText, categoryLabel, mediaLabel, sizeLabel } from './common.tsx';

export interface DocumentPageProps {
  frame: Frame;
  patient: Patient;
  doc: Attachment;
  names: Map<string, string>;
  canOpen: boolean;
  canDelete: boolean;
  canList: boolean;
  timezone: string;
  notice?: string;
  error?: string;
  reason?: string;
}

export function DocumentPage(props: DocumentPageProps) {
  const { frame, doc: a } = props;
  const { t, lang } = frame;
  const who = (id: string | null) => (id ? (props.names.get(id) ?? id) : '—');
  const preview = `/documents/${a.id}/preview`;
  return (
    <section class="card" data-attachment={a.id}>
      <h1 dir="auto">{a.title}</h1>
      <RxPatientLine frame={frame} patient={props.patient} />
      {props.notice && <Alert kind="info">{props.notice}</Alert>}
      {props.error && <Alert>{props.error}</Alert>}
      {a.deletedAt && (
        <Alert>
          {t('docs.deletedOn', { date: formatDateTime(a.deletedAt, lang, props.timezone), name: who(a.deletedBy), reason: a.deleteReason })}
        </Alert>
      )}
      <table>
        <tbody>
          <tr>
            <th scope="row">{t('docs.category')}</th>
            <td>{categoryLabel(frame, a.category)}</td>
          </tr>
          <tr>
            <th scope="row">{t('docs.takenOn')}</th>
            <td>
              <DateText value={a.takenOn} />
            </td>
          </tr>
          <tr>
            <th scope="row">{t('docs.type')}</th>
            <td>{mediaLabel(frame, a.mediaType)}</td>
          </tr>
          <tr>
            <th scope="row">{t('docs.size')}</th>
            <td dir="ltr">{sizeLabel(frame, a.bytes)}</td>
          </tr>
          <tr>
            <th scope="row">{t('docs.originalName')}</th>
            <td>
              <bdi>{a.originalName}</bdi>
            </td>
          </tr>
          <tr>
            <th scope="row">{t('docs.uploadedBy')}</th>
            <td>
              <bdi>{who(a.uploadedBy)}</bdi> · {formatDateTime(a.uploadedAt, lang, props.timezone)}
            </td>
          </tr>
          {a.encounterId && (
            <tr>
              <th scope="row">{t('docs.encounter')}</th>
              <td>
                <a href={`/encounters/${a.encounterId}`} dir="ltr">
                  {a.encounterId}
                </a>
              </td>
            </tr>
          )}
          <tr>
            <th scope="row">{t('docs.sha256')}</th>
            <td>
              <code class="key">{a.sha256}</code>
            </td>
          </tr>
        </tbody>
      </table>
      {props.canOpen ? (
        <>
          <p class="row">
            <a href={`/documents/${a.id}/download`} data-testid="download">
              {t('docs.download')}
            </a>
            {INLINE_TYPES.has(a.mediaType) && (
              <a href={preview} target="_blank" rel="noopener">
                {t('docs.preview')}
              </a>
            )}
          </p>
          <div id="preview">
            {IMAGE_TYPES.has(a.mediaType) && <img src={preview} alt={a.title} width={720} />}
            {a.mediaType === 'application/pdf' && <iframe src={preview} title={a.title} width={720} height={900} />}
            {!INLINE_TYPES.has(a.mediaType) && <p class="hint">{t('docs.noPreview')}</p>}
          </div>
        </>
      ) : (
        <p class="hint">{t('docs.noOpen')}</p>
      )}
      {props.canDelete && !a.deletedAt && (
        <form method="post" action={`/documents/${a.id}/delete`} class="stack">
          <Csrf frame={frame} />
          <Field frame={frame} name="reason" label={t('docs.deleteReason')} hint={t('docs.deleteHint')}>
            <textarea id="reason" name="reason" maxlength={500} rows={2} required minlength={5} dir="auto">
              {props.reason ?? ''}
            </textarea>
          </Field>
          <button type="submit">{t('docs.delete')}</button>
        </form>
      )}
      <p class="row">
        <a href={props.canList ? `/patients/${a.patientId}/documents` : `/patients/${a.patientId}`}>{t(props.canList ? 'docs.back' : 'docs.backToChart')}</a>
      </p>
    </section>
  );
}
