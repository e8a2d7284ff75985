/** @jsxImportSource hono/jsx */
import type { Frame } from '../frame.ts';

export function SignInPage(props: { frame: Frame; email?: string; error?: string }) {
  const { t } = props.frame;
  return (
    <section class="card narrow">
      <h1>{t('signin.title')}</h1>
      <p>{t('signin.intro')}</p>
      {props.error && (
        <p class="alert" role="alert">
          {props.error}
        </p>
      )}
      <form method="post" action="/sign-in" class="stack">
        <label>
          {t('signin.email')}
          <input type="email" name="email" autocomplete="username" required maxlength={254} value={props.email ?? ''} dir="ltr" />
        </label>
        <label>
          {t('signin.password')}
          <input type="password" name="password" autocomplete="current-password" required maxlength={128} dir="auto" />
        </label>
        <button type="submit">{t('signin.submit')}</button>
      </form>
    </section>
  );
}
