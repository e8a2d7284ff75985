// SE1: `__Host-` cookies (Secure, Path=/, no Domain) wherever the site is served over HTTPS;
// plain names only for plain-HTTP development.
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from './env.ts';

const name = (c: Context<AppEnv>, base: string) => (c.get('secure') ? `__Host-${base}` : base);

export const SESSION_COOKIE = 'invent_sid';
export const ANON_COOKIE = 'invent_anon';

export function readCookie(c: Context<AppEnv>, base: string): string | undefined {
  return getCookie(c, name(c, base));
}

export function writeCookie(c: Context<AppEnv>, base: string, value: string, maxAgeSeconds?: number): void {
  setCookie(c, name(c, base), value, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: c.get('secure'),
    ...(maxAgeSeconds !== undefined ? { maxAge: maxAgeSeconds } : {}),
  });
}

export function clearCookie(c: Context<AppEnv>, base: string): void {
  deleteCookie(c, name(c, base), { path: '/', secure: c.get('secure') });
}
