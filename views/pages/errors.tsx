/** @jsxImportSource hono/jsx */
import type { Frame } from '../frame.ts';

export function NotFoundPage({ frame }: { frame: Frame }) {
  const { t } = frame;
  return (
    <section class="card narrow">
      <h1>{t('error.notFound.title')}</h1>
      <p>{t('error.notFound.body')}</p>
      <p>
        <a href="/">{t('error.backHome')}</a>
      </p>
    </section>
  );
}

export function ErrorPage({ frame, reference }: { frame: Frame; reference: string }) {
  const { t } = frame;
  return (
    <section class="card narrow">
      <h1>{t('error.generic.title')}</h1>
      <p>{t('error.generic.body', { ref: reference })}</p>
      <p>
        <a href="/">{t('error.backHome')}</a>
      </p>
    </section>
  );
}

export function MessagePage({ frame, title, body }: { frame: Frame; title: string; body: string }) {
  return (
    <section class="card narrow">
      <h1>{title}</h1>
      <p>{body}</p>
      <p>
        <a href="/">{frame.t('error.backHome')}</a>
      </p>
    </section>
  );
}
