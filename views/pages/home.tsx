/** @jsxImportSource hono/jsx */
import type { Frame } from '../frame.ts';

export function HomePage({ frame }: { frame: Frame }) {
  const { t, viewer } = frame;
  return (
    <section>
      <h1>{t('home.title')}</h1>
      {viewer && <p>{t('home.welcome', { name: viewer.name })}</p>}
    </section>
  );
}
