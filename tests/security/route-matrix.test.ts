// The whole route table, walked for every kind of visitor (AC1, AU6, SE4, CS1).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, testInstall, type TestInstall } from '../helpers/system.ts';
import { Client } from '../helpers/http.ts';
import { accessRuleOf, type AccessRule } from '../../src/access/guard.ts';
import { ROLES, type Role } from '../../src/access/roles.ts';
import { permissionsOf } from '../../src/access/permissions.ts';
import { identityServices } from '../../src/system-app.ts';
import type { SessionState } from '../../src/auth/sessions.ts';
import { DEMO_USERS } from '../../src/demo/seed.ts';

let t: TestInstall;
const clock = new FakeClock();
let northId: string;
let demoId: string;

beforeAll(async () => {
  t = await testInstall({ demo: true, clock });
  northId = (await t.system.clinics.create({ slug: 'north', name: 'North Clinic' })).id;
  demoId = (await t.system.clinics.bySlug('demo'))!.id;
});
afterAll(() => t.close());

interface Route {
  method: string;
  path: string;
  rule: AccessRule;
}

function routeTable(): { routes: Route[]; unguarded: string[] } {
  const groups = new Map<string, AccessRule | undefined>();
  for (const r of t.app.routes) {
    if (r.method === 'ALL') continue;
    const key = `${r.method} ${r.path}`;
    const rule = accessRuleOf(r.handler);
    if (!groups.has(key) || rule) groups.set(key, rule ?? groups.get(key));
  }
  const routes: Route[] = [];
  const unguarded: string[] = [];
  for (const [key, rule] of groups) {
    const [method, path] = key.split(' ') as [string, string];
    if (!rule) unguarded.push(key);
    else routes.push({ method, path, rule });
  }
  return { routes, unguarded };
}

const concrete = (path: string) => path.replace(/:token/g, 'A'.repeat(43)).replace(/:[a-z]+/g, 'x');

type Visitor = { name: string; state?: SessionState; role?: Role; clinic?: 'demo' | 'north'; expired?: boolean };

const VISITORS: Visitor[] = [
  { name: 'anonymous' },
  { name: 'pending second factor', state: 'second-factor', role: 'doctor' },
  { name: 'pending enrolment', state: 'enrol', role: 'admin', clinic: 'demo' },
  { name: 'pending clinic choice', state: 'pick-clinic', role: 'nurse' },
  { name: 'expired', state: 'active', role: 'doctor', clinic: 'demo', expired: true },
  { name: 'session in a clinic the person is not a member of', state: 'active', role: 'doctor', clinic: 'north' },
  ...ROLES.map((role): Visitor => ({ name: role, state: 'active', role, clinic: 'demo' })),
];

async function clientFor(v: Visitor): Promise<Client> {
  const client = new Client(t.app);
  await client.get('/sign-in');
  if (!v.state) return client;
  const email = DEMO_USERS.find((u) => u.role === v.role)!.email;
  const user = (await import('../../src/auth/users.ts')).findUserByEmail;
  const row = (await user(t.system.control, email))!;
  const { auth } = identityServices(t.system, clock);
  const clinicId = v.clinic === 'north' ? northId : v.clinic === 'demo' ? demoId : null;
  const { token } = await auth.sessions.create({ userId: row.id, state: v.state, clinicId });
  if (v.expired) clock.advance(16 * 60_000);
  client.cookies.set('invent_sid', token);
  // Load a page of this session, so that the client holds its CSRF token (an expired one gets the
  // sign-in page's).
  await client.follow(await client.get(v.expired ? '/sign-in' : '/account'));
  return client;
}

function expected(rule: AccessRule, v: Visitor): 'allowed' | 'to-sign-in' | 'to-step' | 'forbidden' {
  const active = v.state === 'active' && !v.expired && v.clinic === 'demo';
  const pending = v.state && v.state !== 'active' && !v.expired;
  switch (rule.kind) {
    case 'public':
      return 'allowed';
    case 'step':
      if (pending && rule.states.includes(v.state!)) return 'allowed';
      return pending ? 'to-step' : 'to-sign-in';
    case 'any-session':
      return pending || active ? 'allowed' : 'to-sign-in';
    case 'permission':
      if (active) return permissionsOf([v.role!]).has(rule.permission) ? 'allowed' : 'forbidden';
      return pending ? 'to-step' : 'to-sign-in';
  }
}

const STEP_PAGE: Partial<Record<SessionState, string>> = {
  'second-factor': '/sign-in/code',
  enrol: '/sign-in/enrol',
  'pick-clinic': '/sign-in/clinic',
};

describe('route table', () => {
  it('AC1: every route declares who may reach it', () => {
    const { routes, unguarded } = routeTable();
    expect(unguarded).toEqual([]);
    expect(routes.length).toBeGreaterThan(20);
  });

  it('AU6, SE4: pending, expired and foreign-clinic sessions reach only what is meant for them; roles only what they hold', async () => {
    const { routes } = routeTable();
    const failures: string[] = [];
    for (const v of VISITORS) {
      for (const r of routes) {
        if (r.path === '/sign-out' || r.path === '/sign-out/everywhere') continue; // would end the visitor's session mid-walk
        const client = await clientFor(v);
        const path = concrete(r.path);
        const res = r.method === 'GET' ? await client.get(path) : await client.post(path, {});
        const want = expected(r.rule, v);
        const location = res.headers.get('Location') ?? '';
        const got =
          res.status === 403
            ? 'forbidden'
            : res.status === 303 && location.startsWith('/sign-in') && !Object.values(STEP_PAGE).includes(location.split('?')[0]!)
              ? 'to-sign-in'
              : res.status === 303 && Object.values(STEP_PAGE).includes(location)
                ? 'to-step'
                : 'allowed';
        const wantLocation = want === 'to-step' ? STEP_PAGE[v.state!] : undefined;
        if (got !== want || (wantLocation && location !== wantLocation)) {
          failures.push(`${v.name}: ${r.method} ${r.path} -> ${res.status} ${location} (want ${want})`);
        }
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it('CS1: no GET changes stored state', async () => {
    const { routes } = routeTable();
    const client = await clientFor({ name: 'admin', state: 'active', role: 'admin', clinic: 'demo' });
    const tables = ['users', 'memberships', 'recovery_codes', 'reset_tokens', 'throttles', 'identity_events', 'clinics', 'clinic_keys'];
    const snapshot = async () => {
      const out: Record<string, unknown> = {};
      for (const table of tables) out[table] = (await t.system.controlClient.execute(`SELECT * FROM ${table} ORDER BY 1`)).rows;
      out.sessions = (await t.system.controlClient.execute('SELECT token_hash, state, clinic_id FROM sessions ORDER BY 1')).rows;
      return JSON.stringify(out);
    };
    const before = await snapshot();
    for (const r of routes.filter((r) => r.method === 'GET')) {
      await client.get(concrete(r.path));
      await client.request(concrete(r.path), { method: 'HEAD' });
    }
    expect(await snapshot()).toBe(before);
  });
});
