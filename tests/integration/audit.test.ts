// The audit log through the CLI (LG3): the database refuses changes; with its triggers dropped,
// `invent audit verify` names the first row that an edit, a deletion, an insertion, a reordering
// or a truncation broke. Every case runs on its own copy of one prepared installation.
import { copyFileSync, cpSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { invent } from '../helpers/cli.ts';
import { memoryLogger, tempDir, TEST_MASTER_KEY } from '../helpers/system.ts';
import { localPlatform } from '../../src/platform/node/index.ts';
import { readConfig } from '../../src/config.ts';
import { openSystem, type System } from '../../src/tenancy/system.ts';
import { clinicAuditSink } from '../../src/audit/log.ts';
import { chainHash } from '../../src/audit/chain.ts';
import { eventValues } from '../../src/audit/row.ts';
import { controlEventSink } from '../../src/auth/events.ts';
import { verifyIdentityEvents } from '../../src/audit/identity.ts';
import { readRecordedHead } from '../../src/audit/heads.ts';
import type { AuditEvent } from '../../src/audit/types.ts';
import { systemClock } from '../../src/platform/ports.ts';

const envFor = (dir: string) => ({ INVENT_DATA_DIR: dir, INVENT_MASTER_KEY: TEST_MASTER_KEY });

async function openAt(dir: string): Promise<System> {
  const env = envFor(dir);
  return openSystem(localPlatform({ dataDir: dir, env, log: memoryLogger() }), readConfig(env));
}

const doctor = { userId: 'u_doctor', kind: 'user' as const, roles: ['doctor'], sessionHash: 'c'.repeat(64), ip: '10.0.0.7', userAgent: 'test' };
const readEvent = (n: number): AuditEvent => ({
  action: 'read',
  outcome: 'success',
  actor: doctor,
  entity: { type: 'patient', id: `p_${n}`, patientId: `p_${n}` },
  route: '/patients/:id',
  detail: { n },
});

/** Appends events one call at a time, as requests would, each recording the head in control. */
async function appendReads(dir: string, from: number, count: number): Promise<void> {
  const system = await openAt(dir);
  try {
    const id = (await system.clinics.bySlug('demo'))!.id;
    const sink = clinicAuditSink({ clinics: system.clinics, controlClient: system.controlClient, clock: systemClock });
    for (let i = 0; i < count; i++) await sink(id, [readEvent(from + i)]);
  } finally {
    await system.close();
  }
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

let prepared: { path: string; remove(): void };
beforeAll(async () => {
  prepared = tempDir('invent-audit-');
  const created = await invent(['clinic', 'create', 'demo', '--name', 'Demo Clinic'], envFor(prepared.path));
  expect(created.code, created.stderr).toBe(0);
  await appendReads(prepared.path, 1, 20); // seqs 1..20, head 20 recorded in control
});
afterAll(() => prepared.remove());

/** A copy of the prepared installation and a runner for the CLI on it. */
function copy() {
  const d = tempDir('invent-audit-copy-');
  cleanups.push(d.remove);
  cpSync(prepared.path, d.path, { recursive: true });
  const env = envFor(d.path);
  return {
    dir: d.path,
    run: (...argv: string[]) => invent(argv, env),
    sql: async (statement: string) => {
      const r = await invent(['db', 'sql', '--clinic', 'demo', statement], env);
      expect(r.code, `${statement}: ${r.stderr}`).toBe(0);
      return JSON.parse(r.stdout) as Record<string, unknown>[];
    },
    verify: () => invent(['audit', 'verify', '--clinic', 'demo'], env),
  };
}

async function expectBad(c: ReturnType<typeof copy>, line: string | RegExp): Promise<void> {
  const r = await c.verify();
  expect(r.code, r.stdout).toBe(1);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  if (typeof line === 'string') expect(r.stderr.trim()).toBe(line);
  else expect(r.stderr.trim()).toMatch(line);
}

describe('invent audit verify', () => {
  it('LG3: reports an intact log, then records its own check as an operator event', async () => {
    const c = copy();
    const first = await c.verify();
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe('intact: 20 rows\n');
    const cols = 'SELECT seq, action, outcome, actor_kind, actor_user_id, entity_type, detail FROM audit_log WHERE seq > 20 ORDER BY seq';
    // The check was recorded after it read the log; this SELECT is recorded after it runs.
    expect(await c.sql(cols)).toEqual([
      { seq: 21, action: 'execute', outcome: 'success', actor_kind: 'operator', actor_user_id: null, entity_type: 'audit_log', detail: '{"command":"audit verify","rows":20}' },
    ]);
    expect((await c.sql(cols))[1]).toEqual(
      { seq: 22, action: 'execute', outcome: 'success', actor_kind: 'operator', actor_user_id: null, entity_type: 'sql', detail: '{"command":"db sql","statement":"SELECT"}' },
    );
    const json = await c.run('audit', 'verify', '--clinic', 'demo', '--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, rows: 23, head: { seq: 23 } });
    expect((await c.run('audit', 'verify')).code).toBe(2);
    expect((await c.run('audit', 'check', '--clinic', 'demo')).code).toBe(2);
    expect((await c.run('audit', 'verify', '--clinic', 'nowhere')).code).toBe(1);
  });

  it('LG3: the database refuses UPDATE and DELETE on audit_log; the refused attempts are audited', async () => {
    const c = copy();
    for (const statement of ["UPDATE audit_log SET action='x'", 'DELETE FROM audit_log WHERE seq = 3', 'DELETE FROM audit_log']) {
      const r = await c.run('db', 'sql', '--clinic', 'demo', statement);
      expect(r.code, statement).toBe(1);
      expect(r.stderr).toMatch(/append-only/);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    const rows = await c.sql("SELECT seq, outcome, detail, action FROM audit_log WHERE entity_type = 'sql' ORDER BY seq");
    expect(rows.slice(0, 3)).toEqual([
      { seq: 21, outcome: 'failure', detail: '{"command":"db sql","statement":"UPDATE"}', action: 'execute' },
      { seq: 22, outcome: 'failure', detail: '{"command":"db sql","statement":"DELETE"}', action: 'execute' },
      { seq: 23, outcome: 'failure', detail: '{"command":"db sql","statement":"DELETE"}', action: 'execute' },
    ]);
    expect((await c.sql('SELECT count(*) AS n FROM audit_log'))[0]!.n).toBe(24);
    expect((await c.verify()).stdout).toBe('intact: 25 rows\n');
  });

  it('LG3: an edited row is named by its seq', async () => {
    const c = copy();
    await c.sql('DROP TRIGGER audit_log_no_update'); // recorded as seq 21
    await c.sql(`UPDATE audit_log SET detail = '{"n":70}' WHERE seq = 7`);
    await expectBad(c, 'first bad seq 7: hash does not match the row (the row was changed)');
  });

  it('LG3: an edit that also recomputes the row\u2019s own hash breaks the link to the next row', async () => {
    const c = copy();
    await c.sql('DROP TRIGGER audit_log_no_update');
    const [row] = await c.sql('SELECT seq, at, action, outcome, actor_user_id, actor_kind, actor_roles, session_hash, ip, user_agent, entity_type, entity_id, patient_id, reason, request_id, route, detail, prev_hash FROM audit_log WHERE seq = 7');
    const values = Object.values(row!).slice(0, 17) as (string | number | null)[];
    values[2] = 'update';
    await c.sql(`UPDATE audit_log SET action = 'update', hash = '${chainHash(String(row!.prev_hash), values)}' WHERE seq = 7`);
    await expectBad(c, 'first bad seq 8: prev_hash does not match the hash of seq 7 (a row was removed, inserted or moved)');
  });

  it('LG3: a deleted row is named by its seq', async () => {
    const c = copy();
    await c.sql('DROP TRIGGER audit_log_no_delete');
    await c.sql('DELETE FROM audit_log WHERE seq = 7');
    await expectBad(c, 'first bad seq 7: row missing (the next row is seq 8)');
  });

  it('LG3: an inserted row (renumbering the rest to make room) is found where it breaks the chain', async () => {
    const c = copy();
    await c.sql('DROP TRIGGER audit_log_no_update');
    await c.sql('UPDATE audit_log SET seq = seq + 1000 WHERE seq >= 7');
    await c.sql('UPDATE audit_log SET seq = seq - 999 WHERE seq >= 1007');
    const hash6 = String((await c.sql('SELECT hash FROM audit_log WHERE seq = 6'))[0]!.hash);
    // A forger who knows the scheme: the new row chains correctly to seq 6 and carries a valid hash.
    const values = eventValues(readEvent(99), '2026-12-04T08:00:00.000Z');
    values[0] = 7;
    const cols = 'seq, at, action, outcome, actor_user_id, actor_kind, actor_roles, session_hash, ip, user_agent, entity_type, entity_id, patient_id, reason, request_id, route, detail, prev_hash, hash';
    const literal = (v: unknown) => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`);
    await c.sql(`INSERT INTO audit_log (${cols}) VALUES (${[...values, hash6, chainHash(hash6, values)].map(literal).join(', ')})`);
    await expectBad(c, 'first bad seq 8: prev_hash does not match the hash of seq 7 (a row was removed, inserted or moved)');
    // A clumsier forgery (a made-up hash) is caught at the row itself.
    await c.sql(`UPDATE audit_log SET hash = '${'0'.repeat(64)}' WHERE seq = 7`);
    await expectBad(c, 'first bad seq 7: hash does not match the row (the row was changed)');
  });

  it('LG3: two swapped rows are named at the first of them', async () => {
    const c = copy();
    await c.sql('DROP TRIGGER audit_log_no_update');
    await c.sql('UPDATE audit_log SET seq = -7 WHERE seq = 7');
    await c.sql('UPDATE audit_log SET seq = 7 WHERE seq = 8');
    await c.sql('UPDATE audit_log SET seq = 8 WHERE seq = -7');
    await expectBad(c, 'first bad seq 7: prev_hash does not match the hash of seq 6 (a row was removed, inserted or moved)');
  });

  it('LG3: a tail deleted through the CLI stays a gap, because writers continue after the highest seq ever written', async () => {
    const c = copy();
    await c.sql('DROP TRIGGER audit_log_no_delete'); // seq 21
    await c.sql('DELETE FROM audit_log WHERE seq > 15'); // its own event goes to seq 22
    await expectBad(c, 'first bad seq 16: rows 16 to 21 missing (the next row is seq 22)');
  });

  it('LG3: a truncated tail is reported against the head recorded in the control database', async () => {
    const c = copy();
    // A tamperer with the key and no CLI: no audit event follows, and sqlite_sequence is fixed up too.
    const system = await openAt(c.dir);
    try {
      const handle = await system.clinics.get((await system.clinics.bySlug('demo'))!.id);
      await handle.client.execute('DROP TRIGGER audit_log_no_delete');
      await handle.client.execute('DELETE FROM audit_log WHERE seq > 15');
      await handle.client.execute("UPDATE sqlite_sequence SET seq = 15 WHERE name = 'audit_log'");
    } finally {
      await system.close();
    }
    await expectBad(c, 'first bad seq 16: truncated after seq 15 (the control database recorded seq 20)');
    // Appending again past the old head (the check above took seq 16; these take 17..24) does not
    // carry the recorded head along: still reported.
    await appendReads(c.dir, 100, 8);
    await expectBad(c, 'first bad seq 20: differs from the head recorded in the control database (the log was cut and written again)');
  });

  it('LG3: a clinic file put back from an older copy is reported as truncated', async () => {
    const c = copy();
    const clinicDir = join(c.dir, 'clinics');
    const file = readdirSync(clinicDir).find((f) => f.endsWith('.db'))!;
    copyFileSync(join(clinicDir, file), join(c.dir, 'old.db'));
    await appendReads(c.dir, 21, 5); // head 25
    copyFileSync(join(c.dir, 'old.db'), join(clinicDir, file));
    await expectBad(c, 'first bad seq 21: truncated after seq 20 (the control database recorded seq 25)');
  });

  it('LG3: a log whose table was dropped is reported, not crashed on', async () => {
    const c = copy();
    const r = await c.run('db', 'sql', '--clinic', 'demo', 'DROP TABLE audit_log');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/audit event could not be written/);
    await expectBad(c, 'first bad seq 1: the audit_log table is missing');
  });
});

describe('identity events in the control database', () => {
  it('LG3: are hash-chained, append-only, and verified; an edit is named by its seq', async () => {
    const c = copy();
    const system = await openAt(c.dir);
    try {
      const sink = controlEventSink(system.control, systemClock);
      for (let i = 0; i < 5; i++) await sink({ type: 'sign-in.password', outcome: i % 2 ? 'failure' : 'success', userId: `u_${i}`, ip: '10.0.0.1', detail: { attempt: i } });
      expect(await verifyIdentityEvents(system.controlClient)).toMatchObject({ ok: true, rows: 5, unchained: 0 });
      await expect(system.controlClient.execute("UPDATE identity_events SET outcome = 'success'")).rejects.toThrow(/append-only/);
      await expect(system.controlClient.execute('DELETE FROM identity_events')).rejects.toThrow(/append-only/);
      // The recorded audit head only moves forward.
      const id = (await system.clinics.bySlug('demo'))!.id;
      expect(await readRecordedHead(system.controlClient, id)).toMatchObject({ seq: 20 });
      await expect(system.controlClient.execute('UPDATE audit_heads SET seq = 3')).rejects.toThrow(/only move forward/);
      await expect(system.controlClient.execute('DELETE FROM audit_heads')).rejects.toThrow(/only move forward/);

      await system.controlClient.execute('DROP TRIGGER identity_events_no_update');
      await system.controlClient.execute("UPDATE identity_events SET outcome = 'success' WHERE seq = 2");
      expect(await verifyIdentityEvents(system.controlClient)).toEqual({ ok: false, seq: 2, reason: 'hash does not match the row (the row was changed)' });
    } finally {
      await system.close();
    }
  });

  it('LG3: rows written before the chain existed are counted, and the chain starts after them', async () => {
    const c = copy();
    const system = await openAt(c.dir);
    try {
      const ctl = system.controlClient;
      // As a database migrated from before the chain would hold them.
      for (let i = 0; i < 3; i++) await ctl.execute(`INSERT INTO identity_events (at, type, outcome) VALUES ('2026-01-01T00:00:00.000Z', 'sign-out', 'success')`);
      const sink = controlEventSink(system.control, systemClock);
      await sink({ type: 'reauth', outcome: 'success', userId: 'u_1' });
      await sink({ type: 'reauth', outcome: 'success', userId: 'u_1' });
      expect(await verifyIdentityEvents(ctl)).toMatchObject({ ok: true, rows: 2, unchained: 3 });
      await ctl.execute('DROP TRIGGER identity_events_no_delete');
      await ctl.execute('DELETE FROM identity_events WHERE seq = 5');
      expect(await verifyIdentityEvents(ctl)).toMatchObject({ ok: false, seq: 5, reason: 'truncated after seq 4 (sqlite_sequence recorded seq 5)' });
    } finally {
      await system.close();
    }
  });
});
