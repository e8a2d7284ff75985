// Clinic settings through the real routes: the 2FA policy per role (AU6) and the idle timeout
// (SE4) take effect; invalid values are refused whole (AC6); the permission matrix page shows the
// one permission table.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { FakeClock, testInstall, type TestInstall } from '../helpers/system.ts';
import { Client } from '../helpers/http.ts';
import { codeAt, signedIn, signIn, totpKeyFrom } from '../helpers/identity.ts';
import { clinics } from '../../src/tenancy/schema/control.ts';
import { ROLES } from '../../src/access/roles.ts';
import { PERMISSIONS, ROLE_PERMISSIONS } from '../../src/access/permissions.ts';

let t: TestInstall;
const clock = new FakeClock();
let demoId: string;

beforeAll(async () => {
  t = await testInstall({ demo: true, clock });
  demoId = (await t.system.clinics.bySlug('demo'))!.id;
});
afterAll(() => t.close());

/** The settings form as the page shows it: every select's chosen option and every input's value. */
function formOf(html: string): Record<string, string> {
  const form = html.match(/<form method="post" action="\/admin\/settings"[\s\S]*?<\/form>/)?.[0];
  if (!form) throw new Error('no settings form on the page');
  const out: Record<string, string> = {};
  for (const m of form.matchAll(/<input\b[^>]*>/g)) {
    const name = m[0].match(/\bname="([^"]+)"/)?.[1];
    const value = m[0].match(/\bvalue="([^"]*)"/)?.[1] ?? '';
    if (name && name !== '_csrf') out[name] = value;
  }
  for (const m of form.matchAll(/<select\b[^>]*\bname="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const chosen = m[2]!.match(/<option value="([^"]+)" selected=""/)?.[1] ?? m[2]!.match(/<option value="([^"]+)"/)?.[1];
    out[m[1]!] = chosen!;
  }
  return out;
}

async function stored(): Promise<string> {
  const row = (await t.system.control.select({ settings: clinics.settings, timezone: clinics.timezone }).from(clinics).where(eq(clinics.id, demoId)))[0]!;
  return JSON.stringify(row);
}

async function auditTop(): Promise<number> {
  // The handle is looked up each time: saving settings reopens the clinic.
  const demo = await t.system.clinics.get(demoId);
  return Number((await demo.client.execute('SELECT coalesce(max(seq), 0) AS s FROM audit_log')).rows[0]!.s);
}

async function auditSince(seq: number) {
  const demo = await t.system.clinics.get(demoId);
  return (await demo.client.execute({ sql: 'SELECT * FROM audit_log WHERE seq > ? ORDER BY seq', args: [seq] })).rows;
}

describe('clinic settings', () => {
  let admin: Client;
  beforeAll(async () => {
    admin = await signedIn(t, 'admin@demo.test');
  });

  it('shows the stored settings in the form', async () => {
    expect((await admin.get('/admin/settings')).status).toBe(200);
    expect(formOf(admin.lastHtml)).toEqual({
      ...Object.fromEntries(ROLES.map((r) => [`twoFactor.${r}`, 'optional'])),
      idleTimeoutMinutes: '15',
      absoluteTimeoutHours: '12',
      minPasswordLength: '12',
      timezone: 'Asia/Bahrain',
      defaultLanguage: 'en',
      hostingRegion: 'Bahrain',
      uploadLimitMb: '50',
      archiveAlertPerHour: '10',
    });
  });

  it('AC6: invalid values and unknown fields get 400 with the form again, and nothing is saved', async () => {
    await admin.get('/admin/settings');
    const good = formOf(admin.lastHtml);
    const before = await stored();
    const cases: [string, Record<string, string>, string?][] = [
      ['idle 0', { ...good, idleTimeoutMinutes: '0' }],
      ['idle 999', { ...good, idleTimeoutMinutes: '999' }],
      ['idle not a number', { ...good, idleTimeoutMinutes: '5 minutes' }],
      ['idle fraction', { ...good, idleTimeoutMinutes: '1.5' }],
      ['absolute 0', { ...good, absoluteTimeoutHours: '0' }],
      ['absolute 25', { ...good, absoluteTimeoutHours: '25' }],
      ['password length 8', { ...good, minPasswordLength: '8' }],
      ['password length 129', { ...good, minPasswordLength: '129' }],
      ['time zone Mars/Base', { ...good, timezone: 'Mars/Base' }, 'Unknown time zone.'],
      ['empty time zone', { ...good, timezone: '' }],
      ['2FA policy unknown', { ...good, 'twoFactor.nurse': 'sometimes' }],
      ['2FA policy for an unknown role', { ...good, 'twoFactor.janitor': 'required' }],
      ['language', { ...good, defaultLanguage: 'fr' }],
      ['over-long region', { ...good, hostingRegion: 'r'.repeat(101) }],
      ['unknown field', { ...good, clinicId: 'c_other' }, 'The form had fields this page does not take; nothing was saved.'],
      ['missing field', Object.fromEntries(Object.entries(good).filter(([k]) => k !== 'absoluteTimeoutHours'))],
    ];
    for (const [name, fields, message] of cases) {
      await admin.get('/admin/settings');
      const res = await admin.post('/admin/settings', fields);
      expect(res.status, name).toBe(400);
      expect(admin.lastHtml, name).toContain('action="/admin/settings"');
      if (message) expect(admin.lastHtml, name).toContain(message);
      expect(await stored(), name).toBe(before);
    }
    // The refusals are in the audit log as failures by the admin, on the settings route.
    await admin.get('/admin/settings');
    const seq = await auditTop();
    await admin.post('/admin/settings', { ...good, idleTimeoutMinutes: '0' });
    const rows = await auditSince(seq);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'execute', outcome: 'failure', route: '/admin/settings' });
    expect(rows[0]!.actor_user_id).toMatch(/^u_/);
  });

  it('AU6, SE4: idle timeout 5 minutes and 2FA required for nurses take effect; the change is audited', async () => {
    await admin.get('/admin/settings');
    const form = formOf(admin.lastHtml);
    const seq = await auditTop();
    const res = await admin.post('/admin/settings', { ...form, idleTimeoutMinutes: '5', 'twoFactor.nurse': 'required' });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe('/admin/settings?saved=1');
    await admin.follow(res);
    expect(admin.lastHtml).toContain('Settings saved.');
    expect(formOf(admin.lastHtml)).toMatchObject({ idleTimeoutMinutes: '5', 'twoFactor.nurse': 'required', 'twoFactor.doctor': 'optional' });
    expect(JSON.parse(JSON.parse(await stored()).settings)).toMatchObject({ idleTimeoutMinutes: 5, twoFactor: { nurse: 'required', admin: 'optional' } });

    const rows = await auditSince(seq);
    const update = rows.find((r) => r.entity_type === 'clinic-settings');
    expect(update).toMatchObject({ action: 'update', outcome: 'success', entity_id: demoId, route: '/admin/settings' });
    expect(String(update!.detail)).toBe(JSON.stringify({ changed: 'twoFactor,idleTimeoutMinutes' }));
    expect(rows.filter((r) => r.route === '/admin/settings' && r.action === 'execute')).toEqual([]); // one event for the save, not two

    // AU6: the nurse, without 2FA, is sent to enrolment at the next sign-in and reaches nothing else.
    const { client: nurse, res: signed } = await signIn(t, 'nurse@demo.test');
    expect(signed.headers.get('Location')).toBe('/sign-in/enrol');
    for (const path of ['/', '/account', '/admin/staff']) expect((await nurse.get(path)).headers.get('Location'), path).toBe('/sign-in/enrol');
    await nurse.get('/sign-in/enrol');
    const secret = totpKeyFrom(nurse.lastHtml);
    const sealed = nurse.lastHtml.match(/name="sealed" value="([^"]+)"/)![1]!;
    expect((await nurse.post('/sign-in/enrol', { sealed, code: codeAt(secret, clock) })).status).toBe(200);
    expect((await nurse.get('/')).status).toBe(200);
    // Other roles are not asked.
    expect((await signIn(t, 'doctor@demo.test')).res.headers.get('Location')).toBe('/');

    // SE4: five idle minutes end a session now (four do not).
    const doctor = await signedIn(t, 'doctor@demo.test');
    clock.advance(4 * 60_000);
    expect((await doctor.get('/')).status).toBe(200);
    clock.advance(4 * 60_000);
    expect((await doctor.get('/')).status).toBe(200);
    clock.advance(5 * 60_000);
    const idle = await doctor.get('/account');
    expect(idle.status).toBe(303);
    expect(idle.headers.get('Location')).toBe('/sign-in?ended=idle');
    expect((await doctor.get('/')).headers.get('Location')).toBe('/sign-in');
    // The admin, idle as long, is signed out too.
    expect((await admin.get('/admin/settings')).headers.get('Location')).toBe('/sign-in?ended=idle');
    admin = await signedIn(t, 'admin@demo.test');
  });

  it('AC6: the minimum password length can only rise above 12; the raised value is stored', async () => {
    await admin.get('/admin/settings');
    const form = formOf(admin.lastHtml);
    const res = await admin.post('/admin/settings', { ...form, minPasswordLength: '16', timezone: 'Europe/London' });
    expect(res.status).toBe(303);
    expect(JSON.parse(await stored())).toMatchObject({ timezone: 'Europe/London' });
    expect(JSON.parse(JSON.parse(await stored()).settings)).toMatchObject({ minPasswordLength: 16 });
    await admin.get('/admin/settings');
    expect(formOf(admin.lastHtml)).toMatchObject({ minPasswordLength: '16', timezone: 'Europe/London' });

    // AU1: the raised minimum applies to set-up links too (the link is not tied to a session's clinic).
    await admin.get('/admin/staff/new');
    const body = new URLSearchParams([['name', 'New Person'], ['email', 'newperson@demo.test'], ['roles', 'nurse'], ['_csrf', admin.csrf!]]);
    await admin.request('/admin/staff', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'same-origin', Origin: 'http://localhost' }, body: body.toString() });
    const link = admin.lastHtml.match(/data-testid="one-time-link">([^<]+)</)![1]!;
    const person = new Client(t.app);
    const path = new URL(link).pathname;
    await person.get(path);
    expect(person.lastHtml).toContain('At least 16 characters');
    const short = await person.post(path, { password: 'plum tiger oak' }); // 14 characters
    expect(short.status).toBe(400);
    expect(person.lastHtml).toContain('The password must have at least 16 characters.');
    const ok = await person.post(path, { password: 'plum tiger oak lantern' });
    expect(ok.headers.get('Location')).toBe('/sign-in?reset=done');
  });

  it('AC1: only administrators reach the settings and the permission matrix', async () => {
    const before = await stored();
    for (const email of ['doctor@demo.test', 'reception@demo.test', 'accountant@demo.test', 'assistant@demo.test']) {
      const client = await signedIn(t, email);
      expect((await client.get('/admin/settings')).status, email).toBe(403);
      expect((await client.get('/admin/permissions')).status, email).toBe(403);
      await client.get('/');
      const form = { ...Object.fromEntries(ROLES.map((r) => [`twoFactor.${r}`, 'optional'])), idleTimeoutMinutes: '240', absoluteTimeoutHours: '24', minPasswordLength: '12', timezone: 'UTC', defaultLanguage: 'en', hostingRegion: 'x' };
      expect((await client.post('/admin/settings', form)).status, email).toBe(403);
    }
    expect(await stored()).toBe(before);
  });
});

describe('permission matrix', () => {
  it('AC1: /admin/permissions shows exactly ROLE_PERMISSIONS, one row per permission and one cell per role', async () => {
    const admin = await signedIn(t, 'admin@demo.test');
    expect((await admin.get('/admin/permissions')).status).toBe(200);
    const html = admin.lastHtml;
    const rows = [...html.matchAll(/<tr data-permission="([^"]+)">([\s\S]*?)<\/tr>/g)];
    expect(rows.map((r) => r[1])).toEqual([...PERMISSIONS]);
    const shown: Record<string, string[]> = Object.fromEntries(ROLES.map((r) => [r, []]));
    for (const [, permission, cells] of rows) {
      const tds = [...cells!.matchAll(/<td data-role="([^"]+)">([^<]*)<\/td>/g)];
      expect(tds.map((c) => c[1]), permission).toEqual([...ROLES]);
      for (const [, role, mark] of tds) {
        expect(['✓', '—'], `${permission} ${role}`).toContain(mark);
        if (mark === '✓') shown[role!]!.push(permission!);
      }
    }
    for (const r of ROLES) expect(shown[r], r).toEqual(PERMISSIONS.filter((p) => ROLE_PERMISSIONS[r].includes(p)));
    // Every role has something, and every permission is someone's (no dead rows in the table).
    for (const r of ROLES) expect(shown[r]!.length, r).toBeGreaterThan(0);
    for (const p of PERMISSIONS) expect(ROLES.some((r) => ROLE_PERMISSIONS[r].includes(p)), p).toBe(true);
  });
});
