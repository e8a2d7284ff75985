import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, testInstall, type TestInstall } from '../helpers/system.ts';
import { signedIn } from '../helpers/identity.ts';
import { verifyClinic } from '../../src/features/audit/verification.ts';
import { SecurityEventService } from '../../src/features/security/service.ts';
import { safeCell, toCsv } from '../../src/http/csv.ts';

let t: TestInstall;
const clock = new FakeClock();
beforeAll(async () => {
  t = await testInstall({ demo: true, clock });
});
afterAll(() => t.close());

describe('audit viewer', () => {
  it('LG1: shows events newest first, filters by person, action and outcome, and pages with and without htmx', async () => {
    const nurse = await signedIn(t, 'nurse@demo.test');
    await nurse.get('/admin/staff'); // denied: recorded
    const admin = await signedIn(t, 'admin@demo.test');
    const all = await admin.get('/admin/audit');
    expect(all.status).toBe(200);
    const seqs = [...admin.lastHtml.matchAll(/data-seq="(\d+)"/g)].map((m) => Number(m[1]));
    expect(seqs.length).toBeGreaterThan(3);
    expect([...seqs].sort((a, b) => b - a)).toEqual(seqs);
    const nurseId = (await t.system.controlClient.execute("SELECT id FROM users WHERE email = 'nurse@demo.test'")).rows[0]!.id as string;
    await admin.get(`/admin/audit?person=${nurseId}&outcome=denied`);
    const rows = [...admin.lastHtml.matchAll(/<tr data-seq="\d+" class="bad">[\s\S]*?<\/tr>/g)].map((m) => m[0]);
    expect(rows.length).toBe(1);
    expect(rows[0]).toContain('/admin/staff');
    expect(rows[0]).toContain('Mariam Hassan');
    // htmx gets the fragment; paging links carry the filter.
    const fragment = await admin.get('/admin/audit?action=read', { htmx: true });
    expect(await fragment.text()).not.toContain('<html');
    expect((await admin.get('/admin/audit?from=2026-13-45')).status).toBe(400);
    expect((await admin.get('/admin/audit?evil=1')).status).toBe(400);
  });

  it('VE3: the CSV download neutralises formulas and is itself audited with its size and hash', async () => {
    expect(safeCell('=HYPERLINK("x")')).toBe(`'=HYPERLINK("x")`);
    for (const bad of ['+1', '-1', '@SUM(A1)', '\tx', '\rx']) expect(safeCell(bad).startsWith("'")).toBe(true);
    expect(safeCell('plain, "quoted"')).toBe('plain, "quoted"');
    expect(toCsv(['a'], [['=1+1']])).toBe('\uFEFFa\r\n"\'=1+1"\r\n'.replace('"\'=1+1"', "'=1+1"));
    const admin = await signedIn(t, 'admin@demo.test');
    expect((await admin.get('/admin/audit.csv')).status).toBe(400);
    const res = await admin.get('/admin/audit.csv?reason=quarterly%20review');
    expect(res.headers.get('Content-Type')).toMatch(/text\/csv/);
    expect(res.headers.get('Content-Disposition')).toMatch(/^attachment; filename="audit-\d{4}-\d{2}-\d{2}\.csv"$/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text.split('\r\n')[0]).toBe('seq,at,person,actor_kind,roles,action,outcome,entity_type,entity_id,patient_id,reason,route,ip,user_agent,request_id,detail,hash');
    const demo = (await t.system.clinics.bySlug('demo'))!;
    const { client } = await t.system.clinics.get(demo.id);
    const last = (await client.execute("SELECT action, detail, reason FROM audit_log WHERE action = 'export' ORDER BY seq DESC LIMIT 1")).rows[0]!;
    const detail = JSON.parse(String(last.detail));
    expect(detail.bytes).toBe(bytes.length);
    expect(last.reason).toBe('quarterly review');
    expect(detail.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('LG3: administrators see the last integrity check; a failed one raises a security event', async () => {
    const demo = (await t.system.clinics.bySlug('demo'))!;
    const deps = { clinics: t.system.clinics, controlClient: t.system.controlClient, clock, security: new SecurityEventService(t.system.clinics, clock) };
    const ok = await verifyClinic(deps, demo.id);
    expect(ok.ok).toBe(true);
    const admin = await signedIn(t, 'admin@demo.test');
    await admin.get('/admin/audit');
    expect(admin.lastHtml).toMatch(/data-testid="audit-verification">Last integrity check .*: intact, \d+ events\./);
    const { client } = await t.system.clinics.get(demo.id);
    await client.execute('DROP TRIGGER audit_log_no_update');
    await client.execute("UPDATE audit_log SET action = 'delete' WHERE seq = 2");
    const bad = await verifyClinic(deps, demo.id);
    expect(bad).toMatchObject({ ok: false, seq: 2 });
    await admin.get('/admin/audit');
    expect(admin.lastHtml).toContain('FAILED at event 2');
    await admin.get('/admin/security');
    expect(admin.lastHtml).toContain('data-event="audit-verify-failed"');
  });
});
