/** @jsxImportSource hono/jsx */
// Home and sign-in. Sign-in here is a placeholder; the identity issue makes it real.
import { Hono } from 'hono';
import type { AppEnv, StaticUrls } from '../../http/env.ts';
import { renderPage } from '../../http/render.tsx';
import { HomePage } from '../../../views/pages/home.tsx';
import { SignInPage } from '../../../views/pages/sign-in.tsx';

export function pagesRoutes(opts: { urls: StaticUrls; data?: unknown }) {
  const app = new Hono<AppEnv>();
  const { urls } = opts;

  app.get('/', (c) => {
    if (!c.get('viewer')) return c.redirect('/sign-in', 303);
    return renderPage(c, urls, { title: c.get('t')('home.title'), body: (frame) => <HomePage frame={frame} /> });
  });

  app.get('/sign-in', (c) =>
    renderPage(c, urls, { title: c.get('t')('signin.title'), body: (frame) => <SignInPage frame={frame} /> }),
  );

  app.post('/sign-in', async (c) => {
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const email = typeof form['email'] === 'string' ? form['email'].slice(0, 254) : '';
    return renderPage(c, urls, {
      title: c.get('t')('signin.title'),
      status: 503,
      body: (frame) => <SignInPage frame={frame} email={email} error={frame.t('signin.unavailable')} />,
    });
  });

  return app;
}
