// verifyAudit on its own (LG3): any content verifies, any page size gives the same answer, and odd
// damage (a BLOB, a far-away seq, a negative seq, another clinic's log) is named, not crashed on.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Client } from '@libsql/client';
import { testInstall, type TestInstall } from '../helpers/system.ts';
import type { ClinicHandle } from '../../src/tenancy/registry.ts';
import { appendAudit } from '../../src/audit/log.ts';
import { verifyAudit } from '../../src/audit/verify.ts';
import type { AuditEvent } from '../../src/audit/types.ts';
import { systemClock } from '../../src/platform/ports.ts';

let t: TestInstall;
let clinic: ClinicHandle;

beforeEach(async () => {
  t = await testInstall();
  clinic = await t.system.clinics.get((await t.system.clinics.create({ slug: 'north', name: 'North Clinic' })).id);
});
afterEach(() => t.close());

const TRICKY = ['محمد عبد الله', 'emoji \u{1F9B7}\u{1F469}\u{200D}\u{2695}\u{FE0F}', 'quote " backslash \\ tab \t nl \n', '\u0001\u001f\u007f\u2028\u2029', 'lone \uD800 surrogate', 'nul \u0000 byte', ''];

function tricky(i: number): AuditEvent {
  const s = TRICKY[i % TRICKY.length]!;
  return {
    action: 'read',
    outcome: i % 5 ? 'success' : 'denied',
    actor: { userId: `u_${i}`, kind: 'user', roles: ['doctor', s], sessionHash: null, ip: '::1', userAgent: s },
    entity: { type: 'patient', id: s, patientId: `p_${i}` },
    reason: i % 3 ? null : s,
    detail: { note: s, n: i, ok: i % 2 === 0, none: null },
  };
}

async function fill(client: Client, n: number): Promise<void> {
  for (let i = 0; i < n; i += 10) await appendAudit(client, systemClock, Array.from({ length: Math.min(10, n - i) }, (_, k) => tricky(i + k)));
}

async function tamper(sql: string): Promise<void> {
  await clinic.client.execute('DROP TRIGGER IF EXISTS audit_log_no_update');
  await clinic.client.execute('DROP TRIGGER IF EXISTS audit_log_no_delete');
  await clinic.client.execute(sql);
}

describe('verifyAudit', () => {
  it('LG3: any Unicode content verifies, with any page size', async () => {
    await fill(clinic.client, 100);
    for (const pageSize of [1, 7, 100, 5000]) {
      expect(await verifyAudit(clinic.client, { pageSize }), `page size ${pageSize}`).toMatchObject({ ok: true, rows: 100, head: { seq: 100 } });
    }
    const seen: number[] = [];
    await verifyAudit(clinic.client, { pageSize: 30, onProgress: (n) => seen.push(n) });
    expect(seen).toEqual([30, 60, 90, 100]);
  });

  it('LG3: names the same first bad row whatever the page size', async () => {
    await fill(clinic.client, 100);
    await tamper("UPDATE audit_log SET ip = '::2' WHERE seq = 64");
    for (const pageSize of [1, 7, 64, 5000]) {
      expect(await verifyAudit(clinic.client, { pageSize })).toEqual({ ok: false, seq: 64, reason: 'hash does not match the row (the row was changed)' });
    }
  });

  it('LG3: an empty log is intact, unless the control database recorded a head', async () => {
    expect(await verifyAudit(clinic.client)).toEqual({ ok: true, rows: 0, head: null, unchained: 0 });
    expect(await verifyAudit(clinic.client, { recordedHead: { seq: 3, hash: 'ab'.repeat(32) } })).toEqual({
      ok: false,
      seq: 1,
      reason: 'truncated after seq 0 (the control database recorded seq 3)',
    });
  });

  it('LG3: a far-away seq, a negative seq and a BLOB are each named', async () => {
    await fill(clinic.client, 20);
    await tamper('UPDATE audit_log SET seq = 1000000000000 WHERE seq = 20');
    expect(await verifyAudit(clinic.client)).toEqual({ ok: false, seq: 20, reason: 'rows 20 to 999999999999 missing (the next row is seq 1000000000000)' });
    await clinic.client.execute('UPDATE audit_log SET seq = -5 WHERE seq = 1000000000000');
    expect(await verifyAudit(clinic.client)).toEqual({ ok: false, seq: -5, reason: 'out of order (expected seq 1)' });
    await clinic.client.execute('UPDATE audit_log SET seq = 20 WHERE seq = -5');
    expect(await verifyAudit(clinic.client)).toMatchObject({ ok: true, rows: 20 });
    await clinic.client.execute("UPDATE audit_log SET detail = x'00ff' WHERE seq = 12");
    expect(await verifyAudit(clinic.client)).toEqual({ ok: false, seq: 12, reason: 'hash does not match the row (the row was changed)' });
  });

  it("LG3: another clinic's log copied into this database fails at seq 1", async () => {
    await fill(clinic.client, 5);
    const other = await t.system.clinics.get((await t.system.clinics.create({ slug: 'south', name: 'South Clinic' })).id);
    const rows = (await clinic.client.execute('SELECT * FROM audit_log ORDER BY seq')).rows;
    for (const row of rows) {
      const cols = Object.keys(row);
      await other.client.execute({ sql: `INSERT INTO audit_log (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`, args: cols.map((c) => row[c] ?? null) });
    }
    expect(await verifyAudit(other.client)).toEqual({ ok: false, seq: 1, reason: "prev_hash is not the chain's genesis value (the start of the log was replaced)" });
  });
});
