// D-0001's demo dental chart (CONTRACT.md "Demo clinic"): findings on several teeth, dated over
// time, by the demo dentist, one draft by the assistant; seeded once with the clinical records
// (a second seed adds nothing); the archive's exports read it (dental.json, Observations, SVG).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testInstall, type TestInstall } from '../helpers/system.ts';
import { DEMO_PASSWORD, signedIn } from '../helpers/identity.ts';
import type { ClinicHandle } from '../../src/tenancy/registry.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { seedDemoDental } from '../../src/demo/dental.ts';
import { services } from '../../src/system-app.ts';
import { systemClock } from '../../src/platform/ports.ts';

let t: TestInstall;
let h: ClinicHandle;
let richId: string;

beforeAll(async () => {
  t = await testInstall({ demo: true });
  await seedDemo({ control: t.system.control, clinics: t.system.clinics, hasher: t.platform.hasher }, DEMO_PASSWORD, { clinical: true });
  h = await t.system.clinics.get((await t.system.clinics.bySlug('demo'))!.id);
  richId = String((await h.client.execute("SELECT id FROM patients WHERE mrn = 'D-0001'")).rows[0]!.id);
}, 60_000);
afterAll(() => t?.close());

describe('demo dental chart', () => {
  it('D-0001 has findings on several teeth, in the past, each entry audited; a second seed adds nothing', async () => {
    const rows = (await h.client.execute({ sql: 'SELECT tooth, recorded_at, draft FROM dental_entries WHERE patient_id = ?', args: [richId] })).rows;
    expect(new Set(rows.map((r) => r.tooth)).size).toBeGreaterThanOrEqual(8);
    expect(rows.every((r) => String(r.recorded_at) < new Date().toISOString())).toBe(true);
    expect(rows.filter((r) => r.draft === 1)).toHaveLength(1);
    const events = Number((await h.client.execute({ sql: "SELECT count(*) AS n FROM audit_log WHERE entity_type = 'dental-entry' AND patient_id = ?", args: [richId] })).rows[0]!.n);
    expect(events).toBe(rows.length);
    expect(await seedDemoDental({ clinics: t.system.clinics, control: t.system.control }, h.id)).toBe(0);
    await seedDemo({ control: t.system.control, clinics: t.system.clinics, hasher: t.platform.hasher }, DEMO_PASSWORD, { clinical: true });
    expect(Number((await h.client.execute({ sql: 'SELECT count(*) AS n FROM dental_entries', args: [] })).rows[0]!.n)).toBe(rows.length);
  });

  it('the demo doctor sees it drawn, and the chart of two years ago is empty', async () => {
    const doctor = await signedIn(t, 'doctor@demo.test');
    await doctor.get(`/patients/${richId}/dental`);
    const html = doctor.lastHtml;
    expect(html).toMatch(/<g data-tooth="16"[^>]*>[\s\S]*?data-surface="O"[^>]*data-finding="filling"/);
    expect(html).toMatch(/<g data-tooth="36"[^>]*>[\s\S]*?data-mark="crown"/);
    expect(html).toMatch(/<g data-tooth="18" data-state="missing"/);
    expect(html).toMatch(/<g data-tooth="44"[^>]*>[\s\S]*?data-mark="draft"/);
    expect(html).toContain('Crown, Metal-ceramic');
    const old = new Date(Date.now() - 730 * 86_400_000).toISOString().slice(0, 10);
    await doctor.get(`/patients/${richId}/dental?asOf=${old}`);
    expect(doctor.lastHtml).not.toContain('data-finding=');
    expect(doctor.lastHtml).not.toContain('data-mark=');
  });

  it('the archive reads it: dental.json with authors, Observations, and the SVG', async () => {
    const dental = services(t.system, systemClock).dental;
    const json = await dental.dentalChartJson(h.id, richId);
    expect(json.teeth.map((x) => x.fdi)).toEqual(expect.arrayContaining(['11', '16', '18', '21', '24', '26', '36', '38', '44', '46', '47']));
    expect(json.teeth.find((x) => x.fdi === '46')!.surfaces).toMatchObject({ M: [{ finding: 'filling', material: 'amalgam' }], O: [{ finding: 'filling' }], D: [{ finding: 'filling' }] });
    expect(json.teeth.find((x) => x.fdi === '16')!.surfaces.O![0]!.recordedBy.name).toBe('Dr. Ahmed Al-Khalifa');
    const obs = await dental.dentalObservations(h.id, richId, `Patient/${richId.replace(/_/g, '-')}`);
    expect(obs.length).toBeGreaterThan(10);
    expect(obs.filter((o) => o.status === 'preliminary').map((o) => o.code.coding[0]!.code).sort()).toEqual(['caries', 'crown', 'extracted', 'filling', 'filling']);
    const svg = await dental.dentalChartSvg(h.id, richId);
    expect(svg).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
    expect(svg).toMatch(/<g data-tooth="36"[^>]*>[\s\S]*?data-mark="root-canal"/);
    // Unknown ids give an empty chart, not an error.
    expect((await dental.dentalChartJson(h.id, 'nope')).teeth).toEqual([]);
  });
});
