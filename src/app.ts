// buildApp(deps) -> Hono. Mounts every feature; imports no runtime API, so the same app runs on
// Node, Deno, Bun and Workers.
import { Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { AppConfig } from './config.ts';
import type { Clock, Logger } from './platform/ports.ts';
import type { ControlDb } from './tenancy/db.ts';
import type { ClinicRegistry } from './tenancy/registry.ts';
import type { InstallSecrets } from './crypto/keys.ts';
import type { AppEnv } from './http/env.ts';
import { isLang, negotiateLang, translator } from './i18n/index.ts';
import { securityHeaders } from './http/security-headers.ts';
import { loadStatic, staticRoutes, type StaticBundle } from './http/static.ts';
import { sameOriginOnly } from './http/origin.ts';
import { sessionMiddleware } from './http/session.ts';
import { csrfProtection } from './http/csrf.ts';
import { newId } from './crypto/bytes.ts';
import { badOriginPage, errorPage, expiredFormPage, forbiddenPage, notFoundPage } from './http/errors.tsx';
import { open, type GuardHooks } from './access/guard.ts';
import type { AuthService } from './auth/service.ts';
import type { AccountService } from './auth/account.ts';
import type { AuditSink } from './audit/context.ts';
import { auditMiddleware } from './audit/middleware.ts';
import type { SecurityEventService } from './features/security/service.ts';
import type { StaffService } from './features/staff/service.ts';
import type { SettingsService } from './features/settings/service.ts';
import type { PatientService } from './features/patients/service.ts';
import type { ClinicalService } from './features/clinical/service.ts';
import type { BreakGlassService } from './features/break-glass/service.ts';
import type { PrescriptionService } from './features/prescriptions/service.ts';
import { prescriptionRoutes } from './features/prescriptions/routes.tsx';
import { dentalRoutes } from './features/dental/routes.tsx';
import { documentRoutes } from './features/documents/routes.tsx';
import { archiveRoutes } from './features/archives/routes.tsx';
import { formRoutes } from './features/forms/routes.tsx';
import { breakGlassRoutes } from './features/break-glass/routes.tsx';
import { staffRoutes } from './features/staff/routes.tsx';
import { settingsRoutes } from './features/settings/routes.tsx';
import { patientRoutes } from './features/patients/routes.tsx';
import { clinicalRoutes } from './features/clinical/routes.tsx';
import { securityRoutes } from './features/security/routes.tsx';
import { auditRoutes } from './features/audit/routes.tsx';
import { archiveVerifyRoutes } from './features/archive-verify/routes.tsx';
import { homeRoutes, unavailableRoutes } from './features/pages/routes.tsx';
import { authRoutes } from './features/auth/routes.tsx';
import { accountRoutes } from './features/account/routes.tsx';

/** What the app needs of an opened installation (see system-app.ts). Services come built, so
 * that targets without databases (Workers) do not bundle them. */
export interface AppServices {
  control: ControlDb;
  clinics: ClinicRegistry;
  secrets: InstallSecrets;
  auth: AuthService;
  account: AccountService;
  audit: AuditSink;
  security: SecurityEventService;
  staff: StaffService;
  settings: SettingsService;
  patients: PatientService;
  breakGlass: BreakGlassService;
  prescriptions: PrescriptionService;
  clinical: ClinicalService;
  /** The dental chart (src/features/dental). */
  dental: import('./features/dental/service.ts').DentalService;
  /** Attachments: upload, list, preview, download (src/features/documents). */
  documents: import('./features/documents/service.ts').DocumentService;
  /** Patient archives and the Exports page (src/features/archives). */
  archives: import('./features/archives/service.ts').ArchiveService;
  /** Background jobs (archives): enqueue, and read a job's progress. */
  jobs: import('./platform/job-queue.ts').JobQueue & import('./platform/job-queue.ts').JobStatusReader;
  /** Consent and form templates, and the records patients sign (src/features/forms). */
  forms: import('./features/forms/routes.tsx').FormServices;
}

export interface AppDeps {
  config: Pick<AppConfig, 'production'>;
  clock: Clock;
  log: Logger;
  static: StaticBundle;
  /** Absent where this target cannot open databases yet (Workers): nobody can sign in there. */
  data?: AppServices;
}

export { loadStatic };

export function buildApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const urls = deps.static.urls;
  const { data, clock } = deps;
  const auth = data?.auth;
  const account = data?.account;
  const guard: GuardHooks = {
    forbidden: (c) => forbiddenPage(c, urls),
    isFresh: (c) => {
      const s = c.get('session');
      return !!(s && auth?.isFresh(s.record));
    },
  };

  app.use(async (c, next) => {
    c.set('requestId', newId('req'));
    const lang = negotiateLang(getCookie(c, 'lang'), c.req.header('Accept-Language'));
    c.set('lang', lang);
    c.set('t', translator(lang));
    c.set('guard', guard);
    c.set('secure', deps.config.production || new URL(c.req.url).protocol === 'https:');
    await next();
  });
  app.use(securityHeaders({ production: deps.config.production }));
  app.use(sameOriginOnly(badOriginPage(urls)));

  app.route('/static', staticRoutes(deps.static));

  app.get('/healthz', open(), async (c) => {
    if (!data) return c.text('not available on this target', 503);
    try {
      await data.control.run('SELECT 1' as never);
      return c.text('ok');
    } catch {
      return c.text('unavailable', 503);
    }
  });

  if (data && auth && account) {
    app.use(sessionMiddleware({ auth, clinics: data.clinics, clock }));
    // Outside CSRF, so that refused forms of signed-in people are recorded too.
    app.use(auditMiddleware(data.audit));
    app.use(async (c, next) => {
      const viewer = c.get('viewer');
      if (viewer?.permissions.has('security:read')) c.set('securityUnread', await data.security.unreviewed(viewer.clinicId));
      await next();
    });
    app.use(csrfProtection(data.secrets.csrf, expiredFormPage(urls)));
  }

  // Language choice: a POST (GET never changes state) that sets a cookie and goes back.
  app.post('/lang', open(), async (c) => {
    const form = await c.req.parseBody({ all: true }).catch(() => ({}) as Record<string, unknown>);
    const lang = form['lang'];
    const next = typeof form['next'] === 'string' && /^\/(?![/\\])/.test(form['next']) ? form['next'] : '/';
    if (isLang(lang)) {
      setCookie(c, 'lang', lang, { path: '/', sameSite: 'Lax', httpOnly: true, secure: c.get('secure'), maxAge: 60 * 60 * 24 * 365 });
    }
    return c.redirect(next, 303);
  });

  if (data && auth && account) {
    app.route('/', homeRoutes(urls));
    app.route('/', authRoutes({ urls, auth, account, clock }));
    app.route('/', accountRoutes({ urls, auth, account, clinics: data.clinics }));
    app.route('/', staffRoutes({ urls, staff: data.staff }));
    app.route('/', settingsRoutes({ urls, settings: data.settings }));
    app.route('/', patientRoutes({ urls, patients: data.patients, clinics: data.clinics, breakGlass: data.breakGlass, clinical: data.clinical }));
    app.route('/', clinicalRoutes({ urls, clinical: data.clinical, clinics: data.clinics, clock }));
    app.route('/', prescriptionRoutes({ urls, prescriptions: data.prescriptions, patients: data.patients, clinics: data.clinics, breakGlass: data.breakGlass }));
    app.route('/', dentalRoutes({ urls, dental: data.dental, patients: data.patients, clinics: data.clinics, breakGlass: data.breakGlass }));
    app.route('/', archiveRoutes({ urls, archives: data.archives, patients: data.patients, clinics: data.clinics }));
    app.route('/', documentRoutes({ urls, documents: data.documents, patients: data.patients, clinics: data.clinics, breakGlass: data.breakGlass }));
    app.route('/', formRoutes({ urls, forms: data.forms, patients: data.patients, clinics: data.clinics, breakGlass: data.breakGlass }));
    app.route('/', breakGlassRoutes({ urls, breakGlass: data.breakGlass, patients: data.patients, staff: data.staff, clinics: data.clinics }));
    app.route('/', securityRoutes({ urls, security: data.security, clinics: data.clinics, audit: data.audit }));
    app.route('/', auditRoutes({ urls, clinics: data.clinics, staff: data.staff, audit: data.audit }));
    app.route('/', archiveVerifyRoutes({ urls, clinics: data.clinics }));
  } else {
    app.route('/', unavailableRoutes(urls));
  }

  app.notFound(notFoundPage(urls));
  app.onError(errorPage(urls, deps.log));

  return app;
}
