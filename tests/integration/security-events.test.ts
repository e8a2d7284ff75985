// Security events for administrators: bursts of failed sign-ins, lockouts, the unread count in
// the header, reviewing (audited, LG1), admin-only (AC1), clinic-scoped (AC3).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, testInstall, type TestInstall } from '../helpers/system.ts';
import { Client } from '../helpers/http.ts';
import { addUser, signedIn, signIn } from '../helpers/identity.ts';
import { services } from '../../src/system-app.ts';
import { BURST_FAILURES, BURST_WINDOW_MS } from '../../src/features/security/identity-watch.ts';
import { findUserByEmail } from '../../src/auth/users.ts';

let t: TestInstall;
const clock = new FakeClock();
let demoId: string;
let northId: string;
const PW = 'a quiet river under granite hills';
/** Clinic members to fail against: the demo users and a few more, so no account hits its own throttle. */
const MEMBERS = [
  'admin@demo.test',
  'doctor@demo.test',
  'nurse@demo.test',
  'reception@demo.test',
  'accountant@demo.test',
  'assistant@demo.test',
  ...Array.from({ length: 6 }, (_, i) => `extra${i}@demo.test`),
];

beforeAll(async () => {
  t = await testInstall({ demo: true, clock });
  demoId = (await t.system.clinics.bySlug('demo'))!.id;
  northId = (await t.system.clinics.create({ slug: 'north', name: 'North Clinic' })).id;
  for (let i = 0; i < 6; i++) await addUser(t, 'demo', `extra${i}@demo.test`, ['assistant'], PW);
  await addUser(t, 'demo', 'locked@demo.test', ['nurse'], PW);
  await addUser(t, 'north', 'elsewhere@north.test', ['nurse'], PW);
});
afterAll(() => t.close());

let ip = 1;
/** A failed sign-in from an address of its own (the per-address throttle is not under test here). */
async function fail(email: string): Promise<Response> {
  const { res } = await signIn(t, email, 'wrong wrong wrong wrong', new Client(t.app, { remoteAddr: `198.51.100.${ip++}` }));
  return res;
}

async function events(clinicId: string, kind?: string) {
  const { client } = await t.system.clinics.get(clinicId);
  const r = await client.execute(kind ? { sql: 'SELECT * FROM security_events WHERE kind = ? ORDER BY id', args: [kind] } : 'SELECT * FROM security_events ORDER BY id');
  return r.rows;
}

const unreadShown = (html: string): number | null => {
  const m = html.match(/data-testid="security-unread">\s*(\d+)\s*</);
  return m ? Number(m[1]) : null;
};

describe('raising', () => {
  it(`AU5, LG1: ${BURST_FAILURES} failed sign-ins against a clinic's people within ${BURST_WINDOW_MS / 60_000} minutes raise one sign-in-burst`, async () => {
    expect(BURST_FAILURES).toBe(10);
    expect(BURST_WINDOW_MS).toBe(10 * 60_000);
    for (let i = 0; i < 9; i++) {
      expect((await fail(MEMBERS[i]!)).status).toBe(401);
      clock.advance(30_000);
    }
    expect(await events(demoId, 'sign-in-burst')).toHaveLength(0);
    // Failures for unknown emails and for people of another clinic do not count toward this clinic.
    await fail('nobody@demo.test');
    await fail('elsewhere@north.test');
    expect(await events(demoId, 'sign-in-burst')).toHaveLength(0);

    await fail(MEMBERS[9]!);
    const bursts = await events(demoId, 'sign-in-burst');
    expect(bursts).toHaveLength(1);
    const subject = (await findUserByEmail(t.system.control, MEMBERS[9]!))!.id;
    expect(bursts[0]!.subject_user_id).toBe(subject);
    expect(JSON.parse(String(bursts[0]!.detail))).toMatchObject({ failures: 10, minutes: 10 });
    expect(bursts[0]!.reviewed_at).toBeNull();
    expect(await events(northId, 'sign-in-burst')).toHaveLength(0);

    // More failures in the same window raise nothing more.
    for (let i = 0; i < 5; i++) {
      await fail(MEMBERS[10 + (i % 2)]!);
      clock.advance(10_000);
    }
    expect(await events(demoId, 'sign-in-burst')).toHaveLength(1);

    // Once the window has passed, a new burst is a new event.
    clock.advance(BURST_WINDOW_MS + 60_000);
    for (let i = 0; i < 10; i++) await fail(MEMBERS[i]!);
    expect(await events(demoId, 'sign-in-burst')).toHaveLength(2);
    clock.advance(BURST_WINDOW_MS + 60_000);
  });

  it('AU5: a steady stream of failures raises a burst once per window, not on every failure', async () => {
    const before = (await events(demoId, 'sign-in-burst')).length;
    // One failure every 61 seconds: ten of them are always inside the last ten minutes.
    for (let i = 0; i < 20; i++) {
      await fail(MEMBERS[i % MEMBERS.length]!);
      clock.advance(61_000);
    }
    // 20 failures over about 20 minutes: at most one burst per ten-minute window.
    const raised = (await events(demoId, 'sign-in-burst')).length - before;
    expect(raised).toBeGreaterThanOrEqual(1);
    expect(raised).toBeLessThanOrEqual(2);
    clock.advance(BURST_WINDOW_MS + 60_000);
  });

  it('AU5: a lockout raises one lockout event in each of the person\u2019s clinics', async () => {
    const before = await events(demoId, 'lockout');
    for (let i = 0; i < 10; i++) {
      await fail('locked@demo.test');
      clock.advance(61_000); // past each growing delay, so that every try counts
    }
    // Locked: even the right password waits, and trying again raises nothing new.
    expect((await signIn(t, 'locked@demo.test', PW, new Client(t.app, { remoteAddr: '203.0.113.5' }))).res.status).toBe(429);
    await fail('locked@demo.test');
    const after = await events(demoId, 'lockout');
    expect(after).toHaveLength(before.length + 1);
    const lockout = after.at(-1)!;
    expect(lockout.subject_user_id).toBe((await findUserByEmail(t.system.control, 'locked@demo.test'))!.id);
    expect(JSON.parse(String(lockout.detail))).toMatchObject({ failures: 10 });
    expect(await events(northId, 'lockout')).toHaveLength(0);
    // The lock lifts after 15 minutes.
    clock.advance(15 * 60_000);
    expect((await signIn(t, 'locked@demo.test', PW, new Client(t.app, { remoteAddr: '203.0.113.6' }))).res.headers.get('Location')).toBe('/');
  });
});

describe('reviewing', () => {
  it('LG1: the admin header shows the unread count; marking one reviewed lowers it and is audited', async () => {
    const admin = await signedIn(t, 'admin@demo.test');
    const open = (await events(demoId)).filter((e) => e.reviewed_at === null);
    expect(open.length).toBeGreaterThanOrEqual(3);
    for (const path of ['/', '/account', '/admin/staff', '/admin/security']) {
      await admin.get(path);
      expect(unreadShown(admin.lastHtml), path).toBe(open.length);
    }
    expect(admin.lastHtml.match(/<tr data-event="/g)).toHaveLength(open.length);

    const target = Number(open[0]!.id);
    const { client: demoDb } = await t.system.clinics.get(demoId);
    const top = Number((await demoDb.execute('SELECT coalesce(max(seq), 0) AS s FROM audit_log')).rows[0]!.s);
    const res = await admin.post(`/admin/security/${target}/review`, {});
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe('/admin/security');
    await admin.follow(res);
    expect(unreadShown(admin.lastHtml)).toBe(open.length - 1);
    expect(admin.lastHtml.match(/<tr data-event="/g)).toHaveLength(open.length - 1);

    const adminId = (await findUserByEmail(t.system.control, 'admin@demo.test'))!.id;
    const row = (await events(demoId)).find((e) => Number(e.id) === target)!;
    expect(row.reviewed_by).toBe(adminId);
    expect(row.reviewed_at).toBe(clock.now().toISOString());
    const audit = (await demoDb.execute({ sql: 'SELECT * FROM audit_log WHERE seq > ? ORDER BY seq', args: [top] })).rows;
    const reviewRows = audit.filter((r) => r.route === '/admin/security/:id/review');
    expect(reviewRows).toHaveLength(1);
    expect(reviewRows[0]).toMatchObject({ action: 'update', outcome: 'success', actor_user_id: adminId, entity_type: 'security-event', entity_id: String(target) });

    // Reviewed once: again is 404, an unknown id is 404, a malformed one too; the count stays.
    await admin.get('/admin/security');
    for (const id of [String(target), '999999', 'x', '-1', '1.5', '0']) {
      expect((await admin.post(`/admin/security/${id}/review`, {})).status, id).toBe(404);
    }
    await admin.get('/admin/security');
    expect(unreadShown(admin.lastHtml)).toBe(open.length - 1);
    // An unknown field is refused and nothing is reviewed.
    const next = Number(open[1]!.id);
    expect([400, 404]).toContain((await admin.post(`/admin/security/${next}/review`, { note: 'x' })).status);
    expect((await events(demoId)).find((e) => Number(e.id) === next)!.reviewed_at).toBeNull();

    // All events, reviewed ones included.
    await admin.get('/admin/security?all=1');
    expect(admin.lastHtml.match(/<tr data-event="/g)).toHaveLength(open.length);
  });

  it('AC3: an event id of another clinic cannot be reviewed from this one', async () => {
    const { security } = services(t.system, clock);
    const demoMax = Math.max(...(await events(demoId)).map((e) => Number(e.id)));
    for (let i = 0; i <= demoMax + 2; i++) await security.raise(northId, { kind: 'lockout', detail: { n: i } });
    const foreign = demoMax + 2;
    const admin = await signedIn(t, 'admin@demo.test');
    await admin.get('/admin/security');
    expect((await admin.post(`/admin/security/${foreign}/review`, {})).status).toBe(404);
    expect((await events(northId)).find((e) => Number(e.id) === foreign)!.reviewed_at).toBeNull();
    // And north's events are not counted in demo's header.
    expect(unreadShown(admin.lastHtml)).toBe((await events(demoId)).filter((e) => e.reviewed_at === null).length);
  });

  it('AC1: other roles get 403 on the events page and on reviewing, see no count, and review nothing', async () => {
    const open = (await events(demoId)).filter((e) => e.reviewed_at === null);
    const target = Number(open[0]!.id);
    for (const email of ['doctor@demo.test', 'nurse@demo.test', 'reception@demo.test', 'accountant@demo.test', 'assistant@demo.test']) {
      const client = await signedIn(t, email);
      expect(unreadShown(client.lastHtml), email).toBeNull();
      expect(client.lastHtml).not.toContain('href="/admin/security"');
      expect((await client.get('/admin/security')).status, email).toBe(403);
      expect((await client.get('/admin/security?all=1')).status, email).toBe(403);
      expect((await client.post(`/admin/security/${target}/review`, {})).status, email).toBe(403);
    }
    expect((await events(demoId)).filter((e) => e.reviewed_at === null)).toHaveLength(open.length);
  });
});
