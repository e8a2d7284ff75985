/** @jsxImportSource hono/jsx */
// One template for the search page and its results fragment (htmx selects #results).
import type { Frame } from '../../frame.ts';
import type { SearchPage } from '../../../src/features/patients/service.ts';
import { PatientNames, phonesText, sexLabel } from './common.tsx';

export function PatientResults(props: { frame: Frame; q: string; page: SearchPage | undefined }) {
  const { t } = props.frame;
  const page = props.page;
  const link = (offset: number) => `/patients?q=${encodeURIComponent(props.q)}&offset=${offset}`;
  return (
    <div id="results" aria-live="polite">
      {page && page.tooMany && <p class="notice">{t('patients.search.tooMany')}</p>}
      {page && page.total === 0 && !page.tooMany && <p>{t('patients.search.none')}</p>}
      {page && page.results.length > 0 && (
        <>
          <p class="hint">
            {page.total === null
              ? t('patients.search.countMany', { from: page.offset + 1, to: page.offset + page.results.length })
              : t('patients.search.count', { from: page.offset + 1, to: page.offset + page.results.length, total: page.total })}
          </p>
          <table>
            <thead>
              <tr>
                <th>{t('patients.mrn')}</th>
                <th>{t('patients.name')}</th>
                <th>{t('patients.dateOfBirth')}</th>
                <th>{t('patients.sex')}</th>
                <th>{t('patients.phones')}</th>
              </tr>
            </thead>
            <tbody>
              {page.results.map((p) => (
                <tr data-mrn={p.mrn}>
                  <td dir="ltr">
                    <a href={`/patients/${p.id}`}>{p.mrn}</a>
                  </td>
                  <td>
                    <a href={`/patients/${p.id}`}>
                      <PatientNames patient={p} />
                    </a>
                  </td>
                  <td dir="ltr">{p.demographics.dateOfBirth}</td>
                  <td>{sexLabel(props.frame, p.demographics.sex)}</td>
                  <td dir="ltr">{phonesText(p.demographics.phones)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p class="row">
            {page.offset > 0 && <a href={link(Math.max(0, page.offset - page.limit))}>{t('patients.search.previous')}</a>}
            {page.hasMore && <a href={link(page.offset + page.limit)}>{t('patients.search.next')}</a>}
          </p>
        </>
      )}
    </div>
  );
}

export function PatientSearchPage(props: { frame: Frame; q: string; page: SearchPage | undefined; canWrite: boolean; error?: string }) {
  const { t } = props.frame;
  return (
    <>
      <div class="row spread">
        <h1>{t('patients.title')}</h1>
        {props.canWrite && (
          <a class="button" href="/patients/new">
            {t('patients.register')}
          </a>
        )}
      </div>
      {props.error && <p class="alert" role="alert">{props.error}</p>}
      <form method="get" action="/patients" role="search" class="row filters">
        <label for="q">
          {t('patients.search.label')}
          <input
            id="q"
            type="search"
            name="q"
            value={props.q}
            maxlength={200}
            autocomplete="off"
            dir="auto"
            placeholder={t('patients.search.placeholder')}
            hx-get="/patients"
            hx-trigger="input changed delay:300ms, search"
            hx-target="#results"
            hx-select="#results"
            hx-swap="outerHTML"
            hx-push-url="true"
          />
        </label>
        <button type="submit">{t('patients.search.submit')}</button>
      </form>
      <PatientResults frame={props.frame} q={props.q} page={props.page} />
    </>
  );
}
