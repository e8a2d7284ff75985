// The hash chain shared by each clinic's audit_log and the control database's identity_events.
//
// Canonical form (version 1). For a row with columns c1..cn in the table's fixed order (for
// audit_log: AUDIT_FIELDS in audit/row.ts, which starts with seq and at and holds every column
// except prev_hash and hash):
//
//   canonical(row) = JSON.stringify([c1, ..., cn])
//   hash           = lower-case hex of SHA-256( UTF-8( prev_hash + canonical(row) ) )
//
// - A JSON array, not an object: the order is fixed by position, so no key-order rules apply.
// - Values are the stored values: seq is a JSON number, every other column a JSON string or null.
//   Columns holding JSON (actor_roles, detail) enter as the stored text, i.e. a JSON string that
//   contains JSON; what is hashed is exactly what the database holds.
// - The serialisation is ECMAScript JSON.stringify with no spacing: `"` and `\` are escaped, U+0000
//   to U+001F become \b \f \n \r \t or \u00xx (lower-case hex), everything else (including non-ASCII)
//   is written as itself. Writers make strings well-formed (no lone surrogates) before storing.
// - prev_hash is 64 hex characters, so prefixing it is unambiguous. The first row's prev_hash is the
//   chain's genesis value: hex SHA-256 of UTF-8 "invent-audit-genesis:" + scope, where the scope is the
//   clinic id for a clinic's audit_log (a log copied into another clinic's database fails at seq 1)
//   and "control:identity_events" for identity events.
import { sha256Hex } from './sha256.ts';

export type ChainValue = string | number | null;

export function canonical(values: readonly ChainValue[]): string {
  return JSON.stringify(values);
}

const encoder = new TextEncoder();
let scratch = new Uint8Array(4096);

/** hex SHA-256 of UTF-8(text), without allocating for the common (short) case. */
export function sha256HexOf(text: string): string {
  // UTF-8 takes at most 3 bytes per UTF-16 code unit.
  if (text.length * 3 > scratch.length) scratch = new Uint8Array(text.length * 3 + 1024);
  const { written } = encoder.encodeInto(text, scratch);
  return sha256Hex(scratch.subarray(0, written));
}

export function chainHash(prevHash: string, values: readonly ChainValue[]): string {
  return sha256HexOf(prevHash + canonical(values));
}

export function genesisHash(scope: string): string {
  return sha256HexOf(`invent-audit-genesis:${scope}`);
}

/** Strings as SQLite will store them: lone surrogates and NUL would not read back the same. */
export function wellFormed(s: string): string {
  return s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|\u0000/g, '\uFFFD');
}

/** One caller at a time per database client: in-process appends never race each other. */
const locks = new WeakMap<object, Promise<void>>();

export async function withChainLock<T>(key: object, fn: () => Promise<T>): Promise<T> {
  const prior = locks.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((r) => (release = r));
  const tail = prior.then(() => mine);
  locks.set(key, tail);
  await prior;
  try {
    return await fn();
  } finally {
    release();
    if (locks.get(key) === tail) locks.delete(key);
  }
}

/** True when a write failed because another connection took the seq first (a lost race, retried). */
export function isSeqConflict(err: unknown, table: string): boolean {
  // drizzle wraps the driver's error; libSQL's own names the constraint.
  for (let e = err as { code?: string; extendedCode?: string; message?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.extendedCode === 'SQLITE_CONSTRAINT_PRIMARYKEY') return true;
    if (String(e.message ?? '').includes(`UNIQUE constraint failed: ${table}.seq`)) return true;
  }
  return false;
}

export const RETRIES = 50;

/** A short pause between retries that grows with the attempt; no randomness needed. */
export function backoff(attempt: number): Promise<void> {
  return new Promise((r) => setTimeout(r, Math.min(20, 1 + attempt)));
}
