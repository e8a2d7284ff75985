// CS2, second half: every unsafe request carries a token bound to its session (hidden `_csrf`
// field in forms, `X-CSRF-Token` header from htmx). Visitors without a session get an anonymous
// id cookie that their token is bound to instead, so that the sign-in form is covered too.
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.ts';
import { b64url, enc, newToken, timingSafeEqual } from '../crypto/bytes.ts';
import { ANON_COOKIE, readCookie, writeCookie } from './cookies.ts';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';

async function tokenFor(key: CryptoKey, binding: string): Promise<string> {
  return b64url(new Uint8Array(await crypto.subtle.sign('HMAC', key, enc(binding) as BufferSource)));
}

export function csrfProtection(key: CryptoKey, onRefused: MiddlewareHandler<AppEnv>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const session = c.get('session');
    let binding: string | undefined;
    if (session) binding = `session:${session.record.tokenHash}`;
    else {
      let anon = readCookie(c, ANON_COOKIE);
      if (anon && !/^[A-Za-z0-9_-]{43}$/.test(anon)) anon = undefined;
      if (!anon && SAFE.has(c.req.method)) {
        anon = newToken();
        writeCookie(c, ANON_COOKIE, anon);
      }
      if (anon) binding = `anon:${anon}`;
    }
    const expected = binding ? await tokenFor(key, binding) : undefined;
    if (expected) c.set('csrf', expected);
    if (SAFE.has(c.req.method)) return next();

    let given = c.req.header(CSRF_HEADER);
    const type = c.req.header('Content-Type') ?? '';
    if (!given && type.startsWith('application/x-www-form-urlencoded')) {
      // `all: true` as every later reader asks: Hono caches the first parse, options included.
      const body = await c.req.parseBody({ all: true }).catch(() => ({}) as Record<string, unknown>);
      const field = body[CSRF_FIELD];
      if (typeof field === 'string') given = field;
    }
    if (!given && type.startsWith('multipart/form-data')) {
      // Large uploads are not buffered here to find a field: the token rides in the action URL.
      given = new URL(c.req.url).searchParams.get(CSRF_FIELD) ?? undefined;
    }
    if (!expected || !given || !timingSafeEqual(enc(given), enc(expected))) return onRefused(c, next);
    return next();
  };
}
