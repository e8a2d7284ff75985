/** @jsxImportSource hono/jsx */
// Template administration: the clinic's templates, and one template with a version's text and
// fields, its version history, and edit / retire / reinstate.
import type { Frame } from '../../frame.ts';
import type { Template, TemplateVersion } from '../../../src/features/forms/repo.ts';
import { formatDateTime } from '../../../src/i18n/format.ts';
import { Alert, Csrf } from '../../components/form.tsx';
import { FieldLabel, KindBadge, StatusBadge, TemplateText } from './common.tsx';

export function TemplateListPage(props: { frame: Frame; templates: Template[]; notice?: string; error?: string }) {
  const { frame } = props;
  const { t, lang } = frame;
  return (
    <section class="card">
      <h1>{t('consents.templates.title')}</h1>
      {props.notice && <Alert kind="info">{props.notice}</Alert>}
      {props.error && <Alert>{props.error}</Alert>}
      <p class="row">
        <a href="/admin/forms/new?kind=consent">{t('consents.template.newConsent')}</a>
        <a href="/admin/forms/new?kind=questionnaire">{t('consents.template.newQuestionnaire')}</a>
      </p>
      <form method="post" action="/admin/forms/builtin" class="row">
        <Csrf frame={frame} />
        <button type="submit">{t('consents.template.addBuiltin')}</button>
        <small class="hint">{t('consents.template.addBuiltinHint')}</small>
      </form>
      {props.templates.length === 0 ? (
        <p>{t('consents.templates.none')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>{t('consents.form')}</th>
              <th>{t('consents.kind')}</th>
              <th>{t('consents.version')}</th>
              <th>{t('consents.statusLabel')}</th>
              <th>{t('consents.template.updated')}</th>
            </tr>
          </thead>
          <tbody>
            {props.templates.map((tpl) => (
              <tr data-template={tpl.id}>
                <td>
                  <a href={`/admin/forms/${tpl.id}`}>
                    <bdi lang="en" dir="ltr">
                      {tpl.current.content.titleEn}
                    </bdi>{' '}
                    ·{' '}
                    <bdi lang="ar" dir="rtl">
                      {tpl.current.content.titleAr}
                    </bdi>
                  </a>
                </td>
                <td>
                  <KindBadge frame={frame} kind={tpl.kind} />
                </td>
                <td dir="ltr">{tpl.currentVersion}</td>
                <td>
                  <StatusBadge frame={frame} status={tpl.status} />
                </td>
                <td>{formatDateTime(tpl.updatedAt, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function TemplatePage(props: { frame: Frame; template: Template; versions: TemplateVersion[]; shown: TemplateVersion; notice?: string; error?: string }) {
  const { frame, template: tpl, shown } = props;
  const { t, lang } = frame;
  const active = tpl.status === 'active';
  return (
    <section class="card" data-template={tpl.id} data-version={shown.version}>
      <p class="row">
        <KindBadge frame={frame} kind={tpl.kind} /> <StatusBadge frame={frame} status={tpl.status} />
        <span>{t('consents.template.showing', { version: shown.version, current: tpl.currentVersion })}</span>
      </p>
      {props.notice && <Alert kind="info">{props.notice}</Alert>}
      {props.error && <Alert>{props.error}</Alert>}
      <TemplateText content={shown.content} level={1} />
      {shown.content.scope && (
        <p>
          {t('consents.template.scope')}: {t(`consents.scope.${shown.content.scope}`)}
        </p>
      )}
      {shown.content.fields.length > 0 && (
        <table data-testid="template-fields">
          <thead>
            <tr>
              <th>{t('consents.template.fieldLabel')}</th>
              <th>{t('consents.template.fieldType')}</th>
              <th>{t('consents.template.fieldRequired')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.content.fields.map((f) => (
              <tr data-field={f.id}>
                <td>
                  <FieldLabel field={f} />
                  {f.options && (
                    <ul>
                      {f.options.map((o) => (
                        <li>
                          {o.en} · <bdi dir="rtl">{o.ar}</bdi>
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td>{t(`consents.fieldType.${f.type}`)}</td>
                <td>{t(f.required ? 'consents.answer.yes' : 'consents.answer.no')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div class="row">
        {active && <a href={`/admin/forms/${tpl.id}/edit`}>{t('consents.template.edit')}</a>}
        <form method="post" action={`/admin/forms/${tpl.id}/${active ? 'retire' : 'reinstate'}`} class="inline">
          <Csrf frame={frame} />
          <button type="submit" class="link">
            {t(active ? 'consents.template.retire' : 'consents.template.reinstate')}
          </button>
        </form>
        <a href="/admin/forms">{t('consents.templates.back')}</a>
      </div>
      <h2>{t('consents.template.versions')}</h2>
      <table>
        <thead>
          <tr>
            <th>{t('consents.version')}</th>
            <th>{t('consents.template.savedAt')}</th>
            <th>{t('consents.template.hash')}</th>
          </tr>
        </thead>
        <tbody>
          {props.versions.map((v) => (
            <tr data-version={v.version}>
              <td>
                <a href={`/admin/forms/${tpl.id}?version=${v.version}`} aria-current={v.version === shown.version ? 'page' : undefined}>
                  v{v.version}
                </a>
              </td>
              <td>{formatDateTime(v.createdAt, lang)}</td>
              <td>
                <code dir="ltr">{v.contentSha256.slice(0, 16)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
