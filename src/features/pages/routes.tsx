/** @jsxImportSource hono/jsx */
// The home page, and the stand-ins used where this target has no databases (Workers, for now).
import { Hono } from 'hono';
import type { AppEnv, StaticUrls } from '../../http/env.ts';
import { renderPage } from '../../http/render.tsx';
import { can, open } from '../../access/guard.ts';
import { HomePage } from '../../../views/pages/home.tsx';
import { SignInPage } from '../../../views/pages/auth/sign-in.tsx';

export function homeRoutes(urls: StaticUrls) {
  const app = new Hono<AppEnv>();
  app.get('/', can('home:view'), (c) =>
    renderPage(c, urls, { title: c.get('t')('home.title'), body: (frame) => <HomePage frame={frame} /> }),
  );
  return app;
}

/** Without databases nobody can sign in; the pages still render and say so. */
export function unavailableRoutes(urls: StaticUrls) {
  const app = new Hono<AppEnv>();
  app.get('/', open(), (c) => c.redirect('/sign-in', 303));
  app.get('/sign-in', open(), (c) =>
    renderPage(c, urls, { title: c.get('t')('signin.title'), body: (frame) => <SignInPage frame={frame} /> }),
  );
  app.post('/sign-in', open(), (c) =>
    renderPage(c, urls, {
      title: c.get('t')('signin.title'),
      status: 503,
      body: (frame) => <SignInPage frame={frame} error={frame.t('signin.unavailable')} />,
    }),
  );
  return app;
}
