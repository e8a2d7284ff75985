// First half of CS2: unsafe requests must come from this site. (The session-bound token is the
// identity issue's.)
import type { MiddlewareHandler } from 'hono';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export function sameOriginOnly(onRefused: MiddlewareHandler): MiddlewareHandler {
  return async (c, next) => {
    if (SAFE.has(c.req.method)) return next();
    const site = c.req.header('Sec-Fetch-Site');
    if (site && site !== 'same-origin') return onRefused(c, next);
    const origin = c.req.header('Origin');
    if (origin && origin !== new URL(c.req.url).origin) return onRefused(c, next);
    return next();
  };
}
