/** @jsxImportSource hono/jsx */
import type { Frame } from '../../frame.ts';
import type { FieldErrors } from '../../../src/http/forms.ts';
import type { ClinicSettings } from '../../../src/tenancy/settings.ts';
import { ROLES } from '../../../src/access/roles.ts';
import { PERMISSIONS, ROLE_PERMISSIONS } from '../../../src/access/permissions.ts';
import { Alert, Csrf, Field } from '../../components/form.tsx';

export function SettingsPage(props: { frame: Frame; settings: ClinicSettings; timezone: string; notice?: string; errors?: FieldErrors }) {
  const { t } = props.frame;
  const s = props.settings;
  const e = props.errors ?? {};
  return (
    <section class="card">
      <h1>{t('settings.title')}</h1>
      {props.notice && <Alert kind="info">{props.notice}</Alert>}
      {e._form && <Alert>{t(e._form)}</Alert>}
      <form method="post" action="/admin/settings" class="stack">
        <Csrf frame={props.frame} />
        <fieldset class="roles">
          <legend>{t('settings.twoFactor')}</legend>
          {ROLES.map((r) => (
            <label>
              {t(`role.${r}`)}
              <select name={`twoFactor.${r}`}>
                <option value="optional" selected={s.twoFactor[r] !== 'required'}>
                  {t('settings.optional')}
                </option>
                <option value="required" selected={s.twoFactor[r] === 'required'}>
                  {t('settings.required')}
                </option>
              </select>
            </label>
          ))}
        </fieldset>
        <Field frame={props.frame} name="idleTimeoutMinutes" label={t('settings.idle')} error={e.idleTimeoutMinutes}>
          <input id="idleTimeoutMinutes" name="idleTimeoutMinutes" type="number" min={1} max={240} required value={String(s.idleTimeoutMinutes)} />
        </Field>
        <Field frame={props.frame} name="absoluteTimeoutHours" label={t('settings.absolute')} error={e.absoluteTimeoutHours}>
          <input id="absoluteTimeoutHours" name="absoluteTimeoutHours" type="number" min={1} max={24} required value={String(s.absoluteTimeoutHours)} />
        </Field>
        <Field frame={props.frame} name="minPasswordLength" label={t('settings.minPassword')} error={e.minPasswordLength}>
          <input id="minPasswordLength" name="minPasswordLength" type="number" min={12} max={128} required value={String(s.minPasswordLength)} />
        </Field>
        <Field frame={props.frame} name="timezone" label={t('settings.timezone')} error={e.timezone}>
          <input id="timezone" name="timezone" required maxlength={64} value={props.timezone} dir="ltr" />
        </Field>
        <Field frame={props.frame} name="defaultLanguage" label={t('settings.language')} error={e.defaultLanguage}>
          <select id="defaultLanguage" name="defaultLanguage">
            <option value="en" selected={s.defaultLanguage === 'en'}>
              English
            </option>
            <option value="ar" selected={s.defaultLanguage === 'ar'}>
              العربية
            </option>
          </select>
        </Field>
        <Field frame={props.frame} name="hostingRegion" label={t('settings.region')} error={e.hostingRegion}>
          <input id="hostingRegion" name="hostingRegion" required maxlength={100} value={s.hostingRegion} dir="auto" />
        </Field>
        <Field frame={props.frame} name="uploadLimitMb" label={t('docs.setting.uploadLimit')} error={e.uploadLimitMb}>
          <input id="uploadLimitMb" name="uploadLimitMb" type="number" min={1} max={1024} required value={String(s.uploadLimitMb)} />
        </Field>
        <Field frame={props.frame} name="archiveAlertPerHour" label={t('archives.setting.alertPerHour')} error={e.archiveAlertPerHour} hint={t('archives.setting.alertPerHourHint')}>
          <input id="archiveAlertPerHour" name="archiveAlertPerHour" type="number" min={1} max={1000} required value={String(s.archiveAlertPerHour)} />
        </Field>
        <button type="submit">{t('settings.save')}</button>
      </form>
    </section>
  );
}

export function PermissionsPage({ frame }: { frame: Frame }) {
  const { t } = frame;
  return (
    <>
      <h1>{t('permissions.title')}</h1>
      <p>{t('permissions.intro')}</p>
      <table class="matrix">
        <thead>
          <tr>
            <th>{t('permissions.area')}</th>
            {ROLES.map((r) => (
              <th scope="col">{t(`role.${r}`)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {PERMISSIONS.map((p) => (
            <tr data-permission={p}>
              <th scope="row">{t(`perm.${p}`)}</th>
              {ROLES.map((r) => (
                <td data-role={r}>{ROLE_PERMISSIONS[r].includes(p) ? '✓' : '—'}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
