/** @jsxImportSource hono/jsx */
// A patient's documents: filters (category, encounter, deleted), then one row per document with
// its preview and download links for those who may open it. The filter form is a plain GET.
import type { Frame } from '../../frame.ts';
import type { Patient } from '../../../src/features/patients/repo.ts';
import type { Attachment } from '../../../src/features/documents/repo.ts';
import type { Category } from '../../../src/features/documents/policy.ts';
import { INLINE_TYPES } from '../../../src/features/documents/media.ts';
import { formatDateTime } from '../../../src/i18n/format.ts';
import { Alert } from '../../components/form.tsx';
import { RxPatientLine } from '../prescriptions/common.tsx';
import { DateText, categoryLabel, mediaLabel, sizeLabel } from './common.tsx';

export interface DocumentListProps {
  frame: Frame;
  patient: Patient;
  items: Attachment[];
  names: Map<string, string>;
  categories: readonly Category[];
  openable: readonly Category[];
  canUpload: boolean;
  filter: { category: string; encounterId: string; deleted: boolean };
  timezone: string;
  notice?: string;
}

export function DocumentListPage(props: DocumentListProps) {
  const { frame, patient, filter } = props;
  const { t, lang } = frame;
  const base = `/patients/${patient.id}/documents`;
  return (
    <section class="card">
      <h1>{t('docs.title')}</h1>
      <RxPatientLine frame={frame} patient={patient} />
      {props.notice && <Alert kind="info">{props.notice}</Alert>}
      {props.canUpload && (
        <p class="row">
          <a href={`${base}/new${filter.encounterId ? `?encounter=${filter.encounterId}` : ''}`}>{t('docs.upload')}</a>
        </p>
      )}
      <form method="get" action={base} class="row filters" role="search">
        <label for="category">{t('docs.category')}</label>
        <select id="category" name="category">
          <option value="">{t('docs.allCategories')}</option>
          {props.categories.map((c) => (
            <option value={c} selected={filter.category === c}>
              {categoryLabel(frame, c)}
            </option>
          ))}
        </select>
        {filter.encounterId && <input type="hidden" name="encounter" value={filter.encounterId} />}
        <label>
          <input type="checkbox" name="deleted" value="1" checked={filter.deleted} /> {t('docs.showDeleted')}
        </label>
        <button type="submit">{t('docs.filter')}</button>
        {filter.encounterId && <a href={base}>{t('docs.allEncounters')}</a>}
      </form>
      {props.items.length === 0 ? (
        <p>{t('docs.none')}</p>
      ) : (
        <table data-testid="documents">
          <thead>
            <tr>
              <th>{t('docs.titleLabel')}</th>
              <th>{t('docs.category')}</th>
              <th>{t('docs.takenOn')}</th>
              <th>{t('docs.type')}</th>
              <th>{t('docs.size')}</th>
              <th>{t('docs.uploadedAt')}</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {props.items.map((a) => {
              const open = props.openable.includes(a.category);
              return (
                <tr data-attachment={a.id} data-category={a.category} class={a.deletedAt ? 'deleted' : undefined}>
                  <td dir="auto">
                    <a href={`/documents/${a.id}`}>{a.title}</a>
                    {a.deletedAt && <span class="badge">{t('docs.deletedBadge')}</span>}
                  </td>
                  <td>{categoryLabel(frame, a.category)}</td>
                  <td>
                    <DateText value={a.takenOn} />
                  </td>
                  <td>{mediaLabel(frame, a.mediaType)}</td>
                  <td dir="ltr">{sizeLabel(frame, a.bytes)}</td>
                  <td>
                    {formatDateTime(a.uploadedAt, lang, props.timezone)}
                    <br />
                    <small dir="auto">{props.names.get(a.uploadedBy) ?? a.uploadedBy}</small>
                  </td>
                  <td class="row">
                    {open && INLINE_TYPES.has(a.mediaType) && <a href={`/documents/${a.id}#preview`}>{t('docs.preview')}</a>}
                    {open && <a href={`/documents/${a.id}/download`}>{t('docs.download')}</a>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <p class="row">
        <a href={`/patients/${patient.id}`}>{t('docs.backToChart')}</a>
      </p>
    </section>
  );
}
