// Staff administration through the real routes: adding people (set-up links), roles, disabling,
// reset links and 2FA resets (AU11, SE5), object-level checks across clinics (AC2, AC3), admin-only
// routes, strict forms (AC6).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { FakeClock, testInstall, type TestInstall } from '../helpers/system.ts';
import { Client, ORIGIN } from '../helpers/http.ts';
import { addUser, codeAt, enrolTotp, signedIn, signIn, totpKeyFrom } from '../helpers/identity.ts';
import { memberships, resetTokens, sessions, users } from '../../src/tenancy/schema/control.ts';
import { accessRuleOf } from '../../src/access/guard.ts';
import { permissionsOf, type Permission } from '../../src/access/permissions.ts';
import type { Role } from '../../src/access/roles.ts';
import { services } from '../../src/system-app.ts';

let t: TestInstall;
const clock = new FakeClock();
let demoId: string;
let northId: string;
let admin: Client;

beforeAll(async () => {
  t = await testInstall({ demo: true, clock });
  demoId = (await t.system.clinics.bySlug('demo'))!.id;
  northId = (await t.system.clinics.create({ slug: 'north', name: 'North Clinic' })).id;
  admin = await signedIn(t, 'admin@demo.test');
});
afterAll(() => t.close());

const PW = 'a quiet river under granite hills';
const NEW_PW = 'lanterns drift over the quiet harbour';

/** A browser form post with repeated fields (checkboxes), carrying the page's CSRF token. */
function postPairs(client: Client, path: string, pairs: [string, string][]): Promise<Response> {
  const body = new URLSearchParams(pairs);
  if (client.csrf) body.set('_csrf', client.csrf);
  return client.request(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'same-origin', Origin: ORIGIN },
    body: body.toString(),
  });
}

const rolePairs = (roles: string[]): [string, string][] => roles.map((r) => ['roles', r]);

async function membership(clinicId: string, email: string) {
  const user = (await t.system.control.select().from(users).where(eq(users.email, email)))[0]!;
  const m = (await t.system.control.select().from(memberships).where(and(eq(memberships.userId, user.id), eq(memberships.clinicId, clinicId))))[0]!;
  return { user, m };
}

const oneTimeLink = (html: string): string | undefined => html.match(/data-testid="one-time-link">\s*([^<\s]+)\s*</)?.[1];
const tokenOf = (url: string) => url.match(/\/reset\/([A-Za-z0-9_-]{43})$/)![1]!;

/** Sets a password through a one-time link, as the person does in their browser. */
async function useLink(url: string, password = PW): Promise<Response> {
  expect(url.startsWith(`${ORIGIN}/reset/`)).toBe(true);
  const path = new URL(url).pathname;
  const client = new Client(t.app, { remoteAddr: '198.51.100.7' });
  expect((await client.get(path)).status).toBe(200);
  return client.post(path, { password });
}

/** The routes of the table that a GET can reach without parameters, with their permission. */
function plainGetRoutes(): { path: string; permission: Permission }[] {
  const out = new Map<string, Permission>();
  for (const r of t.app.routes) {
    const rule = accessRuleOf(r.handler);
    if (r.method !== 'GET' || r.path.includes(':') || r.path.includes('*') || rule?.kind !== 'permission' || rule.fresh) continue;
    out.set(r.path, rule.permission);
  }
  return [...out].map(([path, permission]) => ({ path, permission }));
}

type Reach = 'allowed' | 'forbidden' | 'signed out';

/** What a signed-in client reaches: each parameterless permission route (some answer 400 without a query: still reached). */
async function reach(client: Client): Promise<Record<string, Reach>> {
  const out: Record<string, Reach> = {};
  for (const r of plainGetRoutes()) {
    const res = await client.get(r.path);
    out[r.path] = res.status === 403 ? 'forbidden' : res.status === 303 && res.headers.get('Location')?.startsWith('/sign-in') ? 'signed out' : 'allowed';
  }
  return out;
}

const expectedReach = (roles: Role[]): Record<string, Reach> => {
  const perms = permissionsOf(roles);
  return Object.fromEntries(plainGetRoutes().map((r) => [r.path, perms.has(r.permission) ? 'allowed' : 'forbidden']));
};

async function controlSnapshot(): Promise<string> {
  const c = t.system.controlClient;
  const q = async (s: string) => (await c.execute(s)).rows;
  return JSON.stringify({
    users: await q('SELECT id, email, display_name, password_hash, totp_secret, disabled_at FROM users ORDER BY id'),
    memberships: await q('SELECT * FROM memberships ORDER BY id'),
    resetTokens: await q('SELECT token_hash, user_id, used_at FROM reset_tokens ORDER BY token_hash'),
    sessions: await q('SELECT token_hash FROM sessions ORDER BY token_hash'),
  });
}

describe('adding people', () => {
  it('AU11, AU12: a new person gets a one-time set-up link; they set a password with it and sign in with the roles given', async () => {
    await admin.get('/admin/staff/new');
    expect(admin.lastHtml).toContain('action="/admin/staff"');
    const res = await postPairs(admin, '/admin/staff', [['name', 'Sara Al-Jishi'], ['email', 'Sara@Demo.test'], ...rolePairs(['nurse', 'assistant'])]);
    expect(res.status).toBe(200);
    const html = admin.lastHtml;
    expect(html).toContain('sara@demo.test was added.');
    const url = oneTimeLink(html);
    expect(url).toBeDefined();
    expect(html).toContain('data-member="sara@demo.test"');

    const { user, m } = await membership(demoId, 'sara@demo.test');
    expect(user.displayName).toBe('Sara Al-Jishi');
    expect(user.passwordHash).toBeNull();
    expect(JSON.parse(m.roles)).toEqual(['nurse', 'assistant']);
    // The link is shown once: the staff list does not show it again, and the DB holds only its hash.
    await admin.get('/admin/staff');
    expect(oneTimeLink(admin.lastHtml)).toBeUndefined();
    expect(JSON.stringify(await t.system.control.select().from(resetTokens))).not.toContain(tokenOf(url!));

    // No password yet: signing in fails like any wrong password.
    expect((await signIn(t, 'sara@demo.test', PW, new Client(t.app, { remoteAddr: '198.51.100.8' }))).res.status).toBe(401);
    const done = await useLink(url!);
    expect(done.status).toBe(303);
    expect(done.headers.get('Location')).toBe('/sign-in?reset=done');
    // Once only.
    expect((await new Client(t.app).get(new URL(url!).pathname)).status).toBe(404);

    const sara = await signedIn(t, 'sara@demo.test', PW);
    expect(await reach(sara)).toEqual(expectedReach(['nurse', 'assistant']));
    expect((await sara.get('/admin/staff')).status).toBe(403);

    // The addition is in the clinic's audit log, by the admin, about the membership.
    const demo = await t.system.clinics.get(demoId);
    const row = (await demo.client.execute({ sql: "SELECT * FROM audit_log WHERE entity_type = 'staff' AND entity_id = ? AND action = 'create'", args: [m.id] })).rows[0]!;
    const adminId = (await membership(demoId, 'admin@demo.test')).user.id;
    expect(row.actor_user_id).toBe(adminId);
    expect(row.outcome).toBe('success');
    expect(row.route).toBe('/admin/staff');
    expect(JSON.parse(String(row.detail))).toEqual({ newAccount: true, roles: 'nurse,assistant' });
  });

  it('an existing person of another clinic gets the membership and no link; they choose between their clinics', async () => {
    await addUser(t, 'north', 'both@north.test', ['doctor'], PW);
    const before = (await membership(northId, 'both@north.test')).user;
    await admin.get('/admin/staff/new');
    const res = await postPairs(admin, '/admin/staff', [['name', 'Another Name'], ['email', 'both@north.test'], ...rolePairs(['receptionist'])]);
    expect(res.status).toBe(200);
    expect(admin.lastHtml).toContain('both@north.test was added.');
    expect(oneTimeLink(admin.lastHtml)).toBeUndefined();
    const { user, m } = await membership(demoId, 'both@north.test');
    expect(user.id).toBe(before.id);
    expect(user.passwordHash).toBe(before.passwordHash); // the account is untouched
    expect(user.displayName).toBe(before.displayName);
    expect(JSON.parse(m.roles)).toEqual(['receptionist']);
    expect(await t.system.control.select().from(resetTokens).where(eq(resetTokens.userId, user.id))).toEqual([]);

    const { client, res: signed } = await signIn(t, 'both@north.test', PW);
    expect(signed.headers.get('Location')).toBe('/sign-in/clinic');
    await client.get('/sign-in/clinic');
    expect((await client.post('/sign-in/clinic', { clinic: demoId })).headers.get('Location')).toBe('/');
    expect(await reach(client)).toEqual(expectedReach(['receptionist']));

    // Adding them again is refused, and nothing changes.
    const snap = await controlSnapshot();
    await admin.get('/admin/staff/new');
    const again = await postPairs(admin, '/admin/staff', [['name', 'x'], ['email', 'both@north.test'], ...rolePairs(['doctor'])]);
    expect(again.status).toBe(400);
    expect(admin.lastHtml).toContain('already a member');
    expect(await controlSnapshot()).toBe(snap);
  });

  it('AC6: missing name, bad email, no roles, unknown role, unknown field, repeated name: 400 with the form again, nothing saved', async () => {
    const cases: [string, [string, string][]][] = [
      ['missing name', [['email', 'new1@demo.test'], ...rolePairs(['nurse'])]],
      ['empty name', [['name', '   '], ['email', 'new2@demo.test'], ...rolePairs(['nurse'])]],
      ['bad email', [['name', 'New'], ['email', 'not-an-email'], ...rolePairs(['nurse'])]],
      ['missing email', [['name', 'New'], ...rolePairs(['nurse'])]],
      ['no roles', [['name', 'New'], ['email', 'new3@demo.test']]],
      ['unknown role', [['name', 'New'], ['email', 'new4@demo.test'], ...rolePairs(['superuser'])]],
      ['unknown field', [['name', 'New'], ['email', 'new5@demo.test'], ...rolePairs(['nurse']), ['clinicId', northId]]],
      ['repeated name', [['name', 'New'], ['name', 'Other'], ['email', 'new6@demo.test'], ...rolePairs(['nurse'])]],
      ['over-long name', [['name', 'n'.repeat(201)], ['email', 'new7@demo.test'], ...rolePairs(['nurse'])]],
    ];
    const snap = await controlSnapshot();
    for (const [name, pairs] of cases) {
      await admin.get('/admin/staff/new');
      const res = await postPairs(admin, '/admin/staff', pairs);
      expect(res.status, name).toBe(400);
      expect(admin.lastHtml, name).toContain('action="/admin/staff"');
      expect(admin.lastHtml, name).toContain('name="roles"');
      expect(oneTimeLink(admin.lastHtml), name).toBeUndefined();
    }
    expect(await controlSnapshot()).toBe(snap);
    // The form keeps what was typed.
    await admin.get('/admin/staff/new');
    await postPairs(admin, '/admin/staff', [['name', 'Kept Name'], ['email', 'kept@demo.test']]);
    expect(admin.lastHtml).toContain('value="Kept Name"');
    expect(admin.lastHtml).toContain('Choose at least one role.');
  });
});

describe('roles, disabling, links', () => {
  it('roles add up and changes apply to the person\u2019s next request', async () => {
    const { m } = await membership(demoId, 'nurse@demo.test');
    const nurse = await signedIn(t, 'nurse@demo.test');
    expect(await reach(nurse)).toEqual(expectedReach(['nurse']));

    await admin.get(`/admin/staff/${m.id}`);
    const res = await postPairs(admin, `/admin/staff/${m.id}/roles`, rolePairs(['nurse', 'doctor']));
    expect(res.status).toBe(200);
    expect(admin.lastHtml).toContain('Roles saved.');
    expect(JSON.parse((await membership(demoId, 'nurse@demo.test')).m.roles)).toEqual(['nurse', 'doctor']);
    const both = permissionsOf(['nurse', 'doctor']);
    for (const p of permissionsOf(['nurse'])) expect(both.has(p)).toBe(true);
    for (const p of permissionsOf(['doctor'])) expect(both.has(p)).toBe(true);
    // The same session, next request: the union, read afresh (the audit row carries the roles).
    expect(await reach(nurse)).toEqual(expectedReach(['nurse', 'doctor']));

    await admin.get(`/admin/staff/${m.id}`);
    await postPairs(admin, `/admin/staff/${m.id}/roles`, rolePairs(['nurse', 'admin']));
    expect(await reach(nurse)).toEqual(expectedReach(['nurse', 'admin']));
    expect((await nurse.get('/admin/staff')).status).toBe(200);
    const demo = await t.system.clinics.get(demoId);
    const last = (await demo.client.execute("SELECT actor_roles FROM audit_log WHERE route = '/admin/staff' ORDER BY seq DESC LIMIT 1")).rows[0]!;
    expect(JSON.parse(String(last.actor_roles))).toEqual(['nurse', 'admin']);

    await admin.get(`/admin/staff/${m.id}`);
    await postPairs(admin, `/admin/staff/${m.id}/roles`, rolePairs(['nurse']));
    expect((await nurse.get('/admin/staff')).status).toBe(403);
    expect(await reach(nurse)).toEqual(expectedReach(['nurse']));

    // No roles, an unknown role, an unknown field: 400, nothing changes.
    for (const pairs of [[], rolePairs(['root']), [...rolePairs(['doctor']), ['extra', '1']] as [string, string][]]) {
      await admin.get(`/admin/staff/${m.id}`);
      expect((await postPairs(admin, `/admin/staff/${m.id}/roles`, pairs)).status).toBe(400);
    }
    expect(JSON.parse((await membership(demoId, 'nurse@demo.test')).m.roles)).toEqual(['nurse']);
  });

  it('SE5: disabling ends the person\u2019s sessions in this clinic only, and they cannot sign in to it; enabling restores', async () => {
    await addUser(t, 'north', 'twoplaces@north.test', ['nurse'], PW);
    await admin.get('/admin/staff/new');
    await postPairs(admin, '/admin/staff', [['name', 'Two Places'], ['email', 'twoplaces@north.test'], ...rolePairs(['assistant'])]);
    const { m, user } = await membership(demoId, 'twoplaces@north.test');

    const inClinic = async (clinicId: string) => {
      const { client, res } = await signIn(t, 'twoplaces@north.test', PW);
      expect(res.headers.get('Location')).toBe('/sign-in/clinic');
      await client.get('/sign-in/clinic');
      expect((await client.post('/sign-in/clinic', { clinic: clinicId })).headers.get('Location')).toBe('/');
      return client;
    };
    const demoA = await inClinic(demoId);
    const demoB = await inClinic(demoId);
    const north = await inClinic(northId);
    for (const c of [demoA, demoB, north]) expect((await c.get('/')).status).toBe(200);

    await admin.get(`/admin/staff/${m.id}`);
    const res = await admin.post(`/admin/staff/${m.id}/disable`, {});
    expect(res.status).toBe(200);
    expect(admin.lastHtml).toContain('is disabled here');
    expect(admin.lastHtml).toContain(`action="/admin/staff/${m.id}/enable"`);
    const left = await t.system.control.select().from(sessions).where(eq(sessions.userId, user.id));
    expect(left.map((s) => s.clinicId)).toEqual([northId]);
    expect((await demoA.get('/')).headers.get('Location')).toBe('/sign-in');
    expect((await demoB.get('/')).headers.get('Location')).toBe('/sign-in');
    expect((await north.get('/')).status).toBe(200);

    // Signing in now leads straight to the one clinic left; the demo clinic is not on offer.
    const { client, res: signed } = await signIn(t, 'twoplaces@north.test', PW);
    expect(signed.headers.get('Location')).toBe('/');
    await client.get('/account');
    expect(client.lastHtml).toContain('North Clinic');
    const sw = await client.post('/account/clinic', { clinic: demoId });
    expect(sw.status).toBe(400);
    expect((await t.system.control.select().from(sessions).where(and(eq(sessions.userId, user.id), eq(sessions.clinicId, demoId))))).toEqual([]);

    await admin.get(`/admin/staff/${m.id}`);
    expect((await admin.post(`/admin/staff/${m.id}/enable`, {})).status).toBe(200);
    expect(admin.lastHtml).toContain('is enabled again');
    const back = await inClinic(demoId);
    expect(await reach(back)).toEqual(expectedReach(['assistant']));
  });

  it('SE5: a person in one clinic only, disabled, cannot sign in at all; ending their sessions signs them out', async () => {
    await addUser(t, 'demo', 'solo@demo.test', ['receptionist'], PW);
    const { m } = await membership(demoId, 'solo@demo.test');
    const a = await signedIn(t, 'solo@demo.test', PW);
    const b = await signedIn(t, 'solo@demo.test', PW);
    await admin.get(`/admin/staff/${m.id}`);
    expect(await admin.post(`/admin/staff/${m.id}/end-sessions`, {}).then((r) => r.status)).toBe(200);
    expect(admin.lastHtml).toContain('2 session(s) ended.');
    expect((await a.get('/')).headers.get('Location')).toBe('/sign-in');
    expect((await b.get('/')).headers.get('Location')).toBe('/sign-in');

    await admin.get(`/admin/staff/${m.id}`);
    await admin.post(`/admin/staff/${m.id}/disable`, {});
    const refused = await signIn(t, 'solo@demo.test', PW);
    expect(refused.res.status).toBe(401);
    expect(refused.client.cookies.get('invent_sid')).toBeUndefined();
    await admin.get(`/admin/staff/${m.id}`);
    await admin.post(`/admin/staff/${m.id}/enable`, {});
    expect((await signIn(t, 'solo@demo.test', PW)).res.headers.get('Location')).toBe('/');
  });

  it('the last active administrator cannot be demoted or disabled; an administrator cannot disable themselves', async () => {
    const { m } = await membership(demoId, 'admin@demo.test');
    await admin.get(`/admin/staff/${m.id}`);
    const demote = await postPairs(admin, `/admin/staff/${m.id}/roles`, rolePairs(['doctor']));
    expect(demote.status).toBe(400);
    expect(admin.lastHtml).toContain('at least one active administrator');
    expect(JSON.parse((await membership(demoId, 'admin@demo.test')).m.roles)).toEqual(['admin']);

    await admin.get(`/admin/staff/${m.id}`);
    const self = await admin.post(`/admin/staff/${m.id}/disable`, {});
    expect(self.status).toBe(400);
    expect(admin.lastHtml).toContain('You cannot disable your own account.');
    expect((await membership(demoId, 'admin@demo.test')).m.disabledAt).toBeNull();
    expect((await admin.get('/admin/staff')).status).toBe(200);

    // The rule holds for any caller of the service (an operator has no membership to protect).
    const { staff } = services(t.system, clock);
    const operator = { clinicId: demoId, actor: { userId: null, kind: 'operator' as const, roles: [], sessionHash: null, ip: null, userAgent: null }, requestId: 'req_test', route: 'test' };
    await expect(staff.setDisabled(operator, m.id, true)).rejects.toMatchObject({ problem: 'last-admin' });
    await expect(staff.changeRoles(operator, m.id, ['doctor'])).rejects.toMatchObject({ problem: 'last-admin' });

    // With a second administrator, one may demote the other; the second is then the last.
    await addUser(t, 'demo', 'admin2@demo.test', ['admin'], PW);
    const second = await signedIn(t, 'admin2@demo.test', PW);
    const m2 = (await membership(demoId, 'admin2@demo.test')).m;
    await admin.get(`/admin/staff/${m2.id}`);
    expect((await postPairs(admin, `/admin/staff/${m2.id}/roles`, rolePairs(['admin', 'doctor']))).status).toBe(200);
    await second.get(`/admin/staff/${m.id}`);
    expect((await postPairs(second, `/admin/staff/${m.id}/roles`, rolePairs(['doctor']))).status).toBe(200);
    expect((await admin.get('/admin/staff')).status).toBe(403);
    await second.get(`/admin/staff/${m2.id}`);
    expect((await postPairs(second, `/admin/staff/${m2.id}/roles`, rolePairs(['doctor']))).status).toBe(400);
    // Restore the demo administrator for the tests that follow.
    await second.get(`/admin/staff/${m.id}`);
    expect((await postPairs(second, `/admin/staff/${m.id}/roles`, rolePairs(['admin']))).status).toBe(200);
    expect((await admin.get('/admin/staff')).status).toBe(200);
  });

  it('AU11: a password reset link made by an administrator works once and ends the person\u2019s sessions', async () => {
    await addUser(t, 'demo', 'forgetful@demo.test', ['doctor'], PW);
    const { m } = await membership(demoId, 'forgetful@demo.test');
    const old = await signedIn(t, 'forgetful@demo.test', PW);
    await admin.get(`/admin/staff/${m.id}`);
    const res = await admin.post(`/admin/staff/${m.id}/reset-password`, {});
    expect(res.status).toBe(200);
    expect(admin.lastHtml).toContain('one-time link to set a new password');
    const url = oneTimeLink(admin.lastHtml)!;
    // A second link replaces the first.
    await admin.get(`/admin/staff/${m.id}`);
    await admin.post(`/admin/staff/${m.id}/reset-password`, {});
    const url2 = oneTimeLink(admin.lastHtml)!;
    expect(url2).not.toBe(url);
    expect((await new Client(t.app).get(new URL(url).pathname)).status).toBe(404);

    expect((await useLink(url2, NEW_PW)).headers.get('Location')).toBe('/sign-in?reset=done');
    const late = new Client(t.app);
    expect((await late.get(new URL(url2).pathname)).status).toBe(404);
    expect((await late.post(new URL(url2).pathname, { password: 'yet another long passphrase here' })).status).toBe(404);
    expect((await old.get('/')).headers.get('Location')).toBe('/sign-in');
    expect((await signIn(t, 'forgetful@demo.test', PW, new Client(t.app, { remoteAddr: '198.51.100.9' }))).res.status).toBe(401);
    expect((await signIn(t, 'forgetful@demo.test', NEW_PW)).res.headers.get('Location')).toBe('/');
  });

  it('AU11: resetting 2FA turns it off, raises a 2fa-reset security event and is audited', async () => {
    await addUser(t, 'demo', 'phone-lost@demo.test', ['doctor'], PW);
    const { m, user } = await membership(demoId, 'phone-lost@demo.test');
    const person = await signedIn(t, 'phone-lost@demo.test', PW);
    // The button is offered only once there is something to reset.
    await admin.get(`/admin/staff/${m.id}`);
    expect(admin.lastHtml).not.toContain(`/admin/staff/${m.id}/reset-2fa`);
    await enrolTotp(person, clock, PW);
    expect((await t.system.control.select().from(users).where(eq(users.id, user.id)))[0]!.totpEnabledAt).not.toBeNull();
    expect((await signIn(t, 'phone-lost@demo.test', PW)).res.headers.get('Location')).toBe('/sign-in/code');

    const demo = await t.system.clinics.get(demoId);
    const top = async () => Number((await demo.client.execute('SELECT coalesce(max(seq), 0) AS s FROM audit_log')).rows[0]!.s);
    const before = await top();
    await admin.get(`/admin/staff/${m.id}`);
    expect(admin.lastHtml).toContain(`/admin/staff/${m.id}/reset-2fa`);
    const res = await admin.post(`/admin/staff/${m.id}/reset-2fa`, {});
    expect(res.status).toBe(200);
    expect(admin.lastHtml).toContain('Two-step verification of phone-lost@demo.test is reset');

    const after = (await t.system.control.select().from(users).where(eq(users.id, user.id)))[0]!;
    expect(after.totpSecret).toBeNull();
    expect(after.totpEnabledAt).toBeNull();
    expect((await person.get('/')).headers.get('Location')).toBe('/sign-in');
    expect((await signIn(t, 'phone-lost@demo.test', PW)).res.headers.get('Location')).toBe('/');

    const events = (await demo.client.execute("SELECT kind, subject_user_id, detail FROM security_events WHERE kind = '2fa-reset'")).rows;
    const adminId = (await membership(demoId, 'admin@demo.test')).user.id;
    expect(events).toHaveLength(1);
    expect(events[0]!.subject_user_id).toBe(user.id);
    expect(JSON.parse(String(events[0]!.detail))).toMatchObject({ by: adminId });

    const rows = (await demo.client.execute({ sql: 'SELECT action, outcome, actor_user_id, entity_type, entity_id, route, detail FROM audit_log WHERE seq > ? ORDER BY seq', args: [before] })).rows;
    expect(rows).toContainEqual(
      expect.objectContaining({ action: 'execute', outcome: 'success', actor_user_id: adminId, entity_type: 'staff', entity_id: m.id, route: '/admin/staff/:id/reset-2fa', detail: '{"resetTwoFactor":true}' }),
    );
    expect(rows.some((r) => r.entity_type === 'identity' && r.entity_id === '2fa.reset')).toBe(true);
  });
});

describe('object-level access', () => {
  it('AC2, AC3: a membership of another clinic answers 404 on every staff route, and nothing changes there', async () => {
    await addUser(t, 'north', 'foreign@north.test', ['admin'], PW);
    const foreignClient = await (async () => {
      const { client, res } = await signIn(t, 'foreign@north.test', PW);
      // North requires 2FA for admins by default: the session waits at enrolment, which is fine here.
      expect(res.status).toBe(303);
      return client;
    })();
    expect(foreignClient).toBeDefined();
    const { m } = await membership(northId, 'foreign@north.test');
    const staffRoutes = t.app.routes.filter((r) => r.path.startsWith('/admin/staff/:id') && accessRuleOf(r.handler));
    expect(staffRoutes.map((r) => `${r.method} ${r.path}`).sort()).toEqual(
      [
        'GET /admin/staff/:id',
        'POST /admin/staff/:id/disable',
        'POST /admin/staff/:id/enable',
        'POST /admin/staff/:id/end-sessions',
        'POST /admin/staff/:id/reset-2fa',
        'POST /admin/staff/:id/reset-password',
        'POST /admin/staff/:id/roles',
      ].sort(),
    );
    const malformed = ['x', 'm_', 'm_AAAAAAAAAAAAAAAAAAAAAAAAAA', `${m.id}x`, "m_' OR 1=1 --", encodeURIComponent(m.id.toUpperCase()), 'm_aaaaaaaaaaaaaaaaaaaaaaaaaa'];
    const snap = await controlSnapshot();
    for (const r of staffRoutes) {
      for (const id of [m.id, ...malformed]) {
        const path = r.path.replace(':id', id);
        await admin.get('/admin/staff');
        const res = r.method === 'GET' ? await admin.get(path) : await postPairs(admin, path, r.path.endsWith('/roles') ? rolePairs(['admin', 'doctor']) : []);
        expect(res.status, `${r.method} ${path}`).toBe(404);
        expect(admin.lastHtml, path).not.toContain('foreign@north.test');
      }
    }
    expect(await controlSnapshot()).toBe(snap);
    // The demo list does not show the other clinic's people.
    await admin.get('/admin/staff');
    expect(admin.lastHtml).not.toContain('foreign@north.test');
  });

  it('AC3, AU11: an administrator cannot reset the password or 2FA of a person who also works at another clinic', async () => {
    // North's administrator, with the 2FA north requires.
    await addUser(t, 'north', 'boss@north.test', ['admin'], PW);
    const { client: boss, res } = await signIn(t, 'boss@north.test', PW);
    expect(res.headers.get('Location')).toBe('/sign-in/enrol');
    await boss.get('/sign-in/enrol');
    const secret = totpKeyFrom(boss.lastHtml);
    const sealed = boss.lastHtml.match(/name="sealed" value="([^"]+)"/)![1]!;
    expect((await boss.post('/sign-in/enrol', { sealed, code: codeAt(secret, clock) })).status).toBe(200);

    // Demo's administrator adds them by email (they get a membership, nothing more) ...
    await admin.get('/admin/staff/new');
    expect((await postPairs(admin, '/admin/staff', [['name', 'Boss'], ['email', 'boss@north.test'], ...rolePairs(['assistant'])])).status).toBe(200);
    const { m } = await membership(demoId, 'boss@north.test');
    const snap = await controlSnapshot();
    const demo = await t.system.clinics.get(demoId);
    const raised = async () => Number((await demo.client.execute("SELECT count(*) AS n FROM security_events WHERE kind = '2fa-reset'")).rows[0]!.n);
    const before = await raised();

    // ... but cannot take over the account: no reset link, no 2FA reset.
    for (const action of ['reset-password', 'reset-2fa']) {
      await admin.get(`/admin/staff/${m.id}`);
      const r = await admin.post(`/admin/staff/${m.id}/${action}`, {});
      expect(r.status, action).toBe(400);
      expect(admin.lastHtml, action).toContain('also works at another clinic');
      expect(oneTimeLink(admin.lastHtml), action).toBeUndefined();
    }
    expect(await controlSnapshot()).toBe(snap);
    expect(await raised()).toBe(before);
    // Boss still signs in to north with password and code.
    clock.advance(30_000);
    const again = await signIn(t, 'boss@north.test', PW);
    expect(again.res.headers.get('Location')).toBe('/sign-in/code');
  });

  it('AC1: every role but admin gets 403 on every /admin route, GET or POST, and nothing changes', async () => {
    const target = (await membership(demoId, 'assistant@demo.test')).m.id;
    const adminRoutes = new Map<string, string>();
    for (const r of t.app.routes) if (r.path.startsWith('/admin') && accessRuleOf(r.handler) && r.method !== 'ALL') adminRoutes.set(`${r.method} ${r.path}`, r.method);
    expect(adminRoutes.size).toBeGreaterThanOrEqual(13);
    const snap = await controlSnapshot();
    for (const email of ['doctor@demo.test', 'nurse@demo.test', 'reception@demo.test', 'accountant@demo.test', 'assistant@demo.test']) {
      const client = await signedIn(t, email);
      for (const [key, method] of adminRoutes) {
        const path = key.slice(method.length + 1).replace(':id', target);
        const fields: [string, string][] = path === '/admin/staff' ? [['name', 'Mallory'], ['email', 'mallory@demo.test'], ...rolePairs(['admin'])] : path.endsWith('/roles') ? rolePairs(['admin']) : [];
        const res = method === 'GET' ? await client.get(path) : await postPairs(client, path, fields);
        expect(res.status, `${email} ${key}`).toBe(403);
      }
    }
    // Their own sessions were made above; nothing else moved.
    const strip = (s: string) => JSON.stringify({ ...JSON.parse(s), sessions: null });
    expect(strip(await controlSnapshot())).toBe(strip(snap));
  });
});
