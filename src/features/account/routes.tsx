/** @jsxImportSource hono/jsx */
// A signed-in person's own account: password, two-step verification, sessions, clinic switch,
// and the re-authentication step that guards the sensitive ones (SE6).
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppEnv, StaticUrls } from '../../http/env.ts';
import { renderPage } from '../../http/render.tsx';
import { parseForm, requestInfo, type FieldErrors } from '../../http/forms.ts';
import { can, redirect } from '../../access/guard.ts';
import type { AuthService } from '../../auth/service.ts';
import type { AccountService } from '../../auth/account.ts';
import type { ClinicRegistry } from '../../tenancy/registry.ts';
import { deviceOf, formatDateTime, formatTime } from '../../i18n/format.ts';
import { AccountPage, DisableTwoFactorPage, type AccountView } from '../../../views/pages/account/account.tsx';
import { SessionsPage } from '../../../views/pages/account/sessions.tsx';
import { ReauthPage } from '../../../views/pages/auth/sign-in.tsx';
import { EnrolPage, RecoveryCodesPage } from '../../../views/pages/auth/two-factor.tsx';
import { continueSignIn, enrolView, ISSUER, submitEnrolment } from '../auth/routes.tsx';

export interface AccountRouteDeps {
  urls: StaticUrls;
  auth: AuthService;
  account: AccountService;
  clinics: ClinicRegistry;
}

const passwordSchema = z.object({ username: z.string().max(254).optional(), current: z.string().min(1).max(1024), password: z.string().min(1).max(1024) }).strict();
const reauthSchema = z
  .object({ next: z.string().max(500).optional(), password: z.string().max(1024).optional(), code: z.string().trim().max(10).optional() })
  .strict();
const sessionSchema = z.object({ session: z.string().min(1).max(64) }).strict();
const clinicSchema = z.object({ clinic: z.string().min(1).max(64) }).strict();
const emptySchema = z.object({}).strict();

/** Only local paths: never an open redirect. */
export function safeNext(next: string | undefined, fallback = '/account'): string {
  return next && /^\/(?![/\\])/.test(next) ? next : fallback;
}

export function accountRoutes(deps: AccountRouteDeps) {
  const app = new Hono<AppEnv>();
  const { urls, auth, account } = deps;

  async function view(c: Context<AppEnv>): Promise<AccountView> {
    const { user, record } = c.get('session')!;
    const viewer = c.get('viewer')!;
    const clinic = await deps.clinics.get(viewer.clinicId);
    const memberships = await auth.membershipsOf(user.id);
    const current = memberships.find((m) => m.clinicId === viewer.clinicId);
    return {
      email: user.email,
      minPasswordLength: clinic.settings.minPasswordLength,
      ...(user.totpEnabledAt ? { totpSince: formatDateTime(user.totpEnabledAt, c.get('lang'), clinic.timezone) } : {}),
      recoveryLeft: await account.unusedRecoveryCodes(user.id),
      twoFactorRequired: current ? await auth.requiresTwoFactor(current) : false,
      clinics: memberships.map((m) => ({ clinicId: m.clinicId, name: m.name, current: m.clinicId === record.clinicId })),
    };
  }

  const page = async (c: Context<AppEnv>, opts: { status?: 200 | 400 | 401 | 429; notice?: string; errors?: FieldErrors; problem?: string } = {}) => {
    const v = await view(c);
    return renderPage(c, urls, {
      title: c.get('t')('account.title'),
      ...(opts.status ? { status: opts.status } : {}),
      body: (frame) => (
        <AccountPage frame={frame} view={v} {...(opts.notice ? { notice: opts.notice } : {})} {...(opts.errors ? { errors: opts.errors } : {})} {...(opts.problem ? { problem: opts.problem } : {})} />
      ),
    });
  };

  app.get('/account', can('account:self'), (c) => {
    const t = c.get('t');
    const q = c.req.query();
    const notices: Record<string, string> = {
      recovery: t('recovery.used', { left: Number(q.left) || 0 }),
      password: t('account.password.changed'),
      '2fa-off': t('account.2fa.disabled'),
    };
    const notice = q.notice ? notices[q.notice] : undefined;
    return page(c, notice ? { notice } : {});
  });

  app.post('/account/password', can('account:self'), async (c) => {
    const { user, record } = c.get('session')!;
    const form = await parseForm(c, passwordSchema);
    if (!form.ok) return page(c, { status: 400, errors: form.errors });
    const r = await account.changePassword(user, record, form.data.current, form.data.password, requestInfo(c));
    if (!r.ok) {
      const t = c.get('t');
      const min = (await deps.clinics.get(c.get('viewer')!.clinicId)).settings.minPasswordLength;
      if (r.problem === 'wrong-current') return page(c, { status: 401, errors: { current: 'account.password.wrong' } });
      if (r.problem === 'throttled') return page(c, { status: 429, problem: t('signin.throttled', { time: '15 min' }) });
      return page(c, { status: 400, problem: t(`password.${r.problem}`, { min }) });
    }
    return redirect(c, '/account?notice=password');
  });

  app.get('/reauth', can('account:self'), (c) => {
    const next = safeNext(c.req.query('next'));
    return renderPage(c, urls, {
      title: c.get('t')('reauth.title'),
      body: (frame) => <ReauthPage frame={frame} next={next} hasTotp={!!c.get('session')!.user.totpSecret} />,
    });
  });

  app.post('/reauth', can('account:self'), async (c) => {
    const s = c.get('session')!;
    const form = await parseForm(c, reauthSchema);
    const next = safeNext(form.raw.next);
    const r = form.ok && (form.data.password || form.data.code)
      ? await auth.reauthenticate(s.record, { ...(form.data.password ? { password: form.data.password } : {}), ...(form.data.code ? { code: form.data.code } : {}) }, requestInfo(c))
      : undefined;
    if (!r?.ok) {
      const t = c.get('t');
      const error = r && !r.ok && r.reason === 'throttled' && r.retryAt ? t('signin.throttled', { time: formatTime(r.retryAt, c.get('lang')) }) : t('reauth.invalid');
      return renderPage(c, urls, {
        title: t('reauth.title'),
        status: r && !r.ok && r.reason === 'throttled' ? 429 : 401,
        body: (frame) => <ReauthPage frame={frame} next={next} hasTotp={!!s.user.totpSecret} error={error} />,
      });
    }
    return redirect(c, next);
  });

  app.get('/account/2fa/enrol', can('account:self', { fresh: true }), async (c) => {
    const { user, record } = c.get('session')!;
    const e = await account.beginEnrolment(user, record, ISSUER);
    return renderPage(c, urls, { title: c.get('t')('enrol.title'), body: (frame) => <EnrolPage frame={frame} action="/account/2fa/enrol" enrolment={enrolView(e)} /> });
  });

  app.post('/account/2fa/enrol', can('account:self', { fresh: true }), async (c) => {
    const codes = await submitEnrolment(c, urls, account, { action: '/account/2fa/enrol' });
    if (codes instanceof Response) return codes;
    return renderPage(c, urls, { title: c.get('t')('recovery.title'), body: (frame) => <RecoveryCodesPage frame={frame} codes={codes} next="/account" /> });
  });

  app.post('/account/2fa/recovery-codes', can('account:self', { fresh: true }), async (c) => {
    const { user, record } = c.get('session')!;
    const form = await parseForm(c, emptySchema);
    if (!form.ok || !user.totpSecret) return page(c, { status: 400, problem: c.get('t')('form.invalid') });
    const codes = await account.regenerateRecoveryCodes(user, record, requestInfo(c));
    return renderPage(c, urls, { title: c.get('t')('recovery.title'), body: (frame) => <RecoveryCodesPage frame={frame} codes={codes} next="/account" /> });
  });

  app.get('/account/2fa/disable', can('account:self', { fresh: true }), (c) =>
    renderPage(c, urls, { title: c.get('t')('account.2fa.disable'), body: (frame) => <DisableTwoFactorPage frame={frame} /> }),
  );

  app.post('/account/2fa/disable', can('account:self', { fresh: true }), async (c) => {
    const { user, record } = c.get('session')!;
    if (!user.totpSecret) return redirect(c, '/account');
    const v = await view(c);
    if (v.twoFactorRequired) return page(c, { status: 400, problem: c.get('t')('account.2fa.requiredNoDisable') });
    await account.disableTwoFactor(user.id, { actor: user.id, clinicId: record.clinicId, exceptSession: record.tokenHash }, requestInfo(c));
    return redirect(c, '/account?notice=2fa-off');
  });

  app.get('/account/sessions', can('account:self'), async (c) => {
    const { user, record } = c.get('session')!;
    const lang = c.get('lang');
    const tz = (await deps.clinics.get(c.get('viewer')!.clinicId)).timezone;
    const rows = (await auth.sessions.listOf(user.id)).map((s) => ({
      id: s.id,
      device: deviceOf(s.userAgent),
      ip: s.ip ?? '—',
      started: formatDateTime(s.createdAt, lang, tz),
      lastSeen: formatDateTime(s.lastSeenAt, lang, tz),
      current: s.tokenHash === record.tokenHash,
    }));
    const ended = c.req.query('ended');
    return renderPage(c, urls, {
      title: c.get('t')('account.sessions.title'),
      body: (frame) => <SessionsPage frame={frame} sessions={rows} {...(ended ? { notice: frame.t('account.sessions.ended', { count: Number(ended) || 0 }) } : {})} />,
    });
  });

  app.post('/account/sessions/end', can('account:self'), async (c) => {
    const { user, record } = c.get('session')!;
    const form = await parseForm(c, sessionSchema);
    if (!form.ok || form.data.session === record.id) return redirect(c, '/account/sessions');
    const ended = await auth.sessions.endOwn(user.id, form.data.session);
    if (ended) await auth.events({ type: 'session.end', outcome: 'success', userId: user.id, clinicId: record.clinicId, ...requestInfo(c) });
    return redirect(c, `/account/sessions?ended=${ended ? 1 : 0}`);
  });

  app.post('/account/sessions/end-others', can('account:self'), async (c) => {
    const { user, record } = c.get('session')!;
    const count = await auth.sessions.endAllOf(user.id, record.tokenHash);
    await auth.events({ type: 'session.end', outcome: 'success', userId: user.id, clinicId: record.clinicId, ...requestInfo(c), detail: { count } });
    return redirect(c, `/account/sessions?ended=${count}`);
  });

  // SE3: switching clinic issues a new session; the old one dies.
  app.post('/account/clinic', can('account:self'), async (c) => {
    const form = await parseForm(c, clinicSchema);
    if (!form.ok) return page(c, { status: 400, problem: c.get('t')('form.invalid') });
    const r = await auth.pickClinic(c.get('session')!.record, form.data.clinic, requestInfo(c));
    if (!r.ok) return page(c, { status: 400, problem: c.get('t')('form.invalid') });
    return continueSignIn(c, r);
  });

  return app;
}
