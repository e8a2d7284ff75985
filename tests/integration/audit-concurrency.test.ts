// Writers of the audit log (LG1, LG3): concurrent appends never fork the chain, whether through one
// client, two connections in one process, or two processes; a change and its event commit together.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Client } from '@libsql/client';
import { testInstall, type TestInstall } from '../helpers/system.ts';
import { libsqlFiles } from '../../src/platform/node/libsql.ts';
import { closeClient, tuneConnection } from '../../src/tenancy/db.ts';
import type { ClinicHandle } from '../../src/tenancy/registry.ts';
import { clinicMeta } from '../../src/tenancy/schema/clinic/index.ts';
import { appendAudit, auditedDbWrite, auditedWrite } from '../../src/audit/log.ts';
import { controlHeadAnchor, readRecordedHead } from '../../src/audit/heads.ts';
import { verifyAudit } from '../../src/audit/verify.ts';
import { OPERATOR, type AuditEvent } from '../../src/audit/types.ts';
import { systemClock } from '../../src/platform/ports.ts';

const event = (n: number, extra: Partial<AuditEvent> = {}): AuditEvent => ({
  action: 'update',
  outcome: 'success',
  actor: { userId: `u_${n % 7}`, kind: 'user', roles: ['nurse'], sessionHash: null, ip: '10.0.0.2', userAgent: 'test' },
  entity: { type: 'scratch', id: `s_${n}` },
  detail: { n },
  ...extra,
});

let t: TestInstall;
let clinic: ClinicHandle;
let file: string;
const extra: Client[] = [];

beforeEach(async () => {
  t = await testInstall();
  const row = await t.system.clinics.create({ slug: 'north', name: 'North Clinic' });
  clinic = await t.system.clinics.get(row.id);
  file = t.platform.dataDir.resolve(`clinics/${row.id}.db`);
  await clinic.client.execute('CREATE TABLE scratch (id TEXT PRIMARY KEY, body TEXT NOT NULL)');
});

afterEach(async () => {
  for (const c of extra.splice(0)) await closeClient(c);
  await t.close();
});

async function secondConnection(): Promise<Client> {
  const c = await libsqlFiles.open(file, clinic.keys.dbKey);
  await tuneConnection(c);
  extra.push(c);
  return c;
}

async function seqs(): Promise<number[]> {
  return (await clinic.client.execute('SELECT seq FROM audit_log ORDER BY seq')).rows.map((r) => Number(r.seq));
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('concurrent appends', () => {
  it('LG3: 300 parallel writers through one client (append, auditedWrite, drizzle) leave one unbroken chain', async () => {
    const anchor = controlHeadAnchor(t.system.controlClient, clinic.id, systemClock);
    const jobs = range(300).map((i) => {
      if (i % 3 === 0) return appendAudit(clinic.client, systemClock, [event(i), event(i + 1000)], { anchor });
      if (i % 3 === 1) {
        return auditedWrite(
          clinic.client,
          systemClock,
          async (tx) => {
            await tx.execute({ sql: 'INSERT INTO scratch (id, body) VALUES (?, ?)', args: [`s_${i}`, 'x'] });
            return { result: [], events: [event(i)] };
          },
          { anchor },
        );
      }
      return auditedDbWrite(
        clinic.db,
        systemClock,
        async (tx) => {
          await tx.insert(clinicMeta).values({ key: `k_${i}`, value: 'v' });
          return { result: [], events: [event(i)] };
        },
        { anchor },
      );
    });
    const returned = await Promise.all(jobs);
    const total = 100 * 2 + 200;
    // appendAudit returns its seqs: the two events of one call are consecutive, and no seq repeats.
    const appended = returned.filter((r) => r.length > 0);
    expect(appended).toHaveLength(100);
    for (const [a, b] of appended) expect(b).toBe(a! + 1);
    expect(new Set(appended.flat()).size).toBe(200);
    expect(await seqs()).toEqual(range(total));
    const result = await verifyAudit(clinic.client, { recordedHead: await readRecordedHead(t.system.controlClient, clinic.id) });
    expect(result).toMatchObject({ ok: true, rows: total, head: { seq: total } });
    // Every head was recorded in order, so the control database holds the last one.
    expect(await readRecordedHead(t.system.controlClient, clinic.id)).toEqual(result.ok ? result.head : null);
    expect((await clinic.client.execute('SELECT count(*) AS n FROM scratch')).rows[0]!.n).toBe(100);
  });

  it('LG3: two connections to the same file appending at once leave one unbroken chain', async () => {
    const other = await secondConnection();
    const anchorA = controlHeadAnchor(t.system.controlClient, clinic.id, systemClock);
    const jobs = range(300).map((i) => appendAudit(i % 2 ? clinic.client : other, systemClock, [event(i)], { anchor: anchorA }));
    const returned = await Promise.all(jobs);
    expect(returned.flat().sort((a, b) => a - b)).toEqual(range(300));
    expect(await seqs()).toEqual(range(300));
    expect(await verifyAudit(other, { recordedHead: await readRecordedHead(t.system.controlClient, clinic.id) })).toMatchObject({ ok: true, rows: 300 });
  });

  it('LG3: two processes appending to the same clinic file at once leave one unbroken chain', async () => {
    const log = fileURLToPath(new URL('../../src/audit/log.ts', import.meta.url));
    const libsql = fileURLToPath(new URL('../../src/platform/node/libsql.ts', import.meta.url));
    const db = fileURLToPath(new URL('../../src/tenancy/db.ts', import.meta.url));
    const script = `
      import { appendAudit } from ${JSON.stringify(log)};
      import { libsqlFiles } from ${JSON.stringify(libsql)};
      import { tuneConnection, closeClient } from ${JSON.stringify(db)};
      import { existsSync, writeFileSync } from 'node:fs';
      const [file, key, who, barrier] = process.argv.slice(1);
      const client = await libsqlFiles.open(file, key);
      await tuneConnection(client);
      const clock = { now: () => new Date() };
      // Both processes start together, whatever their start-up times: each says it is ready and
      // waits for the other.
      writeFileSync(barrier + '.' + who, '');
      const peer = barrier + '.' + (who === 'u_a' ? 'u_b' : 'u_a');
      while (!existsSync(peer)) await new Promise((r) => setTimeout(r, 5));
      for (let i = 0; i < 400; i++) {
        // Two events per transaction, a few transactions in flight at a time.
        await Promise.all([0, 1, 2].map((k) => appendAudit(client, clock, [0, 1].map((j) => ({
          action: 'read', outcome: 'success', actor: { userId: who, kind: 'user', roles: [], sessionHash: null, ip: null, userAgent: null },
          entity: { type: 'scratch', id: who + '-' + i + '-' + k + '-' + j } })))));
        // A request's worth of other work between appends: without it one process can hold SQLite's
        // write lock back to back and the other only waits (no interleaving to test).
        await new Promise((r) => setTimeout(r, 1));
      }
      await closeClient(client);
    `;
    const run = (who: string) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, file, clinic.keys.dbKey, who, barrier], {
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (d) => (stderr += d));
        child.on('close', (code) => resolve({ code, stderr }));
      });
    const barrier = `${file}.barrier`;
    const [a, b] = await Promise.all([run('u_a'), run('u_b')]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(await seqs()).toEqual(range(4800));
    expect(await verifyAudit(clinic.client)).toMatchObject({ ok: true, rows: 4800 });
    const who = (await clinic.client.execute('SELECT actor_user_id AS who FROM audit_log ORDER BY seq')).rows.map((r) => r.who);
    expect(who.filter((w) => w === 'u_a')).toHaveLength(2400);
    // They really did write at the same time: the chain alternates between them (how often depends
    // on the scheduler of a busy machine, so only that it happened is asserted).
    const switches = who.filter((w, i) => i > 0 && w !== who[i - 1]).length;
    expect(switches).toBeGreaterThan(4);
  }, 60_000);
});

describe('a change and its audit event', () => {
  const count = async (sql: string) => Number((await clinic.client.execute(sql)).rows[0]!.n);

  it('LG1: auditedWrite commits both, or neither when the work throws or its event is invalid', async () => {
    await auditedWrite(clinic.client, systemClock, async (tx) => {
      await tx.execute("INSERT INTO scratch (id, body) VALUES ('a', 'kept')");
      return { result: undefined, events: [event(1)] };
    });
    await expect(
      auditedWrite(clinic.client, systemClock, async (tx) => {
        await tx.execute("INSERT INTO scratch (id, body) VALUES ('b', 'lost')");
        throw new Error('the work failed');
      }),
    ).rejects.toThrow('the work failed');
    await expect(
      auditedWrite(clinic.client, systemClock, async (tx) => {
        await tx.execute("INSERT INTO scratch (id, body) VALUES ('c', 'lost')");
        return { result: undefined, events: [event(3, { action: 'break-glass' })] }; // no reason
      }),
    ).rejects.toThrow(/reason/);
    expect(await count('SELECT count(*) AS n FROM scratch')).toBe(1);
    expect(await count('SELECT count(*) AS n FROM audit_log')).toBe(1);
    // The client is free again, and the chain intact.
    expect(await appendAudit(clinic.client, systemClock, [event(4)])).toEqual([2]);
    expect(await verifyAudit(clinic.client)).toMatchObject({ ok: true, rows: 2 });
  });

  it('LG1: auditedDbWrite (drizzle) commits both, or neither when the work throws', async () => {
    const value = await auditedDbWrite(clinic.db, systemClock, async (tx) => {
      await tx.insert(clinicMeta).values({ key: 'k1', value: 'kept' });
      return { result: 'done', events: [event(1), event(2)] };
    });
    expect(value).toBe('done');
    await expect(
      auditedDbWrite(clinic.db, systemClock, async (tx) => {
        await tx.insert(clinicMeta).values({ key: 'k2', value: 'lost' });
        throw new Error('the work failed');
      }),
    ).rejects.toThrow('the work failed');
    expect(await clinic.db.select().from(clinicMeta).where(eq(clinicMeta.key, 'k2'))).toEqual([]);
    expect((await clinic.db.select().from(clinicMeta).where(eq(clinicMeta.key, 'k1')))[0]?.value).toBe('kept');
    expect(await count('SELECT count(*) AS n FROM audit_log')).toBe(2);
    expect(await verifyAudit(clinic.client)).toMatchObject({ ok: true, rows: 2 });
  });

  it('LG3: both hold the write lock from the start of the work (BEGIN IMMEDIATE)', async () => {
    // Another process tries to write with no busy timeout. (In this process it would share the
    // thread: a refused statement there stays open in libSQL and upsets that connection.)
    const probe = () =>
      new Promise<string>((resolve) => {
        const script = `
          import { createClient } from '@libsql/client';
          import { pathToFileURL } from 'node:url';
          const [file, key] = process.argv.slice(1);
          const c = createClient({ url: pathToFileURL(file).href, encryptionKey: key });
          await c.execute('PRAGMA busy_timeout = 0');
          try {
            await c.batch([{ sql: 'INSERT INTO scratch (id, body) VALUES (?, ?)', args: [String(Date.now()) + Math.floor(performance.now()), 'other'] }], 'write');
            console.log('written');
          } catch (e) { console.log(e.message); }
          c.close();
        `;
        const child = spawn(process.execPath, ['--input-type=module', '-e', script, file, clinic.keys.dbKey], { cwd: fileURLToPath(new URL('../..', import.meta.url)) });
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.on('close', () => resolve(out.trim()));
      });
    const seen: string[] = [];
    await auditedWrite(clinic.client, systemClock, async () => {
      seen.push(await probe());
      return { result: undefined, events: [event(1)] };
    });
    await auditedDbWrite(clinic.db, systemClock, async () => {
      seen.push(await probe());
      return { result: undefined, events: [event(2)] };
    });
    expect(seen).toHaveLength(2);
    for (const s of seen) expect(s).toMatch(/SQLITE_BUSY|locked/);
    expect(await probe()).toBe('written');
  }, 30_000);
});
