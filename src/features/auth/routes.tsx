/** @jsxImportSource hono/jsx */
// Signing in and out: password, second factor, clinic, required enrolment, reset links.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { renderSVG } from 'uqr';
import type { AppEnv, StaticUrls } from '../../http/env.ts';
import { renderPage } from '../../http/render.tsx';
import { parseForm, requestInfo } from '../../http/forms.ts';
import { anySession, open, redirect, step } from '../../access/guard.ts';
import { clearCookie, SESSION_COOKIE, writeCookie } from '../../http/cookies.ts';
import type { AuthService, StepResult } from '../../auth/service.ts';
import type { AccountService, Enrolment } from '../../auth/account.ts';
import { formatTime } from '../../i18n/format.ts';
import { enc, encodeBase64 } from '../../crypto/bytes.ts';
import { CodePage, PickClinicPage, ResetPage, SignInPage } from '../../../views/pages/auth/sign-in.tsx';
import { EnrolPage, RecoveryCodesPage, type EnrolView } from '../../../views/pages/auth/two-factor.tsx';
import type { Clock } from '../../platform/ports.ts';

export interface AuthRouteDeps {
  urls: StaticUrls;
  auth: AuthService;
  account: AccountService;
  clock: Clock;
}

const signInSchema = z.object({ email: z.string().trim().min(1).max(254), password: z.string().min(1).max(1024) }).strict();
const codeSchema = z.object({ code: z.string().trim().min(1).max(40) }).strict();
const clinicSchema = z.object({ clinic: z.string().min(1).max(64) }).strict();
const enrolSchema = z.object({ sealed: z.string().min(1).max(500), code: z.string().trim().min(1).max(10) }).strict();
const resetSchema = z.object({ username: z.string().max(254).optional(), password: z.string().min(1).max(1024) }).strict();

export const ISSUER = 'Invent Medical';

export function qrDataUri(uri: string): string {
  return `data:image/svg+xml;base64,${encodeBase64(enc(renderSVG(uri, { border: 1 })))}`;
}

export const enrolView = (e: Enrolment): EnrolView => ({ qr: qrDataUri(e.uri), manualKey: e.manualKey, sealed: e.sealed });

/**
 * The enrolment form's submission (sign-in step and account page alike): the recovery codes when
 * the code matches the sealed secret, otherwise the form again (same secret) with a 400.
 */
export async function submitEnrolment(
  c: Context<AppEnv>,
  urls: StaticUrls,
  account: AccountService,
  opts: { action: string; required?: boolean },
): Promise<string[] | Response> {
  const { user, record } = c.get('session')!;
  const form = await parseForm(c, enrolSchema);
  const codes = form.ok ? await account.confirmEnrolment(user, record, form.data.sealed, form.data.code, requestInfo(c)) : undefined;
  if (codes) return codes;
  const again = (form.ok && (await account.resumeEnrolment(user, record, form.data.sealed, ISSUER))) || (await account.beginEnrolment(user, record, ISSUER));
  return renderPage(c, urls, {
    title: c.get('t')('enrol.title'),
    status: 400,
    body: (frame) => (
      <EnrolPage frame={frame} action={opts.action} enrolment={enrolView(again)} required={!!opts.required} error={frame.t('enrol.invalid')} />
    ),
  });
}

/** Puts the new session token in the cookie and goes to where the session now stands. */
export function continueSignIn(c: Context<AppEnv>, result: Extract<StepResult, { ok: true }>): Response {
  writeCookie(c, SESSION_COOKIE, result.token);
  const next: Record<string, string> = {
    'second-factor': '/sign-in/code',
    'pick-clinic': '/sign-in/clinic',
    enrol: '/sign-in/enrol',
    active: result.recoveryCodeUsed ? `/account?notice=recovery&left=${result.recoveryCodeUsed.left}` : '/',
  };
  return redirect(c, next[result.record.state] ?? '/');
}

export function authRoutes(deps: AuthRouteDeps) {
  const app = new Hono<AppEnv>();
  const { urls, auth, account } = deps;
  const title = (c: Context<AppEnv>, key: Parameters<AppEnv['Variables']['t']>[0]) => c.get('t')(key);

  const failure = (c: Context<AppEnv>, r: Extract<StepResult, { ok: false }>, invalidKey: 'signin.failed' | 'code.invalid') => {
    const t = c.get('t');
    if (r.reason === 'throttled' && r.retryAt) return t('signin.throttled', { time: formatTime(r.retryAt, c.get('lang')) });
    if (r.reason === 'no-clinic') return t('signin.noClinic');
    return t(invalidKey);
  };

  app.get('/sign-in', open(), (c) => {
    if (c.get('viewer')) return c.redirect('/', 303);
    const ended = c.req.query('ended');
    const reset = c.req.query('reset');
    const t = c.get('t');
    const notice = ended === 'idle' ? t('signin.ended.idle') : ended === 'absolute' ? t('signin.ended.absolute') : reset === 'done' ? t('signin.reset.done') : undefined;
    return renderPage(c, urls, { title: title(c, 'signin.title'), body: (frame) => <SignInPage frame={frame} {...(notice ? { notice } : {})} /> });
  });

  app.post('/sign-in', open(), async (c) => {
    const form = await parseForm(c, signInSchema);
    const show = (status: 400 | 401 | 429, error: string) =>
      renderPage(c, urls, {
        title: title(c, 'signin.title'),
        status,
        body: (frame) => <SignInPage frame={frame} email={(form.raw.email ?? '').slice(0, 254)} error={error} />,
      });
    if (!form.ok) return show(400, c.get('t')(form.errors._form ?? 'signin.failed'));
    // A new sign-in replaces whatever session this browser had.
    const prior = c.get('session');
    if (prior) await auth.sessions.end(prior.record.tokenHash);
    const r = await auth.passwordStep(form.data.email, form.data.password, requestInfo(c));
    if (!r.ok) return show(r.reason === 'throttled' ? 429 : 401, failure(c, r, 'signin.failed'));
    return continueSignIn(c, r);
  });

  app.get('/sign-in/code', step('second-factor'), (c) =>
    renderPage(c, urls, { title: title(c, 'code.title'), body: (frame) => <CodePage frame={frame} /> }),
  );

  app.post('/sign-in/code', step('second-factor'), async (c) => {
    const form = await parseForm(c, codeSchema);
    const show = (status: 400 | 401 | 429, error: string) =>
      renderPage(c, urls, { title: title(c, 'code.title'), status, body: (frame) => <CodePage frame={frame} error={error} /> });
    if (!form.ok) return show(400, c.get('t')('code.invalid'));
    const r = await auth.secondFactorStep(c.get('session')!.record, form.data.code, requestInfo(c));
    if (!r.ok) return show(r.reason === 'throttled' ? 429 : 401, failure(c, r, 'code.invalid'));
    return continueSignIn(c, r);
  });

  app.get('/sign-in/clinic', step('pick-clinic'), async (c) => {
    const clinics = await auth.membershipsOf(c.get('session')!.user.id);
    return renderPage(c, urls, { title: title(c, 'clinic.title'), body: (frame) => <PickClinicPage frame={frame} clinics={clinics} /> });
  });

  app.post('/sign-in/clinic', step('pick-clinic'), async (c) => {
    const form = await parseForm(c, clinicSchema);
    const session = c.get('session')!;
    const r = form.ok ? await auth.pickClinic(session.record, form.data.clinic, requestInfo(c)) : undefined;
    if (!r?.ok) {
      const clinics = await auth.membershipsOf(session.user.id);
      return renderPage(c, urls, {
        title: title(c, 'clinic.title'),
        status: 400,
        body: (frame) => <PickClinicPage frame={frame} clinics={clinics} error={frame.t('form.invalid')} />,
      });
    }
    return continueSignIn(c, r);
  });

  // A person whose clinic requires 2FA for their role and who has none reaches only this (AU6).
  app.get('/sign-in/enrol', step('enrol'), async (c) => {
    const { user, record } = c.get('session')!;
    const e = await account.beginEnrolment(user, record, ISSUER);
    return renderPage(c, urls, {
      title: title(c, 'enrol.title'),
      body: (frame) => <EnrolPage frame={frame} action="/sign-in/enrol" enrolment={enrolView(e)} required />,
    });
  });

  app.post('/sign-in/enrol', step('enrol'), async (c) => {
    const { record } = c.get('session')!;
    const codes = await submitEnrolment(c, urls, account, { action: '/sign-in/enrol', required: true });
    if (codes instanceof Response) return codes;
    // Enrolled: a new session token for the now fully signed-in session (SE3).
    const next = await auth.sessions.rotate(record, { state: 'active', reauthAt: deps.clock.now().toISOString() });
    writeCookie(c, SESSION_COOKIE, next.token);
    return renderPage(c, urls, { title: title(c, 'recovery.title'), body: (frame) => <RecoveryCodesPage frame={frame} codes={codes} next="/" /> });
  });

  app.post('/sign-out', anySession(), async (c) => {
    const s = c.get('session')!;
    await auth.sessions.end(s.record.tokenHash);
    await auth.events({ type: 'sign-out', outcome: 'success', userId: s.user.id, clinicId: s.record.clinicId, ...requestInfo(c) });
    clearCookie(c, SESSION_COOKIE);
    return redirect(c, '/sign-in');
  });

  app.post('/sign-out/everywhere', anySession(), async (c) => {
    const s = c.get('session')!;
    const count = await auth.sessions.endAllOf(s.user.id);
    await auth.events({ type: 'sign-out', outcome: 'success', userId: s.user.id, clinicId: s.record.clinicId, ...requestInfo(c), detail: { everywhere: true, count } });
    clearCookie(c, SESSION_COOKIE);
    return redirect(c, '/sign-in');
  });

  // AU11: administrator-started reset and account set-up links.
  app.get('/reset/:token', open(), async (c) => {
    const found = await account.findResetLink(c.req.param('token'));
    const minLength = found ? await account.minPasswordLength(found.user.id) : 12;
    return renderPage(c, urls, {
      title: title(c, 'reset.title'),
      status: found ? 200 : 404,
      body: (frame) => <ResetPage frame={frame} token={c.req.param('token')} minLength={minLength} {...(found ? { email: found.user.email } : {})} />,
    });
  });

  app.post('/reset/:token', open(), async (c) => {
    const token = c.req.param('token');
    const form = await parseForm(c, resetSchema);
    const found = await account.findResetLink(token);
    const minLength = found ? await account.minPasswordLength(found.user.id) : 12;
    const show = (status: 400 | 404, problem?: string, errors?: Record<string, never>) =>
      renderPage(c, urls, {
        title: title(c, 'reset.title'),
        status,
        body: (frame) => (
          <ResetPage frame={frame} token={token} minLength={minLength} {...(found ? { email: found.user.email } : {})} {...(problem ? { problem } : {})} {...(errors ? { errors } : {})} />
        ),
      });
    if (!found) return show(404);
    if (!form.ok) return show(400, c.get('t')(form.errors.password ?? form.errors._form ?? 'form.invalid'));
    const r = await account.useResetLink(token, form.data.password, requestInfo(c));
    if (!r.ok) return show(r.problem === 'invalid-link' ? 404 : 400, r.problem === 'invalid-link' ? undefined : c.get('t')(`password.${r.problem}`, { min: minLength }));
    return c.redirect('/sign-in?reset=done', 303);
  });

  return app;
}
