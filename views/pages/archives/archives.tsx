/** @jsxImportSource hono/jsx */
// Patient archives: the request form (reason, language), the progress page (htmx polls the same
// section; without JavaScript a Refresh header reloads the page), and the Exports page.
import type { Frame } from '../../frame.ts';
import type { Archive } from '../../../src/features/archives/service.ts';
import type { JobView } from '../../../src/platform/job-queue.ts';
import type { Patient } from '../../../src/features/patients/repo.ts';
import type { MessageKey } from '../../../src/i18n/index.ts';
import { formatDateTime } from '../../../src/i18n/format.ts';
import { Alert, Csrf, Field } from '../../components/form.tsx';
import { PatientNames } from '../patients/common.tsx';

export function ArchiveRequestPage(props: { frame: Frame; patient: Patient; values?: { reason?: string; lang?: string }; error?: MessageKey; previous: Archive[]; timezone: string }) {
  const { frame } = props;
  const { t } = frame;
  const p = props.patient;
  const lang = props.values?.lang ?? frame.lang;
  return (
    <section class="card">
      <h1>{t('archives.newTitle', { mrn: p.mrn })}</h1>
      <p>
        <PatientNames patient={p} />
      </p>
      <p>{t('archives.intro')}</p>
      <form method="post" action={`/patients/${p.id}/archives`} class="stack">
        <Csrf frame={frame} />
        <Field frame={frame} name="reason" label={t('archives.reason')} error={props.error} hint={t('archives.reasonHint')}>
          <textarea id="reason" name="reason" rows={3} required minlength={5} maxlength={500} dir="auto">
            {props.values?.reason ?? ''}
          </textarea>
        </Field>
        <Field frame={frame} name="lang" label={t('archives.language')}>
          <select id="lang" name="lang">
            <option value="en" selected={lang === 'en'}>
              English
            </option>
            <option value="ar" selected={lang === 'ar'}>
              العربية
            </option>
          </select>
        </Field>
        <p class="row">
          <button type="submit">{t('archives.submit')}</button>
          <a href={`/patients/${p.id}`}>{t('common.cancel')}</a>
        </p>
      </form>
      {props.previous.length > 0 && (
        <>
          <h2>{t('archives.previous')}</h2>
          <ArchiveTable frame={frame} archives={props.previous} timezone={props.timezone} />
        </>
      )}
    </section>
  );
}

const size = (bytes: number | null) => (bytes === null ? '—' : bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`);

/** The progress section: polled by htmx while the archive is being made. */
export function ArchiveStatus(props: { frame: Frame; archive: Archive; job: JobView | undefined; timezone: string; error?: string }) {
  const { frame } = props;
  const { t } = frame;
  const a = props.archive;
  const working = a.status === 'queued' || a.status === 'building';
  const percent = a.status === 'ready' ? 100 : (props.job?.progress.percent ?? 0);
  const step = props.job?.progress.step;
  return (
    <section class="card" id="archive-status" data-status={a.status} {...(working ? { 'hx-get': `/archives/${a.id}`, 'hx-trigger': 'every 2s', 'hx-swap': 'outerHTML' } : {})}>
      <h1>{t('archives.title')}</h1>
      {props.error && <Alert>{props.error}</Alert>}
      <p>
        <strong>{t(`archives.status.${a.status}` as MessageKey)}</strong>
        {working && step && <> · {t(`archives.step.${step}` as MessageKey)}</>}
      </p>
      <label for="archive-progress">{t('archives.progress')}</label>
      <progress id="archive-progress" max={100} value={percent}>
        {percent}%
      </progress>
      {working && <p class="hint">{t('archives.refreshHint')}</p>}
      {/* Without JavaScript the page reloads itself until the archive is done (htmx polls otherwise;
          a Refresh header would reload the page under htmx too). A constant string: hono/jsx would
          hoist a <meta> element into <head>, out of the noscript. */}
      {working && <noscript dangerouslySetInnerHTML={{ __html: '<meta http-equiv="refresh" content="3">' }} />}
      {a.status === 'failed' && <Alert>{t('archives.failed')}</Alert>}
      {a.status === 'ready' && (
        <>
          <p>
            <a href={`/archives/${a.id}/download`} download>
              {t('archives.download', { size: size(a.bytes) })}
            </a>
          </p>
          {a.expiresAt && <p>{t('archives.until', { date: formatDateTime(a.expiresAt, frame.lang, props.timezone) })}</p>}
          <p>
            {t('archives.sha256')}: <code dir="ltr">{a.sha256}</code>
          </p>
          <p>
            <a href="/archive/verify">{t('archives.verifyLink')}</a>
          </p>
        </>
      )}
      <p>
        <a href={`/patients/${a.patientId}`}>{t('clinical.backToChart')}</a> · <a href="/exports">{t('archives.exportsTitle')}</a>
      </p>
    </section>
  );
}

export function ArchiveTable(props: { frame: Frame; archives: Archive[]; timezone: string; names?: Map<string, string>; mrns?: Map<string, string> }) {
  const { frame } = props;
  const { t } = frame;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">{t('archives.requestedAt')}</th>
          {props.mrns && <th scope="col">{t('archives.patient')}</th>}
          {props.names && <th scope="col">{t('archives.requestedBy')}</th>}
          <th scope="col">{t('archives.reason')}</th>
          <th scope="col">{t('archives.size')}</th>
          <th scope="col">{t('archives.downloads')}</th>
          <th scope="col">{t('history.col.status')}</th>
        </tr>
      </thead>
      <tbody>
        {props.archives.map((a) => (
          <tr data-archive={a.id}>
            <td>
              <a href={`/archives/${a.id}`}>{formatDateTime(a.requestedAt, frame.lang, props.timezone)}</a>
            </td>
            {props.mrns && (
              <td dir="ltr">
                <a href={`/patients/${a.patientId}`}>{props.mrns.get(a.patientId) ?? '—'}</a>
              </td>
            )}
            {props.names && <td>{props.names.get(a.requestedBy) ?? a.requestedBy}</td>}
            <td dir="auto">{a.reason}</td>
            <td>{size(a.bytes)}</td>
            <td>{a.downloads}</td>
            <td>{t(`archives.status.${a.status}` as MessageKey)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ExportsPage(props: { frame: Frame; archives: Archive[]; timezone: string; names: Map<string, string>; mrns: Map<string, string>; older?: string }) {
  const { t } = props.frame;
  return (
    <section class="card">
      <h1>{t('archives.exportsTitle')}</h1>
      <p>{t('archives.exportsIntro')}</p>
      {props.archives.length === 0 ? <p>{t('archives.none')}</p> : <ArchiveTable {...props} />}
      {props.older && (
        <p>
          <a href={`/exports?before=${encodeURIComponent(props.older)}`}>{t('archives.older')}</a>
        </p>
      )}
    </section>
  );
}
