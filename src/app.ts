// buildApp(deps) -> Hono. Mounts every feature; imports no runtime API, so the same app runs on
// Node, Deno, Bun and Workers.
import { Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { AppConfig } from './config.ts';
import type { Clock, Logger } from './platform/ports.ts';
import type { ControlDb } from './tenancy/db.ts';
import type { ClinicRegistry } from './tenancy/registry.ts';
import type { System } from './tenancy/system.ts';
import type { AppEnv } from './http/env.ts';
import { isLang, negotiateLang, translator } from './i18n/index.ts';
import { securityHeaders } from './http/security-headers.ts';
import { loadStatic, staticRoutes, type StaticBundle } from './http/static.ts';
import { sameOriginOnly } from './http/origin.ts';
import { newId } from './crypto/bytes.ts';
import { badOriginPage, errorPage, notFoundPage } from './http/errors.tsx';
import { pagesRoutes } from './features/pages/routes.tsx';

export interface AppDeps {
  config: Pick<AppConfig, 'production'>;
  clock: Clock;
  log: Logger;
  static: StaticBundle;
  /** Absent where this target cannot open databases yet (Workers): data routes answer 503. */
  data?: { control: ControlDb; clinics: ClinicRegistry };
}

export { loadStatic };

export function buildApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const urls = deps.static.urls;

  app.use(async (c, next) => {
    c.set('requestId', newId('req'));
    const lang = negotiateLang(getCookie(c, 'lang'), c.req.header('Accept-Language'));
    c.set('lang', lang);
    c.set('t', translator(lang));
    await next();
  });
  app.use(securityHeaders({ production: deps.config.production }));
  app.use(sameOriginOnly(badOriginPage(urls)));

  app.route('/static', staticRoutes(deps.static));

  app.get('/healthz', async (c) => {
    if (!deps.data) return c.text('not available on this target', 503);
    try {
      await deps.data.control.run('SELECT 1' as never);
      return c.text('ok');
    } catch {
      return c.text('unavailable', 503);
    }
  });

  // Language choice: a POST (GET never changes state) that sets a cookie and goes back.
  app.post('/lang', async (c) => {
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const lang = form['lang'];
    const next = typeof form['next'] === 'string' && /^\/(?![/\\])/.test(form['next']) ? form['next'] : '/';
    if (isLang(lang)) {
      setCookie(c, 'lang', lang, {
        path: '/',
        sameSite: 'Lax',
        httpOnly: true,
        secure: deps.config.production,
        maxAge: 60 * 60 * 24 * 365,
      });
    }
    return c.redirect(next, 303);
  });

  app.route('/', pagesRoutes({ urls, data: deps.data }));

  app.notFound(notFoundPage(urls));
  app.onError(errorPage(urls, deps.log));

  return app;
}

/** The app over an opened installation (self-host runtimes and tests). */
export async function appFromSystem(system: System): Promise<Hono<AppEnv>> {
  const { platform, config } = system;
  return buildApp({
    config,
    clock: platform.clock,
    log: platform.log,
    static: await loadStatic(platform.assets),
    data: { control: system.control, clinics: system.clinics },
  });
}
