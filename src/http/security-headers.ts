// HD1, HD3, HD4: one place that sets every security header. They are set before the handler runs:
// on @hono/node-server, touching a response's headers afterwards forces a slow path.
import type { MiddlewareHandler } from 'hono';

export const CSP_DIRECTIVES: Record<string, string> = {
  'default-src': "'self'",
  'script-src': "'self'",
  'style-src': "'self'",
  'img-src': "'self' data:",
  'font-src': "'self'",
  'connect-src': "'self'",
  'object-src': "'none'",
  'base-uri': "'none'",
  'frame-ancestors': "'none'",
  'form-action': "'self'",
};

export const CSP = Object.entries(CSP_DIRECTIVES)
  .map(([k, v]) => `${k} ${v}`)
  .join('; ');

const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=()';

export function securityHeaders(opts: { production: boolean }): MiddlewareHandler {
  const headers: [string, string][] = [
    ['Content-Security-Policy', CSP],
    ['X-Content-Type-Options', 'nosniff'],
    ['Referrer-Policy', 'no-referrer'],
    ['Cross-Origin-Opener-Policy', 'same-origin'],
    ['Cross-Origin-Resource-Policy', 'same-origin'],
    ['X-Frame-Options', 'DENY'],
    ['Permissions-Policy', PERMISSIONS_POLICY],
    ['Origin-Agent-Cluster', '?1'],
    // Nothing but fingerprinted static files may be cached: pages carry patient data. Static
    // routes replace this with their own Cache-Control.
    ['Cache-Control', 'no-store'],
  ];
  // HSTS only where the site is served over HTTPS.
  if (opts.production) headers.push(['Strict-Transport-Security', 'max-age=63072000; includeSubDomains']);
  return async (c, next) => {
    for (const [k, v] of headers) c.header(k, v);
    await next();
  };
}
