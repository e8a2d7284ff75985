// Every request of a signed-in person leaves an audit event in their clinic's log (LG1): the whole
// route table, walked as each demo role, denials included; every row names the person (AU12) and
// the route pattern; the chain still verifies afterwards, and the database refuses edits (LG3).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Row } from '@libsql/client';
import { FakeClock, testInstall, type TestInstall } from '../helpers/system.ts';
import { Client } from '../helpers/http.ts';
import { invent } from '../helpers/cli.ts';
import { TEST_MASTER_KEY } from '../helpers/system.ts';
import { accessRuleOf } from '../../src/access/guard.ts';
import { ROLES, type Role } from '../../src/access/roles.ts';
import { permissionsOf } from '../../src/access/permissions.ts';
import { identityServices } from '../../src/system-app.ts';
import { findUserByEmail } from '../../src/auth/users.ts';
import { DEMO_USERS } from '../../src/demo/seed.ts';
import { verifyAudit } from '../../src/audit/verify.ts';
import { readRecordedHead } from '../../src/audit/heads.ts';

let t: TestInstall;
const clock = new FakeClock();
let demoId: string;

beforeAll(async () => {
  t = await testInstall({ demo: true, clock });
  demoId = (await t.system.clinics.bySlug('demo'))!.id;
});
afterAll(() => t.close());

interface Route {
  method: string;
  path: string;
}

/**
 * The route table, in two parts: routes registered before the session middleware (served before
 * anyone is known: static files, the health check) and the rest, which every signed-in request goes
 * through.
 */
function routeTable(): { beforeSession: string[]; routes: Route[] } {
  const all = t.app.routes;
  // The session middleware opens the first run of `ALL` entries that follows a route (app.ts:
  // request basics, headers and origin check, then static files and /healthz, then session, audit, CSRF).
  let sessionAt = -1;
  all.forEach((r, i) => {
    if (sessionAt < 0 && r.method === 'ALL' && all.slice(0, i).some((x) => x.method !== 'ALL')) sessionAt = i;
  });
  expect(sessionAt).toBeGreaterThan(0);
  const beforeSession = new Set<string>();
  const routes = new Map<string, Route>();
  all.forEach((r, i) => {
    if (r.method === 'ALL' || !accessRuleOf(r.handler)) return;
    const key = `${r.method} ${r.path}`;
    if (i < sessionAt) beforeSession.add(key);
    else routes.set(key, { method: r.method, path: r.path });
  });
  return { beforeSession: [...beforeSession].sort(), routes: [...routes.values()] };
}

/** A path the route answers: ids that name nothing (the answer is then a 404, which is audited too). */
const concrete = (path: string) => path.replace(/:token/g, 'A'.repeat(43)).replace(/:[a-z]+/g, 'x');

async function demoLog() {
  // Looked up each time: saving settings reopens the clinic.
  return (await t.system.clinics.get(demoId)).client;
}

async function top(): Promise<number> {
  return Number((await (await demoLog()).execute('SELECT coalesce(max(seq), 0) AS s FROM audit_log')).rows[0]!.s);
}

async function rowsAfter(seq: number): Promise<Row[]> {
  return (await (await demoLog()).execute({ sql: 'SELECT * FROM audit_log WHERE seq > ? ORDER BY seq', args: [seq] })).rows;
}

/** A signed-in session of the demo user with this role, made directly (no password step), and its CSRF token. */
async function sessionOf(role: Role): Promise<{ client: Client; userId: string }> {
  const email = DEMO_USERS.find((u) => u.role === role)!.email;
  const user = (await findUserByEmail(t.system.control, email))!;
  const { auth } = identityServices(t.system, clock);
  const { token } = await auth.sessions.create({ userId: user.id, state: 'active', clinicId: demoId });
  const client = new Client(t.app);
  client.cookies.set('invent_sid', token);
  const page = await client.get('/account');
  expect(page.status).toBe(200);
  expect(client.csrf).toBeDefined();
  return { client, userId: user.id };
}

const SKIP = new Set(['POST /sign-out', 'POST /sign-out/everywhere']); // would end the session mid-walk

describe('audit coverage', () => {
  it('AC1, LG1: only the static files and the health check are served before the session is read', () => {
    const { beforeSession, routes } = routeTable();
    expect(beforeSession).toEqual(['GET /healthz', 'GET /static/:name']);
    expect(routes.length).toBeGreaterThan(30);
  });

  it('LG1, AU12: every route, as every role, appends events naming the person and the route; denials as denied', async () => {
    const { routes } = routeTable();
    const failures: string[] = [];
    let requests = 0;
    for (const role of ROLES) {
      const perms = permissionsOf([role]);
      for (const r of routes) {
        if (SKIP.has(`${r.method} ${r.path}`)) continue;
        // A fresh session per request: some routes end the others, or switch or rotate this one.
        const { client, userId } = await sessionOf(role);
        const before = await top();
        const path = concrete(r.path);
        const res = r.method === 'GET' ? await client.get(path) : await client.post(path, {});
        requests++;
        const rows = await rowsAfter(before);
        const where = `${role}: ${r.method} ${r.path} -> ${res.status}`;
        if (rows.length === 0) {
          failures.push(`${where}: no audit event`);
          continue;
        }
        for (const row of rows) {
          if (row.actor_user_id !== userId) failures.push(`${where}: seq ${row.seq} actor_user_id ${String(row.actor_user_id)} (want ${userId})`);
          if (row.actor_kind !== 'user') failures.push(`${where}: seq ${row.seq} actor_kind ${String(row.actor_kind)}`);
          if (row.route !== r.path) failures.push(`${where}: seq ${row.seq} route ${String(row.route)} (entity ${String(row.entity_type)}/${String(row.entity_id)})`);
          if (!row.ip) failures.push(`${where}: seq ${row.seq} has no ip`);
          if (!row.request_id) failures.push(`${where}: seq ${row.seq} has no request id`);
        }
        const requestIds = new Set(rows.map((row) => row.request_id));
        if (requestIds.size !== 1) failures.push(`${where}: ${requestIds.size} request ids in one request`);
        const rule = accessRuleOf(t.app.routes.find((x) => x.method === r.method && x.path === r.path && accessRuleOf(x.handler))!.handler)!;
        if (rule.kind === 'permission' && !perms.has(rule.permission)) {
          if (res.status !== 403) failures.push(`${where}: want 403`);
          if (!rows.some((row) => row.outcome === 'denied')) failures.push(`${where}: no denied event`);
        } else if (res.status === 403) {
          failures.push(`${where}: unexpected 403`);
        }
        if (res.status >= 500) failures.push(`${where}: server error`);
        const outcome = res.status < 400 ? 'success' : res.status === 401 || res.status === 403 ? 'denied' : 'failure';
        if (!rows.some((row) => row.outcome === outcome)) failures.push(`${where}: no ${outcome} event`);
      }
    }
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(6 * 30);

    // A page that does not exist is audited too.
    const { client, userId } = await sessionOf('nurse');
    const before = await top();
    expect((await client.get('/no/such/page')).status).toBe(404);
    const rows = await rowsAfter(before);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor_user_id: userId, outcome: 'failure', action: 'read' });

    // LG3: the chain is intact, and ends where the control database says it does.
    const log = await demoLog();
    const result = await verifyAudit(log, { recordedHead: await readRecordedHead(t.system.controlClient, demoId) });
    expect(result).toMatchObject({ ok: true, unchained: 0 });
    expect(result.ok && result.rows).toBe(await top());
  }, 120_000);

  it('AU12: no audit row of a request by a person lacks the person', async () => {
    const rows = (await (await demoLog()).execute("SELECT count(*) AS n FROM audit_log WHERE actor_kind = 'user' AND actor_user_id IS NULL")).rows;
    expect(Number(rows[0]!.n)).toBe(0);
  });

  it('LG3: `invent db sql` cannot change the audit log, the refusal is itself audited, and the app keeps appending to an intact chain', async () => {
    const env = { INVENT_DATA_DIR: t.dir, INVENT_MASTER_KEY: TEST_MASTER_KEY };
    const before = await top();
    const first = (await (await demoLog()).execute('SELECT action FROM audit_log WHERE seq = 1')).rows[0]!.action;
    for (const statement of ["UPDATE audit_log SET action='x'", 'DELETE FROM audit_log WHERE seq = 1', 'DELETE FROM audit_log']) {
      const r = await invent(['db', 'sql', '--clinic', 'demo', statement], env);
      expect(r.code, statement).toBe(1);
      expect(r.stderr).toMatch(/append-only/);
    }
    expect((await (await demoLog()).execute('SELECT action FROM audit_log WHERE seq = 1')).rows[0]!.action).toBe(first);
    const refused = await rowsAfter(before);
    expect(refused.map((row) => [row.actor_kind, row.outcome, row.entity_type])).toEqual([
      ['operator', 'failure', 'sql'],
      ['operator', 'failure', 'sql'],
      ['operator', 'failure', 'sql'],
    ]);
    // The app, which had its own idea of the head, appends after the CLI's rows.
    const { client, userId } = await sessionOf('doctor');
    const mark = await top();
    expect((await client.get('/account')).status).toBe(200);
    expect(await rowsAfter(mark)).toEqual([expect.objectContaining({ actor_user_id: userId, route: '/account', seq: mark + 1 })]);
    const result = await verifyAudit(await demoLog(), { recordedHead: await readRecordedHead(t.system.controlClient, demoId) });
    expect(result.ok).toBe(true);
  });
});
