// Signing in over real HTTP, the way a browser's form post does it, for benchmarks that need a
// signed-in session against a server child (no app.request: the server is in another process).

export interface SignInPage {
  /** `name=value` of the anonymous cookie the CSRF token is bound to. */
  anonCookie: string;
  csrf: string;
}

/** GET /sign-in: the anonymous cookie and the CSRF token from <meta name="csrf-token">. */
export async function fetchSignInPage(baseURL: string): Promise<SignInPage> {
  const res = await fetch(`${baseURL}/sign-in`, { redirect: 'manual' });
  const html = await res.text();
  const anonCookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((pair) => /^(__Host-)?invent_anon=/.test(pair));
  const csrf = html.match(/<meta name="csrf-token" content="([^"]+)"/)?.[1];
  if (res.status !== 200 || !anonCookie || !csrf) throw new Error(`GET /sign-in answered ${res.status} without an anonymous cookie and CSRF token`);
  return { anonCookie, csrf };
}

/**
 * POST /sign-in with email, password and the form's token, as a same-origin form post. Returns the
 * answer's status and Location, and the session cookie (`name=value`) when one was set.
 */
export async function postSignIn(
  baseURL: string,
  page: SignInPage,
  email: string,
  password: string,
): Promise<{ status: number; location: string | null; sessionCookie: string | undefined }> {
  const res = await fetch(`${baseURL}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      Cookie: page.anonCookie,
      'Content-Type': 'application/x-www-form-urlencoded',
      'Sec-Fetch-Site': 'same-origin',
    },
    body: new URLSearchParams({ email, password, _csrf: page.csrf }).toString(),
  });
  await res.arrayBuffer();
  const sessionCookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((pair) => /^(__Host-)?invent_sid=./.test(pair));
  return { status: res.status, location: res.headers.get('Location'), sessionCookie };
}

/** Signs in a user without 2FA and with one clinic; returns the `Cookie` header value of the session. */
export async function signInOverHttp(baseURL: string, email: string, password: string): Promise<string> {
  const r = await postSignIn(baseURL, await fetchSignInPage(baseURL), email, password);
  if (r.status !== 303 || r.location !== '/' || !r.sessionCookie) {
    throw new Error(`signing in ${email} answered ${r.status} to ${r.location ?? '(nowhere)'}: expected 303 to / with a session cookie`);
  }
  return r.sessionCookie;
}
