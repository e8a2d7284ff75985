// The audit chain's building blocks: SHA-256, the canonical form, and what an event becomes as a row.
import fc from 'fast-check';
import { createClient } from '@libsql/client';
import { describe, expect, it } from 'vitest';
import { sha256, sha256Hex } from '../../src/audit/sha256.ts';
import { canonical, chainHash, genesisHash, wellFormed } from '../../src/audit/chain.ts';
import { AUDIT_FIELDS, AuditEventError, chainRows, eventValues } from '../../src/audit/row.ts';
import { OPERATOR, type AuditEvent } from '../../src/audit/types.ts';
import { sqlKeyword } from '../../src/cli/audit.ts';

const hex = (b: ArrayBuffer | Uint8Array) => Buffer.from(b instanceof Uint8Array ? b : new Uint8Array(b)).toString('hex');
const webSha = async (b: Uint8Array) => hex(await crypto.subtle.digest('SHA-256', b as BufferSource));

describe('LG3: sha256', () => {
  it('matches WebCrypto at every length around the block boundaries', async () => {
    for (let len = 0; len <= 200; len++) {
      const data = crypto.getRandomValues(new Uint8Array(len));
      expect(sha256Hex(data), `length ${len}`).toBe(await webSha(data));
      expect(hex(sha256(data))).toBe(await webSha(data));
    }
  });

  it('matches WebCrypto on random inputs up to 5,000 bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 5000 }), async (data) => {
        expect(sha256Hex(data)).toBe(await webSha(data));
      }),
      { numRuns: 300 },
    );
  });
});

describe('LG3: canonical form', () => {
  it('is JSON.stringify of the values in order, and the hash is SHA-256 of prev_hash followed by it', async () => {
    const values = [7, '2026-12-04T08:00:00.000Z', 'read', 'success', null, 'operator', '[]', null, 'x"\\\n\u0001\u00e9\u0628'];
    expect(canonical(values)).toBe('[7,"2026-12-04T08:00:00.000Z","read","success",null,"operator","[]",null,"x\\"\\\\\\n\\u0001é\u0628"]');
    const prev = 'ab'.repeat(32);
    expect(chainHash(prev, values)).toBe(await webSha(new TextEncoder().encode(prev + canonical(values))));
  });

  it('the genesis value is SHA-256 of "invent-audit-genesis:" and the scope', async () => {
    expect(genesisHash('c_x')).toBe(await webSha(new TextEncoder().encode('invent-audit-genesis:c_x')));
    expect(genesisHash('c_x')).not.toBe(genesisHash('c_y'));
  });

  it("SQLite's json_array writes the same text for any stored string (verify's fast path)", async () => {
    const db = createClient({ url: ':memory:' });
    try {
      await db.execute('CREATE TABLE t (a TEXT, b TEXT, n INTEGER)');
      await fc.assert(
        fc.asyncProperty(
          fc.string({ unit: 'binary', maxLength: 60 }),
          fc.option(fc.string({ unit: 'grapheme', maxLength: 30 })),
          fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
          async (raw, other, n) => {
            const a = wellFormed(raw);
            await db.execute('DELETE FROM t');
            await db.execute({ sql: 'INSERT INTO t VALUES (?, ?, ?)', args: [a, other, n] });
            const row = (await db.execute("SELECT json_array(n, a, b) || '' AS j, a FROM t")).rows[0]!;
            expect(row.a).toBe(a);
            expect(row.j).toBe(canonical([n, a, other]));
          },
        ),
        { numRuns: 500 },
      );
    } finally {
      db.close();
    }
  });
});

describe('LG1: an event as a row', () => {
  const base: AuditEvent = { action: 'read', outcome: 'success', actor: OPERATOR, entity: { type: 'patient', id: 'p_1', patientId: 'p_1' } };

  it('holds every field in canonical order, detail with sorted keys', () => {
    const v = eventValues({ ...base, reason: 'r', requestId: 'q', route: '/patients/:id', detail: { z: 1, a: 'x', m: null } }, '2026-12-04T08:00:00.000Z');
    expect(v).toHaveLength(AUDIT_FIELDS.length);
    expect(Object.fromEntries(AUDIT_FIELDS.map((f, i) => [f, v[i]]))).toEqual({
      seq: 0,
      at: '2026-12-04T08:00:00.000Z',
      action: 'read',
      outcome: 'success',
      actor_user_id: null,
      actor_kind: 'operator',
      actor_roles: '[]',
      session_hash: null,
      ip: null,
      user_agent: 'invent-cli',
      entity_type: 'patient',
      entity_id: 'p_1',
      patient_id: 'p_1',
      reason: 'r',
      request_id: 'q',
      route: '/patients/:id',
      detail: '{"a":"x","m":null,"z":1}',
    });
  });

  it('refuses unknown actions and outcomes, nested detail, and break-glass or export without a reason', () => {
    const at = '2026-12-04T08:00:00.000Z';
    expect(() => eventValues({ ...base, action: 'peek' as never }, at)).toThrow(AuditEventError);
    expect(() => eventValues({ ...base, outcome: 'maybe' as never }, at)).toThrow(AuditEventError);
    expect(() => eventValues({ ...base, detail: { x: {} as never } }, at)).toThrow(AuditEventError);
    expect(() => eventValues({ ...base, action: 'break-glass' }, at)).toThrow(/reason/);
    expect(() => eventValues({ ...base, action: 'export', reason: '  ' }, at)).toThrow(/reason/);
    expect(() => eventValues({ ...base, action: 'export', reason: 'patient request' }, at)).not.toThrow();
  });

  it('stores strings as SQLite will give them back (no lone surrogates, no NUL)', () => {
    const v = eventValues({ ...base, actor: { ...OPERATOR, userAgent: 'a\uD800b\u0000c' } }, '2026-12-04T08:00:00.000Z');
    expect(v[AUDIT_FIELDS.indexOf('user_agent')]).toBe('a\uFFFDb\uFFFDc');
  });

  it('chains rows after a head: consecutive seqs, each prev_hash the hash before it', () => {
    const at = '2026-12-04T08:00:00.000Z';
    const rows = chainRows({ seq: 41, hash: 'f'.repeat(64) }, [eventValues(base, at), eventValues(base, at)]);
    expect(rows.map((r) => r[0])).toEqual([42, 43]);
    expect(rows[0]![17]).toBe('f'.repeat(64));
    expect(rows[1]![17]).toBe(rows[0]![18]);
    expect(rows[1]![18]).toBe(chainHash(String(rows[0]![18]), rows[1]!.slice(0, 17)));
  });
});

describe('LG1: invent db sql records the statement kind only', () => {
  it('takes the first keyword past comments and whitespace', () => {
    expect(sqlKeyword("  update audit_log SET action='x'")).toBe('UPDATE');
    expect(sqlKeyword('-- note\n/* x */ SELECT 1')).toBe('SELECT');
    expect(sqlKeyword("'secret'")).toBe('?');
  });
});
