// Recomputes a hash chain in seq order, a page at a time, and names the first bad row (LG3).
//
// Speed: libSQL's client builds each result row with a defineProperty per column, which alone
// caps a 19-column read near 50k rows/s. So a page is fetched as one value: a JSON array with, per
// row, seq, prev_hash, hash and the row's canonical text as SQLite's json_array writes it (the same
// text JSON.stringify writes for the strings the writer stores; tests/unit/audit-chain.test.ts
// checks that on arbitrary Unicode). A row whose hash does not match that text is read again
// column by column and its canonical text computed here, the definition, before it is reported:
// the fast path can make a good row slow, never a good row bad. If SQLite cannot serialise a page
// (a BLOB where text belongs) the page is read column by column.
import type { Client } from '@libsql/client';
import { canonical, genesisHash, sha256HexOf, type ChainValue } from './chain.ts';
import { AUDIT_FIELDS } from './row.ts';
import type { AuditHead } from './heads.ts';

export type VerifyResult =
  | { ok: true; rows: number; head: AuditHead | null; /** rows written before the chain existed (identity events only) */ unchained: number }
  | { ok: false; seq: number; reason: string };

export interface VerifyOptions {
  /** The head recorded outside this database (control audit_heads); a log that ends before it was cut. */
  recordedHead?: AuditHead | null | undefined;
  /** Seqs per read; memory stays flat whatever the log's size. */
  pageSize?: number | undefined;
  /** Called after each page with the rows checked so far. */
  onProgress?: ((rows: number) => void) | undefined;
}

export interface ChainSpec {
  table: string;
  /** Columns in canonical order (audit/chain.ts), starting with seq; prev_hash and hash follow. */
  fields: readonly string[];
  genesis: string;
  /** Rows with no hash may precede the first chained row (written before the chain existed). */
  unchainedPrefix?: boolean;
}

const bad = (seq: number, reason: string): VerifyResult => ({ ok: false, seq, reason });

async function sequenceWitness(client: Client, table: string): Promise<number | null> {
  try {
    const row = (await client.execute({ sql: 'SELECT seq FROM sqlite_sequence WHERE name = ?', args: [table] })).rows[0];
    return row ? Number(row.seq) : null;
  } catch {
    return null; // no AUTOINCREMENT table in this database
  }
}

/** A row as read fast: seq, prev_hash, hash and the canonical text as SQLite serialised it. */
type FastRow = [seq: number, prevHash: ChainValue, hash: ChainValue, canonical: string];

class Reader {
  private readonly cols: string;
  private readonly fields: string;
  constructor(
    private readonly client: Client,
    private readonly table: string,
    fields: readonly string[],
  ) {
    this.fields = fields.join(', ');
    this.cols = [...fields, 'prev_hash', 'hash'].join(', ');
  }

  /** Rows with from < seq <= to in seq order, or null when SQLite cannot serialise them. */
  async fast(from: number, to: number): Promise<FastRow[] | null> {
    let rows: FastRow[];
    try {
      // `|| ''` drops json_array's JSON subtype, so the canonical text arrives as a JSON string.
      const r = await this.client.execute({
        sql: `SELECT json_group_array(json_array(seq, prev_hash, hash, json_array(${this.fields}) || '')) AS page FROM ${this.table} WHERE seq > ? AND seq <= ?`,
        args: [from, to],
      });
      rows = JSON.parse(String(r.rows[0]?.page ?? '[]')) as FastRow[];
    } catch {
      return null;
    }
    // A rowid range scan yields seq order; make sure rather than assume.
    for (let i = 1; i < rows.length; i++) {
      if (rows[i]![0] < rows[i - 1]![0]) return rows.sort((a, b) => a[0] - b[0]);
    }
    return rows;
  }

  /** The same rows from the plain columns, as seq, prev_hash, hash and the canonical text computed here. */
  async slow(from: number, to: number): Promise<FastRow[]> {
    const r = await this.client.execute({ sql: `SELECT ${this.cols} FROM ${this.table} WHERE seq > ? AND seq <= ? ORDER BY seq`, args: [from, to] });
    const n = r.columns.length - 2;
    return r.rows.map((row) => {
      const values = Array.from({ length: n }, (_, i) => row[i] as ChainValue);
      return [row[0] as number, row[n] as ChainValue, row[n + 1] as ChainValue, canonical(values)];
    });
  }

  async page(from: number, to: number): Promise<FastRow[]> {
    return (await this.fast(from, to)) ?? this.slow(from, to);
  }

  async nextSeqAfter(seq: number): Promise<number | null> {
    const v = (await this.client.execute({ sql: `SELECT min(seq) AS s FROM ${this.table} WHERE seq > ?`, args: [seq] })).rows[0]?.s;
    return v === null || v === undefined ? null : Number(v);
  }
}

export async function verifyChain(client: Client, spec: ChainSpec, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const pageSize = opts.pageSize ?? 5000;
  const recorded = opts.recordedHead ?? null;
  // The witnesses are read before the rows: they only move forward, so every seq they name was
  // committed before the rows are read. Rows appended while this runs are left for the next run.
  const witness = await sequenceWitness(client, spec.table);
  const bounds = (await client.execute(`SELECT min(seq) AS lo, max(seq) AS hi FROM ${spec.table}`)).rows[0];
  const reader = new Reader(client, spec.table, spec.fields);
  let prev = spec.genesis;
  let last = 0; // seq of the last row checked (or passed over as unchained)
  let chained = !spec.unchainedPrefix;
  let rows = 0;
  let unchained = 0;

  /** Why this row breaks the chain, or null. */
  const fault = (row: FastRow): string | null => {
    const [seq, prevHash, hash, text] = row;
    if (prevHash !== prev) {
      return rows === 0
        ? "prev_hash is not the chain's genesis value (the start of the log was replaced)"
        : `prev_hash does not match the hash of seq ${last} (a row was removed, inserted or moved)`;
    }
    if (typeof hash !== 'string' || sha256HexOf(prev + text) !== hash) return 'hash does not match the row (the row was changed)';
    if (recorded && seq === recorded.seq && hash !== recorded.hash) {
      return 'differs from the head recorded in the control database (the log was cut and written again)';
    }
    return null;
  };

  if (bounds && bounds.hi !== null) {
    const lo = Number(bounds.lo);
    const hi = Number(bounds.hi);
    let from = Math.min(0, lo - 1);
    while (from < hi) {
      const to = from + pageSize;
      const page = await reader.page(from, to);
      if (page.length === 0) {
        // A gap wider than a page: jump to the next row and let the checks below judge it.
        const next = await reader.nextSeqAfter(from);
        if (next === null) break;
        from = next - 1;
        continue;
      }
      for (let row of page) {
        const seq = row[0] as number;
        if (!chained) {
          if (row[2] === null) {
            unchained++;
            last = seq;
            continue;
          }
          chained = true;
        }
        const expected = last + 1;
        if (typeof seq !== 'number' || !Number.isSafeInteger(seq)) return bad(expected, `seq ${String(seq)} is not a whole number`);
        if (seq > expected) {
          return bad(expected, seq === expected + 1 ? `row missing (the next row is seq ${seq})` : `rows ${expected} to ${seq - 1} missing (the next row is seq ${seq})`);
        }
        if (seq < expected) return bad(seq, `out of order (expected seq ${expected})`);
        if (fault(row) !== null) {
          // The canonical text came from SQLite: recompute it here from the plain columns before
          // accusing the row.
          row = (await reader.slow(seq - 1, seq))[0] ?? row;
          const reason = fault(row);
          if (reason !== null) return bad(seq, reason);
        }
        prev = row[2] as string;
        last = seq;
        rows++;
      }
      from = to;
      opts.onProgress?.(rows);
    }
  }
  if (recorded && recorded.seq > last) {
    return bad(last + 1, `truncated after seq ${last} (the control database recorded seq ${recorded.seq})`);
  }
  if (witness !== null && witness > last) {
    return bad(last + 1, `truncated after seq ${last} (sqlite_sequence recorded seq ${witness})`);
  }
  return { ok: true, rows, head: rows > 0 ? { seq: last, hash: prev } : null, unchained };
}

/** Verifies a clinic's audit log. Read-only: it writes nothing, anywhere. */
export async function verifyAudit(client: Client, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const table = (await client.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'")).rows[0];
  if (!table) return bad(1, 'the audit_log table is missing');
  const id = (await client.execute("SELECT value FROM clinic_meta WHERE key = 'clinic_id'")).rows[0]?.value;
  if (typeof id !== 'string' || !id) return bad(1, 'this database has no clinic_id in clinic_meta, so the chain has no genesis value');
  return verifyChain(client, { table: 'audit_log', fields: AUDIT_FIELDS, genesis: genesisHash(id) }, opts);
}
