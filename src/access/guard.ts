// Every route declares who may reach it (AC1): one of these middlewares comes first in its chain,
// tagged so that a test can walk the route table and find a route without one.
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../http/env.ts';
import type { Permission } from './permissions.ts';
import type { SessionState } from '../auth/sessions.ts';

export const ACCESS = Symbol.for('invent.access');

export type AccessRule =
  | { kind: 'public' }
  | { kind: 'step'; states: SessionState[] }
  | { kind: 'any-session' }
  | { kind: 'permission'; permission: Permission; fresh: boolean };

export type Guard = MiddlewareHandler<AppEnv> & { [ACCESS]: AccessRule };

export interface GuardHooks {
  forbidden(c: Context<AppEnv>): Response | Promise<Response>;
  isFresh(c: Context<AppEnv>): boolean;
}

/** buildApp puts the hooks in every request's context: how to answer 403, how to tell freshness. */
const hooksOf = (c: Context<AppEnv>): GuardHooks => c.get('guard');

function tag(rule: AccessRule, mw: MiddlewareHandler<AppEnv>): Guard {
  return Object.assign(mw, { [ACCESS]: rule });
}

/** Sends the browser somewhere: a 303, or for htmx an HX-Redirect (so the whole page changes). */
export function redirect(c: Context<AppEnv>, to: string): Response {
  if (c.req.header('HX-Request') === 'true') {
    c.header('HX-Redirect', to);
    return c.body(null, 204);
  }
  return c.redirect(to, 303);
}

const STEP_PAGES: Record<Exclude<SessionState, 'active'>, string> = {
  'second-factor': '/sign-in/code',
  enrol: '/sign-in/enrol',
  'pick-clinic': '/sign-in/clinic',
};

/** Where a request without a usable session goes: its own pending step, or sign-in. */
export function toSignIn(c: Context<AppEnv>): Response {
  const state = c.get('session')?.record.state;
  if (state && state !== 'active') return redirect(c, STEP_PAGES[state as keyof typeof STEP_PAGES]);
  const ended = c.get('sessionEnded');
  return redirect(c, ended === 'idle' || ended === 'absolute' ? `/sign-in?ended=${ended}` : '/sign-in');
}

export const open = (): Guard => tag({ kind: 'public' }, (_c, next) => next());

/** Routes of one sign-in step: only a session in that state reaches them. */
export const step = (...states: SessionState[]): Guard =>
  tag({ kind: 'step', states }, async (c, next) => {
    const s = c.get('session');
    if (!s || !states.includes(s.record.state as SessionState)) return toSignIn(c);
    return next();
  });

/** Any session at all, pending or not (signing out). */
export const anySession = (): Guard =>
  tag({ kind: 'any-session' }, async (c, next) => (c.get('session') ? next() : toSignIn(c)));

export const can = (permission: Permission, opts: { fresh?: boolean } = {}): Guard =>
  tag({ kind: 'permission', permission, fresh: !!opts.fresh }, async (c, next) => {
    const viewer = c.get('viewer');
    if (!viewer) return toSignIn(c);
    if (!viewer.permissions.has(permission)) return hooksOf(c).forbidden(c);
    if (opts.fresh && !hooksOf(c).isFresh(c)) {
      // SE6: prove it is still you, then come back here.
      const url = new URL(c.req.url);
      const back = c.req.method === 'GET' ? url.pathname + url.search : '/account';
      return redirect(c, `/reauth?next=${encodeURIComponent(back)}`);
    }
    return next();
  });

export function accessRuleOf(handler: unknown): AccessRule | undefined {
  return (handler as { [ACCESS]?: AccessRule })[ACCESS];
}
