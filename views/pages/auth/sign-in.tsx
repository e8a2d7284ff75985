/** @jsxImportSource hono/jsx */
// The sign-in steps that ask for something typed: password, code, clinic, re-authentication, reset.
import type { Frame } from '../../frame.ts';
import type { FieldErrors } from '../../../src/http/forms.ts';
import { Alert, Csrf, Field } from '../../components/form.tsx';

export function SignInPage(props: { frame: Frame; email?: string; error?: string; notice?: string }) {
  const { t } = props.frame;
  return (
    <section class="card narrow">
      <h1>{t('signin.title')}</h1>
      <p>{t('signin.intro')}</p>
      {props.notice && <Alert kind="info">{props.notice}</Alert>}
      {props.error && <Alert>{props.error}</Alert>}
      <form method="post" action="/sign-in" class="stack">
        <Csrf frame={props.frame} />
        <Field frame={props.frame} name="email" label={t('signin.email')}>
          <input id="email" type="email" name="email" autocomplete="username" required maxlength={254} value={props.email ?? ''} dir="ltr" />
        </Field>
        <Field frame={props.frame} name="password" label={t('signin.password')}>
          <input id="password" type="password" name="password" autocomplete="current-password" required maxlength={1024} dir="auto" />
        </Field>
        <button type="submit">{t('signin.submit')}</button>
      </form>
    </section>
  );
}

export function CodePage(props: { frame: Frame; error?: string }) {
  const { t } = props.frame;
  return (
    <section class="card narrow">
      <h1>{t('code.title')}</h1>
      <p>{t('code.intro')}</p>
      {props.error && <Alert>{props.error}</Alert>}
      <form method="post" action="/sign-in/code" class="stack">
        <Csrf frame={props.frame} />
        <Field frame={props.frame} name="code" label={t('code.label')}>
          <input id="code" name="code" inputmode="text" autocomplete="one-time-code" required maxlength={40} dir="ltr" autofocus />
        </Field>
        <button type="submit">{t('code.submit')}</button>
      </form>
      <form method="post" action="/sign-out" class="inline">
        <Csrf frame={props.frame} />
        <button type="submit" class="link">
          {t('code.cancel')}
        </button>
      </form>
    </section>
  );
}

export function PickClinicPage(props: { frame: Frame; clinics: { clinicId: string; name: string }[]; error?: string }) {
  const { t } = props.frame;
  return (
    <section class="card narrow">
      <h1>{t('clinic.title')}</h1>
      <p>{t('clinic.intro')}</p>
      {props.error && <Alert>{props.error}</Alert>}
      {props.clinics.map((c) => (
        <form method="post" action="/sign-in/clinic" class="row">
          <Csrf frame={props.frame} />
          <input type="hidden" name="clinic" value={c.clinicId} />
          <button type="submit">{c.name}</button>
        </form>
      ))}
    </section>
  );
}

export function ReauthPage(props: { frame: Frame; next: string; hasTotp: boolean; error?: string }) {
  const { t } = props.frame;
  return (
    <section class="card narrow">
      <h1>{t('reauth.title')}</h1>
      <p>{t('reauth.intro')}</p>
      {props.error && <Alert>{props.error}</Alert>}
      <form method="post" action="/reauth" class="stack">
        <Csrf frame={props.frame} />
        <input type="hidden" name="next" value={props.next} />
        <Field frame={props.frame} name="password" label={t('reauth.password')}>
          <input id="password" type="password" name="password" autocomplete="current-password" maxlength={1024} dir="auto" />
        </Field>
        {props.hasTotp && (
          <Field frame={props.frame} name="code" label={t('reauth.code')}>
            <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength={10} dir="ltr" />
          </Field>
        )}
        <button type="submit">{t('reauth.submit')}</button>
      </form>
    </section>
  );
}

export function ResetPage(props: { frame: Frame; token: string; email?: string; minLength: number; errors?: FieldErrors; problem?: string }) {
  const { t } = props.frame;
  if (!props.email) {
    return (
      <section class="card narrow">
        <h1>{t('reset.title')}</h1>
        <Alert>{t('reset.invalid')}</Alert>
      </section>
    );
  }
  return (
    <section class="card narrow">
      <h1>{t('reset.title')}</h1>
      <p>{t('reset.intro', { email: props.email })}</p>
      {props.problem && <Alert>{props.problem}</Alert>}
      <form method="post" action={`/reset/${props.token}`} class="stack">
        <Csrf frame={props.frame} />
        <input type="text" name="username" value={props.email} autocomplete="username" hidden readonly />
        <Field frame={props.frame} name="password" label={t('account.password.new')} error={props.errors?.password} hint={t('account.password.hint', { min: props.minLength })}>
          <input id="password" type="password" name="password" autocomplete="new-password" required maxlength={1024} dir="auto" />
        </Field>
        <button type="submit">{t('reset.submit')}</button>
      </form>
    </section>
  );
}
