// HD1, HD3, HD4: one place that sets every security header.
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

export const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  frameAncestors: ["'none'"],
  formAction: ["'self'"],
};

export function securityHeaders(opts: { production: boolean }): MiddlewareHandler {
  const headers = secureHeaders({
    contentSecurityPolicy: CSP_DIRECTIVES,
    crossOriginOpenerPolicy: 'same-origin',
    crossOriginResourcePolicy: 'same-origin',
    referrerPolicy: 'no-referrer',
    xFrameOptions: 'DENY',
    // HSTS only where the site is served over HTTPS.
    strictTransportSecurity: opts.production ? 'max-age=63072000; includeSubDomains' : false,
    permissionsPolicy: {
      camera: [],
      microphone: [],
      geolocation: [],
      payment: [],
      usb: [],
    },
    removePoweredBy: true,
  });
  return async (c, next) => {
    await headers(c, next);
    // Nothing but fingerprinted static files may be cached: pages carry patient data (HD3).
    if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store');
    c.res.headers.delete('Server');
  };
}
