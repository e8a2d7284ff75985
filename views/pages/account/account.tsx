/** @jsxImportSource hono/jsx */
import type { Frame } from '../../frame.ts';
import type { FieldErrors } from '../../../src/http/forms.ts';
import { Alert, Csrf, Field } from '../../components/form.tsx';

export interface AccountView {
  email: string;
  minPasswordLength: number;
  totpSince?: string;
  recoveryLeft: number;
  twoFactorRequired: boolean;
  clinics: { clinicId: string; name: string; current: boolean }[];
}

export function AccountPage(props: { frame: Frame; view: AccountView; notice?: string; errors?: FieldErrors; problem?: string }) {
  const { t } = props.frame;
  const v = props.view;
  return (
    <>
      <h1>{t('account.title')}</h1>
      {props.notice && <Alert kind="info">{props.notice}</Alert>}
      <section class="card" id="change-password">
        <h2>{t('account.password.title')}</h2>
        {props.problem && <Alert>{props.problem}</Alert>}
        <form method="post" action="/account/password" class="stack">
          <Csrf frame={props.frame} />
          <input type="text" name="username" value={v.email} autocomplete="username" hidden readonly />
          <Field frame={props.frame} name="current" label={t('account.password.current')} error={props.errors?.current}>
            <input id="current" type="password" name="current" autocomplete="current-password" required maxlength={1024} dir="auto" />
          </Field>
          <Field
            frame={props.frame}
            name="password"
            label={t('account.password.new')}
            error={props.errors?.password}
            hint={t('account.password.hint', { min: v.minPasswordLength })}
          >
            <input id="password" type="password" name="password" autocomplete="new-password" required maxlength={1024} dir="auto" />
          </Field>
          <button type="submit">{t('account.password.submit')}</button>
        </form>
      </section>
      <section class="card" id="two-factor">
        <h2>{t('account.2fa.title')}</h2>
        <p data-testid="2fa-status">{v.totpSince ? t('account.2fa.on', { date: v.totpSince, left: v.recoveryLeft }) : t('account.2fa.off')}</p>
        <div class="row">
          {!v.totpSince && <a href="/account/2fa/enrol">{t('account.2fa.enable')}</a>}
          {v.totpSince && (
            <form method="post" action="/account/2fa/recovery-codes" class="inline">
              <Csrf frame={props.frame} />
              <button type="submit" class="secondary">
                {t('account.2fa.regenerate')}
              </button>
            </form>
          )}
          {v.totpSince && !v.twoFactorRequired && <a href="/account/2fa/disable">{t('account.2fa.disable')}</a>}
          {v.totpSince && v.twoFactorRequired && <small class="hint">{t('account.2fa.requiredNoDisable')}</small>}
        </div>
      </section>
      <section class="card" id="sessions">
        <h2>{t('account.sessions.title')}</h2>
        <p>
          <a href="/account/sessions">{t('account.sessions.link')}</a>
        </p>
      </section>
      {v.clinics.length > 1 && (
        <section class="card" id="clinics">
          <h2>{t('account.clinics.title')}</h2>
          <ul>
            {v.clinics.map((c) => (
              <li class="row">
                <span>{c.name}</span>
                {c.current ? (
                  <small class="hint">{t('account.clinics.current')}</small>
                ) : (
                  <form method="post" action="/account/clinic" class="inline">
                    <Csrf frame={props.frame} />
                    <input type="hidden" name="clinic" value={c.clinicId} />
                    <button type="submit" class="secondary">
                      {t('account.clinics.switch')}
                    </button>
                  </form>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

export function DisableTwoFactorPage({ frame }: { frame: Frame }) {
  const { t } = frame;
  return (
    <section class="card narrow">
      <h1>{t('account.2fa.disable')}</h1>
      <p>{t('account.2fa.disableConfirm')}</p>
      <form method="post" action="/account/2fa/disable" class="row">
        <Csrf frame={frame} />
        <button type="submit" class="danger">
          {t('account.2fa.disable')}
        </button>
        <a href="/account">{t('common.cancel')}</a>
      </form>
    </section>
  );
}
