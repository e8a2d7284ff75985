// Where each clinic's audit chain ends, recorded outside the clinic's own database (LG3).
//
// A hash chain shows edits, removals, insertions and reordering, but not a cut tail: the rows
// that remain still chain. So after every append the new head (seq, hash) is written to the
// control database's audit_heads, whose triggers let it only move forward. `invent audit verify`
// reads it first and reports "truncated after seq N" when the log ends before it, or a mismatch
// when the row at that seq has another hash. The head only moves to a chain that contains it: a
// log that was cut and then written again past the old head does not carry the head along, so the
// cut stays visible. The head is written after the clinic's commit, so a crash in between leaves
// it behind the log (never ahead of it: a lagging head is never a false alarm).
//
// A second, weaker witness lives in the clinic file itself: audit_log is AUTOINCREMENT, so
// sqlite_sequence keeps the highest seq ever written, and writers continue after it (audit/log.ts),
// so a deleted tail stays visible as a gap. Someone who can edit the clinic file can fix that too,
// but not the control database.
import type { Client } from '@libsql/client';
import type { Clock } from '../platform/ports.ts';

export interface AuditHead {
  seq: number;
  hash: string;
}

export interface HeadMove {
  /** The chain's head before this append (the row the new rows follow). */
  from: AuditHead;
  to: AuditHead;
  /** The hash of the clinic's row at a seq, or null when there is none. */
  hashAt(seq: number): Promise<string | null>;
}

export type AuditAnchor = (move: HeadMove) => Promise<void>;

export interface AnchorOptions {
  /** Told when the recorded head is not on the chain being appended to (the log was cut or rewritten). */
  onBroken?: ((recorded: AuditHead, move: HeadMove) => void) | undefined;
}

/** What this process last recorded, per control client and clinic: saves a read per append. */
const known = new WeakMap<object, Map<string, AuditHead>>();

const CAS = 'UPDATE audit_heads SET seq = ?, hash = ?, at = ? WHERE clinic_id = ? AND seq = ? AND hash = ?';

/** Records a clinic's new head in the control database, if the new head's chain contains the recorded one. */
export function controlHeadAnchor(control: Client, clinicId: string, clock: Clock, opts: AnchorOptions = {}): AuditAnchor {
  let mine = known.get(control);
  if (!mine) known.set(control, (mine = new Map()));
  const cache = mine;
  return async (move) => {
    const at = clock.now().toISOString();
    const last = cache.get(clinicId);
    cache.delete(clinicId);
    if (last && last.seq === move.from.seq && last.hash === move.from.hash) {
      // The usual case: this process recorded the head these rows follow. One compare-and-set.
      const r = await control.execute({ sql: CAS, args: [move.to.seq, move.to.hash, at, clinicId, last.seq, last.hash] });
      if (r.rowsAffected === 1) {
        cache.set(clinicId, move.to);
        return;
      }
    }
    const recorded = await readRecordedHead(control, clinicId);
    if (!recorded) {
      await control.execute({
        sql: 'INSERT INTO audit_heads (clinic_id, seq, hash, at) VALUES (?, ?, ?, ?) ON CONFLICT (clinic_id) DO NOTHING',
        args: [clinicId, move.to.seq, move.to.hash, at],
      });
      return;
    }
    if (recorded.seq >= move.to.seq) return; // another writer got further
    const onChain =
      recorded.seq === move.from.seq ? recorded.hash === move.from.hash : (await move.hashAt(recorded.seq)) === recorded.hash;
    if (!onChain) {
      opts.onBroken?.(recorded, move);
      return;
    }
    // Compare-and-set: a writer in another process may have moved it meanwhile; then it stays theirs.
    const r = await control.execute({ sql: CAS, args: [move.to.seq, move.to.hash, at, clinicId, recorded.seq, recorded.hash] });
    if (r.rowsAffected === 1) cache.set(clinicId, move.to);
  };
}

export async function readRecordedHead(control: Client, clinicId: string): Promise<AuditHead | null> {
  const row = (await control.execute({ sql: 'SELECT seq, hash FROM audit_heads WHERE clinic_id = ?', args: [clinicId] })).rows[0];
  return row ? { seq: Number(row.seq), hash: String(row.hash) } : null;
}
