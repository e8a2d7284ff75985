/** @jsxImportSource hono/jsx */
// The public archive check: upload (or paste) a manifest.json and an optional clinic short name;
// the answer says whether the clinic's published key signed it, and what it lists.
import type { Frame } from '../../frame.ts';
import type { MessageKey } from '../../../src/i18n/index.ts';
import type { ArchiveProblem } from '../../../src/archive/manifest.ts';
import type { ManifestCheck } from '../../../src/features/archive-verify/service.ts';
import { Alert, Field } from '../../components/form.tsx';

export interface VerifyFormValues {
  clinic?: string;
  manifestText?: string;
}

export function ArchiveVerifyPage(props: { frame: Frame; values?: VerifyFormValues; error?: MessageKey; errorField?: string; result?: Extract<ManifestCheck, { kind: 'checked' }> }) {
  const { frame, values = {} } = props;
  const { t } = frame;
  // Multipart bodies are not searched for the CSRF field (uploads are streamed): it rides in the URL.
  const action = `/archive/verify${frame.csrf ? `?_csrf=${encodeURIComponent(frame.csrf)}` : ''}`;
  return (
    <section class="card narrow">
      <h1>{t('archive.verify.title')}</h1>
      {props.result ? <Verdict frame={frame} result={props.result} /> : <p>{t('archive.verify.intro')}</p>}
      {props.error && !props.errorField && <Alert>{t(props.error)}</Alert>}
      <form method="post" action={action} enctype="multipart/form-data" class="stack">
        <Field frame={frame} name="manifest" label={t('archive.verify.manifest')} hint={t('archive.verify.manifestHint')} error={props.errorField === 'manifest' ? props.error : undefined}>
          <input id="manifest" type="file" name="manifest" accept="application/json,.json" />
        </Field>
        <Field frame={frame} name="manifestText" label={t('archive.verify.paste')}>
          <textarea id="manifestText" name="manifestText" rows={6} dir="ltr" spellcheck={false}>
            {values.manifestText ?? ''}
          </textarea>
        </Field>
        <Field frame={frame} name="clinic" label={t('archive.verify.clinic')} hint={t('archive.verify.clinicHint')} error={props.errorField === 'clinic' ? props.error : undefined}>
          <input id="clinic" name="clinic" maxlength={40} dir="ltr" autocomplete="off" value={values.clinic ?? ''} />
        </Field>
        <button type="submit">{props.result ? t('archive.verify.again') : t('archive.verify.submit')}</button>
      </form>
      <p>
        <small dir="auto">{t('archive.verify.cli')}</small>
      </p>
    </section>
  );
}

function problemText(frame: Frame, p: ArchiveProblem, clinic: string): string {
  const { t } = frame;
  switch (p.code) {
    case 'format':
      return t('archive.problem.format');
    case 'signature':
      return t('archive.problem.signature');
    case 'key':
      return t('archive.problem.key', { clinic });
    case 'duplicate':
      return t('archive.problem.duplicate', { path: p.path });
    default:
      return t('archive.problem.other', { path: p.path });
  }
}

function Verdict({ frame, result }: { frame: Frame; result: Extract<ManifestCheck, { kind: 'checked' }> }) {
  const { t } = frame;
  const m = result.manifest;
  const clinicName = result.clinic?.name ?? m?.clinic.name ?? '';
  return (
    <div data-verdict={result.ok ? 'valid' : 'invalid'}>
      {result.ok ? (
        <Alert kind="info">{t('archive.verify.valid', { clinic: clinicName })}</Alert>
      ) : (
        <div class="alert" role="alert">
          <p>{t('archive.verify.invalid')}</p>
          <ul>
            {result.problems.map((p) => (
              <li data-problem={p.code}>
                <bdi dir="auto">{problemText(frame, p, clinicName)}</bdi>
              </li>
            ))}
          </ul>
        </div>
      )}
      {m && (
        <dl>
          <dt>{t('archive.verify.clinicLabel')}</dt>
          <dd>
            <bdi dir="auto">{m.clinic.name}</bdi> (<bdi dir="ltr">{m.clinic.slug}</bdi>)
          </dd>
          <dt>{t('archive.verify.patientLabel')}</dt>
          <dd>
            <bdi dir="ltr">{m.patient.mrn}</bdi>
          </dd>
          <dt>{t('archive.verify.createdLabel')}</dt>
          <dd>
            <bdi dir="ltr">{m.created}</bdi>
          </dd>
          <dt>{t('archive.verify.createdByLabel')}</dt>
          <dd>
            <bdi dir="auto">{m.createdBy.kind === 'operator' ? t('archive.verify.operator') : m.createdBy.name}</bdi>
          </dd>
          <dt>{t('archive.verify.filesLabel')}</dt>
          <dd>{m.files.length}</dd>
          <dt>{t('archive.verify.keyLabel')}</dt>
          <dd>
            <code dir="ltr">{m.publicKey}</code>
          </dd>
        </dl>
      )}
      {result.clinic && (
        <p>
          <a href={`/clinics/${encodeURIComponent(result.clinic.slug)}/archive-key`}>{t('archive.verify.publishedKey', { clinic: result.clinic.name })}</a>
        </p>
      )}
    </div>
  );
}
