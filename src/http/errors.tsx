/** @jsxImportSource hono/jsx */
import type { Context, ErrorHandler, MiddlewareHandler, NotFoundHandler } from 'hono';
import type { Logger } from '../platform/ports.ts';
import { ErrorPage, MessagePage, NotFoundPage } from '../../views/pages/errors.tsx';
import { newId } from '../crypto/bytes.ts';
import { translator } from '../i18n/index.ts';
import type { AppEnv, StaticUrls } from './env.ts';
import { renderPage } from './render.tsx';

export const notFoundPage =
  (urls: StaticUrls): NotFoundHandler<AppEnv> =>
  (c) =>
    renderPage(c, urls, {
      title: c.get('t')('error.notFound.title'),
      status: 404,
      body: (frame) => <NotFoundPage frame={frame} />,
    });

export function forbiddenPage(c: Context<AppEnv>, urls: StaticUrls, message?: string) {
  return renderPage(c, urls, {
    title: c.get('t')('error.forbidden.title'),
    status: 403,
    body: (frame) => (
      <MessagePage frame={frame} title={frame.t('error.forbidden.title')} body={message ?? frame.t('error.forbidden.body')} />
    ),
  });
}

export const badOriginPage =
  (urls: StaticUrls): MiddlewareHandler<AppEnv> =>
  async (c) =>
    forbiddenPage(c, urls, c.get('t')('error.badOrigin'));

export const expiredFormPage =
  (urls: StaticUrls): MiddlewareHandler<AppEnv> =>
  async (c) =>
    forbiddenPage(c, urls, c.get('t')('form.expired'));

/** HD4: the one handler for the unexpected: log without patient data, show a generic page, never a stack. */
export const errorPage =
  (urls: StaticUrls, log: Logger): ErrorHandler<AppEnv> =>
  (err, c) => {
    const reference = c.get('requestId') ?? newId('req');
    // Only the error's class and where it happened: messages may quote patient data (LG2).
    log.error('request failed', { reference, method: c.req.method, route: c.req.routePath, error: err.name });
    if (!c.get('lang')) {
      c.set('lang', 'en');
      c.set('t', translator('en'));
    }
    return renderPage(c, urls, {
      title: c.get('t')('error.generic.title'),
      status: 500,
      body: (frame) => <ErrorPage frame={frame} reference={reference} />,
    });
  };
