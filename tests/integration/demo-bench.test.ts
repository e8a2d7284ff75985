// `invent demo --patients N --encounters M` (CONTRACT.md "Demo clinic"): every bench patient gets 0-3
// encounters (with vitals and a diagnosis), B-000001 gets M; a refill tops up and never doubles; the
// writes are audited per batch as the system.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testInstall, type TestInstall } from '../helpers/system.ts';
import { DEMO_PASSWORD } from '../helpers/identity.ts';
import { seedBench } from '../../src/demo/bench.ts';
import { benchEncounterCount } from '../../src/demo/clinical.ts';
import type { ClinicHandle } from '../../src/tenancy/registry.ts';

let t: TestInstall;
let h: ClinicHandle;

const seed = (patients: number, encounters?: number) =>
  seedBench({ control: t.system.control, clinics: t.system.clinics, hasher: t.platform.hasher, clock: t.platform.clock }, { password: DEMO_PASSWORD, patients, encounters });
const rows = async (sql: string) => (await h.client.execute(sql)).rows;

beforeAll(async () => {
  t = await testInstall();
});

afterAll(async () => {
  await t?.close();
});

describe('bench clinic encounters', () => {
  it('gives each patient its 0-3 encounters and B-000001 its M, each with vitals and a diagnosis', async () => {
    const first = await seed(20, 60);
    h = await t.system.clinics.get(first.clinic.id);
    const per = await rows("SELECT p.mrn, (SELECT count(*) FROM encounters e WHERE e.patient_id = p.id) AS n FROM patients p ORDER BY p.mrn");
    expect(per).toHaveLength(20);
    expect(Number(per[0]!.n)).toBe(60);
    for (const r of per.slice(1)) expect(Number(r.n)).toBe(benchEncounterCount(Number(String(r.mrn).slice(2))));
    const total = per.reduce((s, r) => s + Number(r.n), 0);
    expect(first.encounters).toBe(total);
    expect(Number((await rows('SELECT count(DISTINCT encounter_id) AS n FROM vitals'))[0]!.n)).toBe(total);
    expect(Number((await rows('SELECT count(DISTINCT encounter_id) AS n FROM diagnoses WHERE icd10 IS NOT NULL'))[0]!.n)).toBe(total);
    const audit = await rows("SELECT actor_kind, detail FROM audit_log WHERE entity_type = 'encounter'");
    expect(audit.length).toBeGreaterThan(0);
    expect(audit.every((r) => r.actor_kind === 'system')).toBe(true);
  });

  it('a refill adds the new patients\' encounters and tops B-000001 up, never doubling', async () => {
    const before = Number((await rows('SELECT count(*) AS n FROM encounters'))[0]!.n);
    const again = await seed(20, 60);
    expect(again.encounters).toBe(0);
    const more = await seed(30, 80);
    const after = Number((await rows('SELECT count(*) AS n FROM encounters'))[0]!.n);
    expect(after - before).toBe(more.encounters);
    const rich = await rows("SELECT count(*) AS n FROM encounters e JOIN patients p ON p.id = e.patient_id WHERE p.mrn = 'B-000001'");
    expect(Number(rich[0]!.n)).toBe(80);
    let added = 20;
    for (let n = 21; n <= 30; n++) added += benchEncounterCount(n);
    expect(more.encounters).toBe(added);
  });
});
