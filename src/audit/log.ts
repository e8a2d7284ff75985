// Writing a clinic's audit log (LG1, LG3). Every row is chained to the one before it (audit/chain.ts).
//
// Concurrency: seq is the primary key and each writer inserts the next seq (one past the highest
// ever written) with prev_hash = the last row's hash, so two writers that start from the same head
// cannot both commit: the second insert hits the primary key. The chain therefore cannot fork,
// whichever connection or process writes. In this process, writers of one client take turns
// (withChainLock) and remember the head they wrote last, which saves reading it again; when a
// writer elsewhere appended meanwhile, the insert hits the primary key, and the head is read afresh.
//
// appendAudit writes its rows in one BEGIN IMMEDIATE batch that runs start to commit without
// yielding, so it holds the write lock for microseconds and stays safe when one thread holds
// several connections to the file (a blocked BEGIN IMMEDIATE there would stall the very thread
// that holds the lock); a lost race rolls the batch back and it is retried from a fresh read.
// auditedWrite holds an interactive transaction around the caller's work instead: it has the
// write lock from its first statement, so a head read inside it is final.
import type { Client, InStatement, Transaction } from '@libsql/client';
import { getTableColumns, sql } from 'drizzle-orm';
import type { Clock } from '../platform/ports.ts';
import type { ClinicDb } from '../tenancy/db.ts';
import type { ClinicRegistry } from '../tenancy/registry.ts';
import { auditLog } from '../tenancy/schema/clinic/index.ts';
import type { AuditEvent } from './types.ts';
import type { AuditSink } from './context.ts';
import { backoff, genesisHash, isSeqConflict, RETRIES, withChainLock, type ChainValue } from './chain.ts';
import { AUDIT_COLUMNS, chainRows, eventValues } from './row.ts';
import { controlHeadAnchor, type AnchorOptions, type AuditAnchor, type AuditHead, type HeadMove } from './heads.ts';

export interface AuditWriteOptions {
  /** Told how the head moved after each commit (controlHeadAnchor records it in the control database). */
  anchor?: AuditAnchor | undefined;
}

// `top` is the highest seq ever written (sqlite_sequence). It equals the last row's seq unless the
// tail was deleted; the next row then takes top + 1, so the cut stays visible as a gap.
// One statement, so the last row and `top` come from the same snapshot: read apart, another process
// could append between them, and an empty log's genesis hash would be chained after its rows (a fork).
const HEAD_SQL =
  "SELECT a.seq, a.hash, (SELECT s.seq FROM sqlite_sequence s WHERE s.name = 'audit_log') AS top FROM (SELECT 1) LEFT JOIN (SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1) a";
const CLINIC_ID_SQL = "SELECT value FROM clinic_meta WHERE key = 'clinic_id'";
/** 19 columns x 50 rows stays far below SQLite's limit on bound parameters. */
const ROWS_PER_INSERT = 50;

/** Runs one parameterless read: through a libSQL client or transaction, or a drizzle transaction. */
type Query = (sql: string) => Promise<Record<string, unknown>[]>;

function notAClinic(): Error {
  return new Error('audit_log: this database has no clinic_id in clinic_meta, so its chain has no genesis value');
}

/** Where the next row goes: after this seq, chained to this hash. */
async function readHead(query: Query): Promise<AuditHead> {
  const row = (await query(HEAD_SQL))[0]!;
  if (row.seq !== null && row.seq !== undefined) return { seq: Math.max(Number(row.seq), Number(row.top ?? 0)), hash: String(row.hash) };
  const top = Number(row.top ?? 0);
  const id = (await query(CLINIC_ID_SQL))[0]?.value;
  if (typeof id !== 'string' || !id) throw notAClinic();
  return { seq: top, hash: genesisHash(id) };
}

/** The head each client last wrote and committed (cleared on any doubt). */
const lastHead = new WeakMap<object, AuditHead>();

/** Inside an open write transaction: chains the rows after the head and inserts them. */
async function writeInside(client: Client, query: Query, insert: (rows: ChainValue[][]) => Promise<void>, prepared: ChainValue[][]): Promise<HeadMove> {
  const remembered = lastHead.get(client);
  let head = remembered ?? (await readHead(query));
  let rows = chainRows(head, prepared);
  try {
    await insert(rows);
  } catch (err) {
    if (!remembered || !isSeqConflict(err, 'audit_log')) throw err;
    // Another connection appended since this one last did. The write lock is ours, so this read is final.
    head = await readHead(query);
    rows = chainRows(head, prepared);
    await insert(rows);
  }
  return moveOf(client, head, rows);
}

const ONE_ROW = `(${AUDIT_COLUMNS.map(() => '?').join(', ')})`;
const INSERT_ONE = `INSERT INTO audit_log (${AUDIT_COLUMNS.join(', ')}) VALUES ${ONE_ROW}`;

function insertStatements(rows: ChainValue[][]): InStatement[] {
  if (rows.length === 1) return [{ sql: INSERT_ONE, args: rows[0]! }];
  const out: InStatement[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const chunk = rows.slice(i, i + ROWS_PER_INSERT);
    out.push({ sql: `${INSERT_ONE}${`, ${ONE_ROW}`.repeat(chunk.length - 1)}`, args: chunk.flat() });
  }
  return out;
}

function moveOf(client: Client, from: AuditHead, rows: ChainValue[][]): HeadMove {
  const last = rows[rows.length - 1]!;
  return {
    from,
    to: { seq: Number(last[0]), hash: String(last[last.length - 1]) },
    async hashAt(seq) {
      const hash = (await client.execute({ sql: 'SELECT hash FROM audit_log WHERE seq = ?', args: [seq] })).rows[0]?.hash;
      return typeof hash === 'string' ? hash : null;
    },
  };
}

function prepare(clock: Clock, events: AuditEvent[]): ChainValue[][] {
  const at = clock.now().toISOString();
  return events.map((e) => eventValues(e, at));
}

/** Appends events to a clinic's audit log in one write transaction; returns their seqs. */
export async function appendAudit(client: Client, clock: Clock, events: AuditEvent[], opts: AuditWriteOptions = {}): Promise<number[]> {
  if (events.length === 0) return [];
  const prepared = prepare(clock, events);
  const query: Query = async (s) => (await client.execute(s)).rows;
  return withChainLock(client, async () => {
    for (let attempt = 0; ; attempt++) {
      const remembered = attempt === 0 ? lastHead.get(client) : undefined;
      const head = remembered ?? (await readHead(query));
      const rows = chainRows(head, prepared);
      try {
        await client.batch(insertStatements(rows), 'write');
      } catch (err) {
        lastHead.delete(client);
        // Another connection appended after the head we chained to: read it again and retry.
        if (attempt >= RETRIES || !isSeqConflict(err, 'audit_log')) throw err;
        if (!remembered) await backoff(attempt);
        continue;
      }
      const move = moveOf(client, head, rows);
      lastHead.set(client, move.to);
      // Still holding the lock, so this process's heads are recorded in order.
      await opts.anchor?.(move);
      return rows.map((r) => Number(r[0]));
    }
  });
}

export interface AuditedWork<T> {
  result: T;
  events: AuditEvent[];
}

/**
 * Runs the caller's writes and their audit events in one write transaction (BEGIN IMMEDIATE): both
 * commit or neither does. `work` must use only `tx`; the client is held until it finishes.
 */
export async function auditedWrite<T>(
  client: Client,
  clock: Clock,
  work: (tx: Transaction) => Promise<AuditedWork<T>>,
  opts: AuditWriteOptions = {},
): Promise<T> {
  return withChainLock(client, async () => {
    let move: HeadMove | undefined;
    const tx = await client.transaction('write');
    let result: T;
    try {
      const out = await work(tx);
      if (out.events.length > 0) {
        const query: Query = async (s) => (await tx.execute(s)).rows;
        const insert = async (rows: ChainValue[][]) => {
          for (const stmt of insertStatements(rows)) await tx.execute(stmt);
        };
        move = await writeInside(client, query, insert, prepare(clock, out.events));
      }
      await tx.commit();
      result = out.result;
    } catch (err) {
      lastHead.delete(client);
      if (!tx.closed) await tx.rollback().catch(() => undefined);
      throw err;
    }
    if (move) {
      lastHead.set(client, move.to);
      await opts.anchor?.(move);
    }
    return result;
  });
}

export type ClinicTx = Parameters<Parameters<ClinicDb['transaction']>[0]>[0];

const propertyOf = new Map(Object.entries(getTableColumns(auditLog)).map(([prop, col]) => [col.name, prop]));

function rowObject(values: ChainValue[]): typeof auditLog.$inferInsert {
  const out: Record<string, ChainValue> = {};
  AUDIT_COLUMNS.forEach((name, i) => (out[propertyOf.get(name)!] = values[i]!));
  return out as unknown as typeof auditLog.$inferInsert;
}

function clientOf(db: ClinicDb): Client {
  const client = (db as unknown as { $client?: Client }).$client;
  if (!client) throw new Error('auditedDbWrite needs a drizzle database built over a libSQL client');
  return client;
}

/**
 * auditedWrite for drizzle: `work` gets a typed drizzle transaction. drizzle-orm 0.45's libSQL
 * session ignores the `behavior` option and calls client.transaction() with no mode, which libSQL
 * opens as 'write' (BEGIN IMMEDIATE), so the write lock is taken before the caller's first read.
 */
export async function auditedDbWrite<T>(
  db: ClinicDb,
  clock: Clock,
  work: (tx: ClinicTx) => Promise<AuditedWork<T>>,
  opts: AuditWriteOptions = {},
): Promise<T> {
  const client = clientOf(db);
  return withChainLock(client, async () => {
    let move: HeadMove | undefined;
    let result: T;
    try {
      result = await db.transaction(
        async (tx) => {
          const out = await work(tx);
          if (out.events.length > 0) {
            const query: Query = (s) => tx.all<Record<string, unknown>>(sql.raw(s));
            const insert = async (rows: ChainValue[][]) => {
              for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
                await tx.insert(auditLog).values(rows.slice(i, i + ROWS_PER_INSERT).map(rowObject));
              }
            };
            move = await writeInside(client, query, insert, prepare(clock, out.events));
          }
          return out.result;
        },
        { behavior: 'immediate' },
      );
    } catch (err) {
      lastHead.delete(client);
      throw err;
    }
    if (move) {
      lastHead.set(client, move.to);
      await opts.anchor?.(move);
    }
    return result;
  });
}

/** The AuditSink of audit/context.ts: appends to the clinic's log and records its head in the control database. */
export function clinicAuditSink(deps: { clinics: ClinicRegistry; controlClient: Client; clock: Clock } & AnchorOptions): AuditSink {
  return async (clinicId, events) => {
    const handle = await deps.clinics.get(clinicId);
    await appendAudit(handle.client, deps.clock, events, { anchor: controlHeadAnchor(deps.controlClient, clinicId, deps.clock, deps) });
  };
}
