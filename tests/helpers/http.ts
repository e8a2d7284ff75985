// A small browser stand-in over app.request(): keeps cookies, finds the CSRF token on the last
// page, sends what a same-origin browser form post sends.
import type { Hono } from 'hono';
import type { AppEnv } from '../../src/http/env.ts';

export const ORIGIN = 'http://localhost';

export class Client {
  cookies = new Map<string, string>();
  csrf: string | undefined;
  lastHtml = '';

  constructor(
    private readonly app: Hono<AppEnv>,
    private readonly env: Record<string, unknown> = { remoteAddr: '192.0.2.10' },
  ) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /max-age=0/i.test(a.trim()) || /expires=Thu, 01 Jan 1970/i.test(a.trim()));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(path: string, init: RequestInit & { htmx?: boolean } = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('Cookie', this.cookieHeader());
    if (init.htmx) headers.set('HX-Request', 'true');
    const res = await this.app.request(`${ORIGIN}${path}`, { ...init, headers }, this.env);
    this.keep(res);
    if ((res.headers.get('Content-Type') ?? '').includes('text/html')) {
      this.lastHtml = await res.clone().text();
      const token = this.lastHtml.match(/<meta name="csrf-token" content="([^"]+)"/)?.[1];
      if (token) this.csrf = token;
    }
    return res;
  }

  get(path: string, init: RequestInit & { htmx?: boolean } = {}): Promise<Response> {
    return this.request(path, init);
  }

  /** A form post with the page's CSRF token, as a browser on this site sends it. */
  post(path: string, fields: Record<string, string>, opts: { csrf?: string | false; htmx?: boolean; headers?: Record<string, string> } = {}): Promise<Response> {
    const body = new URLSearchParams(fields);
    const token = opts.csrf === undefined ? this.csrf : opts.csrf;
    if (token) body.set('_csrf', token);
    return this.request(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'same-origin', Origin: ORIGIN, ...opts.headers },
      body: body.toString(),
      ...(opts.htmx ? { htmx: true } : {}),
    });
  }

  /** Follows 303s like a browser (GET), returning the final response. */
  async follow(res: Response): Promise<Response> {
    let r = res;
    for (let i = 0; i < 5 && (r.status === 302 || r.status === 303); i++) r = await this.get(r.headers.get('Location')!);
    return r;
  }
}
