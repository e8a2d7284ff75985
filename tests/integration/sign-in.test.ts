import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { FakeClock, testInstall, type TestInstall } from '../helpers/system.ts';
import { Client } from '../helpers/http.ts';
import { addUser, codeAt, DEMO_PASSWORD, enrolTotp, recoveryCodesFrom, signedIn, signIn, totpKeyFrom } from '../helpers/identity.ts';
import { recoveryCodes, sessions, users } from '../../src/tenancy/schema/control.ts';

let t: TestInstall;
const clock = new FakeClock();
beforeAll(async () => {
  t = await testInstall({ demo: true, clock });
  // A clinic with the default policy: 2FA required for administrators.
  await t.system.clinics.create({ slug: 'north', name: 'North Clinic' });
});
afterAll(() => t.close());

// CSRF tokens differ per visitor; everything else must be the same.
const strip = (html: string) => html.replace(/[A-Za-z0-9_-]{43}/g, '');

describe('password step', () => {
  it('signs a demo user in with the demo password and shows the home page with their clinic', async () => {
    const client = await signedIn(t, 'doctor@demo.test');
    expect(client.lastHtml).toContain('Demo Clinic');
    expect(client.lastHtml).toContain('Dr. Ahmed Al-Khalifa');
  });

  it('AU5: the same answer for an unknown email and a wrong password, then 429 after repeated failures', async () => {
    await addUser(t, 'demo', 'victim@demo.test', ['nurse']);
    const wrong = await signIn(t, 'victim@demo.test', 'not the password at all');
    const unknown = await signIn(t, 'nobody@demo.test', 'not the password at all');
    expect(wrong.res.status).toBe(401);
    expect(unknown.res.status).toBe(401);
    expect(strip(await wrong.res.text()).replaceAll('victim', 'X')).toBe(strip(await unknown.res.text()).replaceAll('nobody', 'X'));
    let last = wrong.res;
    for (let i = 0; i < 3; i++) last = (await signIn(t, 'victim@demo.test', 'still wrong password')).res;
    expect(last.status).toBe(429);
    // Even the right password waits while the account is blocked; unknown emails behave the same.
    expect((await signIn(t, 'victim@demo.test', 'a quiet river under granite hills')).res.status).toBe(429);
    for (let i = 0; i < 3; i++) last = (await signIn(t, 'nobody@demo.test', 'still wrong password')).res;
    expect(last.status).toBe(429);
    clock.advance(16 * 60_000);
    expect((await signIn(t, 'victim@demo.test', 'a quiet river under granite hills')).res.status).toBe(303);
  });

  it('AU5: ten failures lock the account for 15 minutes and record a lockout', async () => {
    await addUser(t, 'demo', 'locked@demo.test', ['nurse']);
    for (let i = 0; i < 10; i++) {
      await signIn(t, 'locked@demo.test', 'wrong wrong wrong');
      clock.advance(61_000); // past each growing delay, so every try counts
    }
    clock.advance(60_000);
    expect((await signIn(t, 'locked@demo.test', 'a quiet river under granite hills')).res.status).toBe(429);
    const events = await t.system.controlClient.execute("SELECT count(*) AS n FROM identity_events WHERE type = 'sign-in.lockout'");
    expect(Number(events.rows[0]!.n)).toBeGreaterThanOrEqual(1);
    clock.advance(15 * 60_000);
    expect((await signIn(t, 'locked@demo.test', 'a quiet river under granite hills')).res.status).toBe(303);
  });

  it('bad input: missing fields, over-long values and a wrong content type get the form again, never a 500', async () => {
    const client = new Client(t.app);
    await client.get('/sign-in');
    const missing = await client.post('/sign-in', { email: 'doctor@demo.test' });
    expect(missing.status).toBe(400);
    expect(client.lastHtml).toContain('action="/sign-in"');
    expect((await client.post('/sign-in', { email: 'x'.repeat(300), password: 'y' })).status).toBe(400);
    expect((await client.post('/sign-in', { email: 'doctor@demo.test', password: 'p'.repeat(5000) })).status).toBe(400);
    expect((await client.post('/sign-in', { email: 'doctor@demo.test', password: DEMO_PASSWORD, extra: '1' })).status).toBe(400);
    const json = await client.request('/sign-in', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': client.csrf! },
      body: JSON.stringify({ email: 'doctor@demo.test', password: DEMO_PASSWORD }),
    });
    expect(json.status).toBe(400);
    expect(await json.text()).toContain('could not be read');
  });
});

describe('two-step verification', () => {
  it('AU6: a role whose clinic requires 2FA goes straight to enrolment and reaches nothing else', async () => {
    await addUser(t, 'north', 'boss@north.test', ['admin']);
    const { client, res } = await signIn(t, 'boss@north.test', 'a quiet river under granite hills');
    expect(res.headers.get('Location')).toBe('/sign-in/enrol');
    for (const path of ['/', '/account', '/account/sessions', '/sign-in/code', '/sign-in/clinic']) {
      const r = await client.get(path);
      expect(r.status, path).toBe(303);
      expect(r.headers.get('Location'), path).toBe('/sign-in/enrol');
    }
    await client.get('/sign-in/enrol');
    const secret = totpKeyFrom(client.lastHtml);
    const sealed = client.lastHtml.match(/name="sealed" value="([^"]+)"/)![1]!;
    expect((await client.post('/sign-in/enrol', { sealed, code: '000000' })).status).toBe(400);
    const ok = await client.post('/sign-in/enrol', { sealed, code: codeAt(secret, clock) });
    expect(ok.status).toBe(200);
    expect(recoveryCodesFrom(client.lastHtml)).toHaveLength(10);
    expect((await client.get('/')).status).toBe(200);
  });

  it('AU8, AU10, SE3: sign in with a code (once), then with a recovery code (once); each step gets a new session', async () => {
    await addUser(t, 'demo', 'twostep@demo.test', ['doctor']);
    const first = await signedIn(t, 'twostep@demo.test', 'a quiet river under granite hills');
    const { secret, codes } = await enrolTotp(first, clock, 'a quiet river under granite hills');
    clock.advance(30_000);

    const { client, res } = await signIn(t, 'twostep@demo.test', 'a quiet river under granite hills');
    expect(res.headers.get('Location')).toBe('/sign-in/code');
    const pendingCookie = [...client.cookies].find(([k]) => k.endsWith('invent_sid'))!;
    await client.get('/sign-in/code');
    const code = codeAt(secret, clock);
    const ok = await client.post('/sign-in/code', { code });
    expect(ok.headers.get('Location')).toBe('/');
    const activeCookie = [...client.cookies].find(([k]) => k.endsWith('invent_sid'))!;
    expect(activeCookie[1]).not.toBe(pendingCookie[1]);
    // The pending session's cookie is dead now (SE3).
    const old = new Client(t.app);
    old.cookies.set(pendingCookie[0], pendingCookie[1]);
    expect((await old.get('/sign-in/code')).headers.get('Location')).toBe('/sign-in');

    // AU8: the same code again, in another sign-in, is refused.
    const again = await signIn(t, 'twostep@demo.test', 'a quiet river under granite hills');
    await again.client.get('/sign-in/code');
    expect((await again.client.post('/sign-in/code', { code })).status).toBe(401);

    // AU10: a recovery code works once, then never again; the use is recorded.
    const rc = codes[0]!;
    const r1 = await again.client.post('/sign-in/code', { code: rc.toUpperCase() });
    expect(r1.headers.get('Location')).toMatch(/^\/account\?notice=recovery&left=9/);
    const third = await signIn(t, 'twostep@demo.test', 'a quiet river under granite hills');
    await third.client.get('/sign-in/code');
    expect((await third.client.post('/sign-in/code', { code: rc })).status).toBe(401);
    const used = await t.system.controlClient.execute("SELECT count(*) AS n FROM identity_events WHERE type = 'sign-in.recovery-code' AND outcome = 'success'");
    expect(Number(used.rows[0]!.n)).toBe(1);
  });

  it('AU10: the database holds no recovery code and no TOTP secret in the clear', async () => {
    await addUser(t, 'demo', 'stored@demo.test', ['nurse']);
    const client = await signedIn(t, 'stored@demo.test', 'a quiet river under granite hills');
    const { secret, codes } = await enrolTotp(client, clock, 'a quiet river under granite hills');
    const user = (await t.system.control.select().from(users).where(eq(users.email, 'stored@demo.test')))[0]!;
    const rows = await t.system.control.select().from(recoveryCodes).where(eq(recoveryCodes.userId, user.id));
    const dump = JSON.stringify({ user, rows });
    for (const c of codes) expect(dump).not.toContain(c.replace(/-/g, ''));
    expect(dump).not.toContain(Buffer.from(secret).toString('base64'));
    expect(user.totpSecret).toMatch(/^v1\./);
  });

  it('AU9: second-factor guesses are limited per account across parallel sessions', async () => {
    await addUser(t, 'demo', 'guess@demo.test', ['doctor']);
    const client = await signedIn(t, 'guess@demo.test', 'a quiet river under granite hills');
    const { secret } = await enrolTotp(client, clock, 'a quiet river under granite hills');
    const a = await signIn(t, 'guess@demo.test', 'a quiet river under granite hills');
    const b = await signIn(t, 'guess@demo.test', 'a quiet river under granite hills');
    await a.client.get('/sign-in/code');
    await b.client.get('/sign-in/code');
    // Three free guesses shared by both sessions; the fourth, from either, is delayed.
    await Promise.all([a.client.post('/sign-in/code', { code: '111111' }), b.client.post('/sign-in/code', { code: '222222' })]);
    await a.client.post('/sign-in/code', { code: '333333' });
    await b.client.post('/sign-in/code', { code: '444444' });
    const row = await t.system.controlClient.execute({ sql: 'SELECT failures FROM throttles WHERE key = ?', args: [`2fa:${(await t.system.control.select().from(users).where(eq(users.email, 'guess@demo.test')))[0]!.id}`] });
    expect(Number(row.rows[0]!.failures)).toBeGreaterThanOrEqual(4);
    // Even the right code waits now, in the session that made fewer guesses too.
    const blocked = await a.client.post('/sign-in/code', { code: codeAt(secret, clock) });
    expect(blocked.status).toBe(429);
    clock.advance(30_000); // past the delay, and a step the enrolment did not use
    expect((await a.client.post('/sign-in/code', { code: codeAt(secret, clock) })).headers.get('Location')).toBe('/');
  });
});

describe('sessions', () => {
  it('SE1: development over http uses a plain HttpOnly SameSite cookie; https uses __Host- and Secure', async () => {
    const { res } = await signIn(t, 'nurse@demo.test');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('invent_sid='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Domain=/i);
    const https = await t.app.request('https://clinic.example/sign-in');
    const anon = https.headers.getSetCookie().find((c) => c.includes('invent_anon'))!;
    expect(anon).toMatch(/^__Host-invent_anon=/);
    expect(anon).toMatch(/Secure/);
    expect(anon).not.toMatch(/Domain=/i);
    const secureClient = new Client(t.app);
    const page = await t.app.request('https://clinic.example/sign-in');
    const anonPair = page.headers.getSetCookie()[0]!.split(';')[0]!;
    const token = (await page.text()).match(/name="csrf-token" content="([^"]+)"/)![1]!;
    const signed = await t.app.request('https://clinic.example/sign-in', {
      method: 'POST',
      headers: { Cookie: anonPair, 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'same-origin' },
      body: new URLSearchParams({ email: 'nurse@demo.test', password: DEMO_PASSWORD, _csrf: token }).toString(),
    });
    const sid = signed.headers.getSetCookie().find((c) => c.includes('invent_sid'))!;
    expect(sid).toMatch(/^__Host-invent_sid=[A-Za-z0-9_-]{43};/);
    expect(sid).toMatch(/Secure/);
    expect(sid).toMatch(/HttpOnly/);
    expect(secureClient).toBeDefined();
  });

  it('SE2: the session token has 256 random bits and only its SHA-256 is stored', async () => {
    const { client } = await signIn(t, 'nurse@demo.test');
    const token = client.cookies.get('invent_sid')!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const all = JSON.stringify(await t.system.control.select().from(sessions));
    expect(all).not.toContain(token);
    const { sha256Hex } = await import('../../src/crypto/bytes.ts');
    expect(all).toContain(await sha256Hex(token));
  });

  it('SE4: idle and absolute timeouts are enforced by the server; htmx requests get HX-Redirect', async () => {
    const client = await signedIn(t, 'nurse@demo.test');
    clock.advance(14 * 60_000);
    expect((await client.get('/')).status).toBe(200);
    clock.advance(16 * 60_000);
    const idle = await client.get('/', { htmx: true });
    expect(idle.headers.get('HX-Redirect')).toBe('/sign-in?ended=idle');
    const gone = await client.get('/');
    expect(gone.headers.get('Location')).toBe('/sign-in');

    const busy = await signedIn(t, 'nurse@demo.test');
    for (let i = 0; i < 12 * 6; i++) {
      clock.advance(10 * 60_000);
      const r = await busy.get('/');
      if (r.status !== 200) {
        expect(r.headers.get('Location')).toBe('/sign-in?ended=absolute');
        expect(i).toBeGreaterThanOrEqual(12 * 6 - 2);
        return;
      }
    }
    throw new Error('the absolute timeout never ended the session');
  });

  it('SE5: sign-out, disabling, password change and 2FA change each end sessions; people list and end their own', async () => {
    await addUser(t, 'demo', 'many@demo.test', ['doctor']);
    const pw = 'a quiet river under granite hills';
    const a = await signedIn(t, 'many@demo.test', pw);
    const b = await signedIn(t, 'many@demo.test', pw);
    const c = await signedIn(t, 'many@demo.test', pw);
    await a.get('/account/sessions');
    expect(a.lastHtml.match(/data-session="/g)).toHaveLength(3);
    // End b from a's list.
    const bId = (await t.system.control.select().from(sessions)).find((s) => s.lastSeenAt && s.userId)!;
    expect(bId).toBeDefined();
    const ids = [...a.lastHtml.matchAll(/data-session="([^"]+)"[\s\S]*?name="session" value="([^"]+)"/g)].map((m) => m[2]);
    expect(ids.length).toBe(2);
    await a.post('/account/sessions/end', { session: ids[0]! });
    const alive = await Promise.all([b.get('/'), c.get('/')]);
    expect(alive.map((r) => r.status).sort()).toEqual([200, 303]);
    // Password change ends every other session.
    await a.get('/account');
    const changed = await a.post('/account/password', { current: pw, password: 'a brand new lantern over the bay' });
    expect(changed.headers.get('Location')).toBe('/account?notice=password');
    expect((await b.get('/')).status).toBe(303);
    expect((await c.get('/')).status).toBe(303);
    expect((await a.get('/')).status).toBe(200);
    // Sign-out ends this one.
    await a.post('/sign-out', {});
    expect((await a.get('/')).headers.get('Location')).toBe('/sign-in');
    // Disabling the user ends all of theirs.
    const d = await signedIn(t, 'many@demo.test', 'a brand new lantern over the bay');
    const { disableUser } = await import('../../src/auth/users.ts');
    await disableUser(t.system.control, 'many@demo.test', clock.now());
    expect((await d.get('/')).status).toBe(303);
  });

  it('SE6: a stale session must re-authenticate before 2FA changes; fresh proof lets it through', async () => {
    const client = await signedIn(t, 'accountant@demo.test');
    clock.advance(6 * 60_000);
    await client.get('/');
    const r = await client.get('/account/2fa/enrol');
    expect(r.headers.get('Location')).toBe('/reauth?next=%2Faccount%2F2fa%2Fenrol');
    await client.get('/reauth?next=%2Faccount%2F2fa%2Fenrol');
    expect((await client.post('/reauth', { next: '/account/2fa/enrol', password: 'wrong password here' })).status).toBe(401);
    const ok = await client.post('/reauth', { next: '/account/2fa/enrol', password: DEMO_PASSWORD });
    expect(ok.headers.get('Location')).toBe('/account/2fa/enrol');
    expect((await client.get('/account/2fa/enrol')).status).toBe(200);
    // An open redirect is not possible through `next`.
    expect((await client.post('/reauth', { next: '//evil.example', password: DEMO_PASSWORD })).headers.get('Location')).toBe('/account');
  });
});

describe('requests', () => {
  it('CS2: a post without the session-bound token, or with another session\'s, is refused', async () => {
    const a = await signedIn(t, 'assistant@demo.test');
    const b = await signedIn(t, 'assistant@demo.test');
    expect((await a.post('/account/sessions/end-others', {}, { csrf: false })).status).toBe(403);
    expect((await a.post('/account/sessions/end-others', {}, { csrf: b.csrf! })).status).toBe(403);
    expect((await b.get('/')).status).toBe(200);
    // The htmx header carries it as well as the hidden field.
    const viaHeader = await a.request('/account/sessions/end-others', {
      method: 'POST',
      headers: { 'X-CSRF-Token': a.csrf!, 'HX-Request': 'true', 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'same-origin' },
      body: '',
    });
    expect(viaHeader.headers.get('HX-Redirect')).toMatch(/^\/account\/sessions/);
    expect((await b.get('/')).status).toBe(303);
  });

  it('HD2: pages configure htmx for same-origin requests and carry the CSRF token for it, with no inline script', async () => {
    const client = await signedIn(t, 'assistant@demo.test');
    const html = client.lastHtml;
    const config = JSON.parse(html.match(/<meta name="htmx-config" content="([^"]+)"/)![1]!.replace(/&quot;/g, '"'));
    expect(config.mode).toBe('same-origin');
    expect(html).toMatch(/<body hx-headers:inherited="\{&quot;X-CSRF-Token&quot;:&quot;[A-Za-z0-9_-]+&quot;\}"/);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\son[a-z]+=/);
  });
});

describe('reset links', () => {
  it('AU11: an operator-made link is one-time and expires after 24 hours', async () => {
    await addUser(t, 'demo', 'forgot@demo.test', ['receptionist']);
    const { identityServices } = await import('../../src/system-app.ts');
    const { account } = identityServices(t.system, clock);
    const user = (await t.system.control.select().from(users).where(eq(users.email, 'forgot@demo.test')))[0]!;
    const token = await account.createResetLink(user.id, 'operator', 'reset', { ip: null, userAgent: null });
    const client = new Client(t.app);
    expect((await client.get(`/reset/${token}`)).status).toBe(200);
    expect(client.lastHtml).toContain('forgot@demo.test');
    expect((await client.post(`/reset/${token}`, { password: 'password1234' })).status).toBe(400);
    const done = await client.post(`/reset/${token}`, { password: 'lanterns drift over the quiet harbour' });
    expect(done.headers.get('Location')).toBe('/sign-in?reset=done');
    expect((await client.get(`/reset/${token}`)).status).toBe(404);
    expect((await signIn(t, 'forgot@demo.test', 'lanterns drift over the quiet harbour')).res.status).toBe(303);

    const late = await account.createResetLink(user.id, 'operator', 'reset', { ip: null, userAgent: null });
    clock.advance(24 * 3_600_000 + 1000);
    expect((await new Client(t.app).get(`/reset/${late}`)).status).toBe(404);
  });
});

describe('password hashing', () => {
  it('AU4: a hash made with weaker Argon2 settings is upgraded at the next sign-in', async () => {
    const { hash } = await import('@node-rs/argon2');
    await addUser(t, 'demo', 'legacy@demo.test', ['nurse']);
    const weak = await hash('a quiet river under granite hills', { algorithm: 2, memoryCost: 8192, timeCost: 1, parallelism: 1 });
    await t.system.control.update(users).set({ passwordHash: weak }).where(eq(users.email, 'legacy@demo.test'));
    expect((await signIn(t, 'legacy@demo.test', 'a quiet river under granite hills')).res.status).toBe(303);
    const after = (await t.system.control.select().from(users).where(eq(users.email, 'legacy@demo.test')))[0]!.passwordHash!;
    expect(after).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(t.platform.hasher.needsRehash(after)).toBe(false);
    expect((await signIn(t, 'legacy@demo.test', 'a quiet river under granite hills')).res.status).toBe(303);
  });
});
