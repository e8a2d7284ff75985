// The audit log's costs (LG1, LG3): (a) a clinical-like write with its audit event in the same
// transaction vs the same write alone; (b) `verify` over a million-row log; (c) the SHA-256 choices
// behind it. Real encrypted libSQL files in a temp folder, as the app opens them. Prints figures;
// never asserts on time. Knobs: AUDIT_BENCH_OPS (writes per target, default 3000), AUDIT_BENCH_ROWS
// (log size for verify, default 1000000).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client, InStatement } from '@libsql/client';
import { sha256 as osloSha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { libsqlFiles } from '../../src/platform/node/libsql.ts';
import { folderAssets } from '../../src/platform/node/assets.ts';
import { closeClient, tuneConnection } from '../../src/tenancy/db.ts';
import { loadMigrations, migrate } from '../../src/tenancy/migrate.ts';
import { auditedWrite } from '../../src/audit/log.ts';
import { controlHeadAnchor } from '../../src/audit/heads.ts';
import { verifyAudit } from '../../src/audit/verify.ts';
import { deriveClinicKeys, newKey } from '../../src/crypto/keys.ts';
import { encryptField } from '../../src/crypto/field.ts';
import { canonical, genesisHash, sha256HexOf } from '../../src/audit/chain.ts';
import { AUDIT_COLUMNS, chainRows, eventValues } from '../../src/audit/row.ts';
import type { AuditEvent } from '../../src/audit/types.ts';
import { systemClock } from '../../src/platform/ports.ts';
import { fixed, percentile, table } from './lib/load.ts';

const CLINIC_ID = 'c_bench';
const KEY = 'bench-key-'.padEnd(43, 'x');

async function openClinic(dir: string, name: string): Promise<Client> {
  const client = await libsqlFiles.open(join(dir, name), KEY);
  await tuneConnection(client);
  await migrate(client, await loadMigrations(folderAssets(), 'clinic'));
  await client.execute({ sql: "INSERT INTO clinic_meta (key, value) VALUES ('clinic_id', ?)", args: [CLINIC_ID] });
  return client;
}

async function openControl(dir: string): Promise<Client> {
  const client = await libsqlFiles.open(join(dir, 'control.db'), KEY);
  await tuneConnection(client);
  await migrate(client, await loadMigrations(folderAssets(), 'control'));
  await client.execute({ sql: "INSERT INTO clinics (id, slug, name) VALUES (?, 'bench', 'Bench')", args: [CLINIC_ID] });
  return client;
}

const doctor = {
  userId: 'u_7hq2m4kd5v3xw6yb2p4n7c2j5a',
  kind: 'user' as const,
  roles: ['doctor'],
  sessionHash: '3f'.repeat(32),
  ip: '192.168.10.24',
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
};

function encounterEvent(i: number): AuditEvent {
  return {
    action: 'create',
    outcome: 'success',
    actor: doctor,
    entity: { type: 'encounter', id: `e_${i}`, patientId: `p_${i % 5000}` },
    requestId: `r_${i}`,
    route: '/patients/:id/encounters',
    detail: { fields: 10 },
  };
}

const ENCOUNTER_COLUMNS = 'id, patient_id, clinician_id, started_at, ended_at, kind, complaint, findings, plan, status';
const ENCOUNTERS =
  'CREATE TABLE bench_encounters (id TEXT PRIMARY KEY, patient_id TEXT NOT NULL, clinician_id TEXT NOT NULL, started_at TEXT NOT NULL, ' +
  'ended_at TEXT, kind TEXT NOT NULL, complaint TEXT, findings TEXT, plan TEXT, status TEXT NOT NULL)';

/** A clinical-like row: ten columns, as an encounter note would have (texts stand for ciphertexts). */
async function bareRow(i: number): Promise<InStatement> {
  return {
    sql: `INSERT INTO bench_encounters (${ENCOUNTER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    args: [`e_${i}`, `p_${i % 5000}`, doctor.userId, '2026-12-04T08:00:00.000Z', '2026-12-04T08:20:00.000Z', 'consultation', 'v1.' + 'q'.repeat(80), 'v1.' + 'f'.repeat(300), 'v1.' + 'p'.repeat(160), 'signed'],
  };
}

let fieldKey: CryptoKey | undefined;
/** The same row as a repository would write it: three fields encrypted (AES-256-GCM, WebCrypto). */
async function encryptedRow(i: number): Promise<InStatement> {
  fieldKey ??= (await deriveClinicKeys(CLINIC_ID, newKey())).field;
  const ctx = (column: string) => ({ clinicId: CLINIC_ID, table: 'encounters', column, rowId: `e_${i}` });
  const [complaint, findings, plan] = await Promise.all([
    encryptField(fieldKey, ctx('complaint'), 'Toothache, lower left, three days; worse with cold drinks.'),
    encryptField(fieldKey, ctx('findings'), 'Deep occlusal caries on 36, tender to percussion, no swelling. '.repeat(3)),
    encryptField(fieldKey, ctx('plan'), 'Periapical radiograph, then restoration or root canal treatment; ibuprofen 400 mg.'),
  ]);
  return {
    sql: `INSERT INTO bench_encounters (${ENCOUNTER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    args: [`e_${i}`, `p_${i % 5000}`, doctor.userId, '2026-12-04T08:00:00.000Z', '2026-12-04T08:20:00.000Z', 'consultation', complaint, findings, plan, 'signed'],
  };
}

interface Target {
  name: string;
  op: (i: number) => Promise<unknown>;
  times: number[];
}

interface Scenario {
  title: string;
  ddl: string[];
  row: (i: number) => Promise<InStatement>;
}

async function measure(dir: string, scenario: Scenario, tag: string, control: Client, ops: number): Promise<void> {
  const dbs = [];
  for (const name of ['plain', 'audited', 'anchored']) {
    const c = await openClinic(dir, `${tag}-${name}.db`);
    for (const stmt of scenario.ddl) await c.execute(stmt);
    dbs.push(c);
  }
  const [plainDb, auditedDb, anchoredDb] = dbs as [Client, Client, Client];
  const anchor = controlHeadAnchor(control, CLINIC_ID, systemClock);
  const audited = (db: Client, opts: { anchor?: typeof anchor }) => (i: number) =>
    auditedWrite(
      db,
      systemClock,
      async (tx) => {
        await tx.execute(await scenario.row(i));
        return { result: undefined, events: [encounterEvent(i)] };
      },
      opts,
    );
  const targets: Target[] = [
    {
      name: 'write alone',
      times: [],
      op: async (i) => {
        const tx = await plainDb.transaction('write');
        try {
          await tx.execute(await scenario.row(i));
          await tx.commit();
        } catch (err) {
          await tx.rollback();
          throw err;
        }
      },
    },
    { name: 'write + audit event (same tx)', times: [], op: audited(auditedDb, {}) },
    { name: '  + head recorded in control db', times: [], op: audited(anchoredDb, { anchor }) },
  ];
  let n = 0;
  // Warm-up, then rounds that alternate the targets so drift (disk cache, CPU clock) hits all alike.
  for (const t of targets) for (let k = 0; k < 200; k++) await t.op(n++);
  const rounds = 5;
  const per = Math.ceil(ops / rounds);
  for (let r = 0; r < rounds; r++) {
    for (const t of targets) {
      for (let k = 0; k < per; k++) {
        const started = performance.now();
        await t.op(n++);
        t.times.push(performance.now() - started);
      }
    }
  }
  const stats = targets.map((t) => {
    const sorted = [...t.times].sort((a, b) => a - b);
    const mean = t.times.reduce((a, b) => a + b, 0) / t.times.length;
    return { name: t.name, mean, p50: percentile(sorted, 50), p99: percentile(sorted, 99), opsPerSec: 1000 / mean };
  });
  console.log(`${scenario.title}; ${per * rounds} ops per target in ${rounds} alternating rounds\n`);
  console.log(
    table(
      ['target', 'ops/s', 'mean µs', 'p50 µs', 'p99 µs'],
      stats.map((s) => [s.name, fixed(s.opsPerSec, 0), fixed(s.mean * 1000, 0), fixed(s.p50 * 1000, 0), fixed(s.p99 * 1000, 0)]),
    ),
  );
  const [plain, withAudit, anchored] = stats as [(typeof stats)[0], (typeof stats)[0], (typeof stats)[0]];
  console.log(
    `\nwrite + audit / write alone: mean ${fixed(withAudit.mean / plain.mean, 2)}x, p50 ${fixed(withAudit.p50 / plain.p50, 2)}x ` +
      `(+${fixed((withAudit.mean - plain.mean) * 1000, 0)} µs per write; target <= 1.3x)` +
      `\nwith the head also recorded in control: mean ${fixed(anchored.mean / plain.mean, 2)}x, p50 ${fixed(anchored.p50 / plain.p50, 2)}x ` +
      `(+${fixed((anchored.mean - plain.mean) * 1000, 0)} µs)\n`,
  );
  for (const c of dbs) await closeClient(c);
}

async function writeBench(dir: string): Promise<void> {
  const ops = Number(process.env.AUDIT_BENCH_OPS ?? 3000);
  const control = await openControl(dir);
  console.log(
    `(a) sequential write transactions, WAL + synchronous=NORMAL, encrypted files in ${tmpdir()} ` +
      `(node ${process.version}; load ${loadavg().map((l) => l.toFixed(2)).join(' ')})\n`,
  );
  await measure(dir, { title: '(a1) one 10-column INSERT into a table with only a primary key', ddl: [ENCOUNTERS], row: bareRow }, 'bare', control, ops);
  await measure(
    dir,
    {
      title: '(a2) for scale: the same row with 3 fields encrypted (AES-GCM) into a table with 2 more indexes',
      ddl: [ENCOUNTERS, 'CREATE INDEX bench_encounters_patient ON bench_encounters (patient_id, started_at)', 'CREATE INDEX bench_encounters_clinician ON bench_encounters (clinician_id)'],
      row: encryptedRow,
    },
    'enc',
    control,
    ops,
  );
  await closeClient(control);
}

async function verifyBench(dir: string): Promise<void> {
  const total = Number(process.env.AUDIT_BENCH_ROWS ?? 1_000_000);
  const client = await openClinic(dir, 'big.db');
  // Build: valid chained rows in batches of 5,000 per write transaction, 50 rows per INSERT.
  const started = performance.now();
  const one = `(${AUDIT_COLUMNS.map(() => '?').join(', ')})`;
  let head = { seq: 0, hash: genesisHash(CLINIC_ID) };
  const base = Date.parse('2026-01-01T00:00:00Z');
  for (let i = 0; i < total; i += 5000) {
    const at = new Date(base + i * 1000).toISOString();
    const prepared = [];
    for (let k = i; k < Math.min(total, i + 5000); k++) {
      const e = encounterEvent(k);
      prepared.push(eventValues(k % 3 ? { ...e, action: 'read' } : e, at));
    }
    const rows = chainRows(head, prepared);
    const last = rows[rows.length - 1]!;
    head = { seq: Number(last[0]), hash: String(last[last.length - 1]) };
    const stmts: InStatement[] = [];
    for (let j = 0; j < rows.length; j += 50) {
      const chunk = rows.slice(j, j + 50);
      stmts.push({ sql: `INSERT INTO audit_log (${AUDIT_COLUMNS.join(', ')}) VALUES ${chunk.map(() => one).join(', ')}`, args: chunk.flat() });
    }
    await client.batch(stmts, 'write');
  }
  await client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
  const buildSeconds = (performance.now() - started) / 1000;
  const mb = statSync(join(dir, 'big.db')).size / 1e6;
  console.log(`\n(b) verify: built a ${total.toLocaleString('en')}-row chained log in ${fixed(buildSeconds, 1)} s (${fixed(total / buildSeconds, 0)} rows/s, ${fixed(mb, 0)} MB file)\n`);
  const runs: string[][] = [];
  for (let r = 1; r <= 3; r++) {
    let heapPeak = 0;
    const t0 = performance.now();
    const result = await verifyAudit(client, { recordedHead: head, onProgress: () => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)) });
    const seconds = (performance.now() - t0) / 1000;
    if (!result.ok || result.rows !== total) throw new Error(`verify did not find the log intact: ${JSON.stringify(result)}`);
    runs.push([`run ${r}`, fixed(seconds, 2), fixed(total / seconds, 0), fixed(heapPeak / 1e6, 0)]);
  }
  console.log(table(['verify', 'seconds', 'rows/s', 'JS heap peak MB'], runs));
  console.log('(target > 100,000 rows/s; pages of 5,000 seqs, so memory stays flat whatever the size)');

  // (c) The hash choices, on this log's own canonical rows.
  const sample = (await client.execute('SELECT seq, at, action, outcome, actor_user_id, actor_kind, actor_roles, session_hash, ip, user_agent, entity_type, entity_id, patient_id, reason, request_id, route, detail, prev_hash FROM audit_log WHERE seq <= 50000')).rows;
  const inputs = sample.map((row) => String(row[17]) + canonical(Array.from({ length: 17 }, (_, i) => row[i] as string | number | null)));
  const bytes = inputs.reduce((a, s) => a + s.length, 0) / inputs.length;
  const te = new TextEncoder();
  // Each is warmed up on the same inputs first, then timed over all of them, best of three.
  const rate = async (name: string, fn: (batch: string[]) => Promise<void> | void) => {
    await fn(inputs.slice(0, 5000));
    let best = Infinity;
    for (let r = 0; r < 3; r++) {
      const t0 = performance.now();
      await fn(inputs);
      best = Math.min(best, performance.now() - t0);
    }
    return [name, fixed(inputs.length / (best / 1000), 0)];
  };
  const hashRows = [
    await rate('src/audit/sha256.ts (sync, chosen)', (batch) => void batch.forEach((s) => sha256HexOf(s))),
    await rate('@oslojs/crypto sha256 (sync)', (batch) => void batch.forEach((s) => encodeHexLowerCase(osloSha256(te.encode(s))))),
    await rate('WebCrypto digest, one at a time', async (batch) => {
      for (const s of batch) await crypto.subtle.digest('SHA-256', te.encode(s));
    }),
    await rate('WebCrypto digest, 5,000 in flight', async (batch) => {
      for (let i = 0; i < batch.length; i += 5000) await Promise.all(batch.slice(i, i + 5000).map((s) => crypto.subtle.digest('SHA-256', te.encode(s))));
    }),
  ];
  console.log(`\n(c) SHA-256 of ${inputs.length.toLocaleString('en')} canonical rows (mean ${fixed(bytes, 0)} bytes):\n`);
  console.log(table(['implementation', 'rows/s'], hashRows));
  client.close();
}

export default async function auditBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'invent-audit-bench-'));
  try {
    await writeBench(dir);
    await verifyBench(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
