/** @jsxImportSource hono/jsx */
// One helper decides page vs fragment (DESIGN.md): htmx requests get the fragment, everything
// else (including htmx history restores) gets the whole page.
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { Layout } from '../../views/layout.tsx';
import type { Frame, NavItem } from '../../views/frame.ts';
import { dirOf } from '../i18n/index.ts';
import type { AppEnv, StaticUrls } from './env.ts';
import type { Permission } from '../access/permissions.ts';
import type { MessageKey } from '../i18n/index.ts';

type Status = 200 | 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 500 | 503;

/** Navigation, each entry shown only to roles whose permissions include its own. */
export const NAV: { href: string; label: MessageKey; permission: Permission }[] = [
  { href: '/', label: 'nav.home', permission: 'home:view' },
  { href: '/patients', label: 'nav.patients', permission: 'patient:read' },
  { href: '/admin/staff', label: 'nav.staff', permission: 'staff:manage' },
  { href: '/admin/settings', label: 'nav.settings', permission: 'settings:manage' },
  { href: '/admin/audit', label: 'nav.audit', permission: 'audit:read' },
  { href: '/exports', label: 'nav.exports', permission: 'export:archive' },
  { href: '/admin/security', label: 'nav.security', permission: 'security:read' },
  { href: '/admin/forms', label: 'consents.templates.title', permission: 'form:manage' },
  { href: '/admin/permissions', label: 'nav.permissions', permission: 'settings:manage' },
  { href: '/account', label: 'nav.account', permission: 'account:self' },
];

export function isFragmentRequest(c: Context): boolean {
  return c.req.header('HX-Request') === 'true' && c.req.header('HX-History-Restore-Request') !== 'true';
}

export function frameOf(c: Context<AppEnv>, urls: StaticUrls): Frame {
  const lang = c.get('lang');
  const viewer = c.get('viewer');
  const nav: NavItem[] = viewer ? NAV.filter((n) => viewer.permissions.has(n.permission)) : [];
  return {
    lang,
    dir: dirOf(lang),
    t: c.get('t'),
    urls,
    path: new URL(c.req.url).pathname,
    nav,
    brand: viewer?.clinicName ?? c.get('t')('app.name'),
    hasSession: !!c.get('session'),
    ...(c.get('securityUnread') ? { securityUnread: c.get('securityUnread')! } : {}),
    ...(c.get('csrf') ? { csrf: c.get('csrf')! } : {}),
    ...(viewer ? { viewer } : {}),
  };
}

export function renderPage(
  c: Context<AppEnv>,
  urls: StaticUrls,
  opts: { title: string; status?: Status; body: (frame: Frame) => Child },
) {
  const frame = frameOf(c, urls);
  c.header('Vary', 'HX-Request');
  const body = opts.body(frame);
  const status = opts.status ?? 200;
  if (isFragmentRequest(c)) return c.html(<>{body}</>, status);
  return c.html(
    '<!doctype html>' +
      (
        <Layout frame={frame} title={opts.title}>
          {body}
        </Layout>
      ),
    status,
  );
}
