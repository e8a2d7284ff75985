// First half of CS2: unsafe requests must come from this site. Browsers that send
// Sec-Fetch-Site are judged by it alone (with Referrer-Policy: no-referrer, Chromium sends
// `Origin: null` on same-origin form posts); older ones by Origin.
import type { MiddlewareHandler } from 'hono';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export function sameOriginOnly(onRefused: MiddlewareHandler): MiddlewareHandler {
  return async (c, next) => {
    if (SAFE.has(c.req.method)) return next();
    const site = c.req.header('Sec-Fetch-Site');
    if (site !== undefined) return site === 'same-origin' ? next() : onRefused(c, next);
    const origin = c.req.header('Origin');
    if (origin !== undefined && origin !== new URL(c.req.url).origin) return onRefused(c, next);
    return next();
  };
}
