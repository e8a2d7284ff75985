// The control database's identity_events (sign-ins, lockouts, 2FA and password changes), chained
// like a clinic's audit log (audit/chain.ts) and written the same way (audit/log.ts explains the
// concurrency). Rows written before the chain existed have no hash; the chain starts at the first
// row that has one, with the genesis value of "control:identity_events".
import type { Client } from '@libsql/client';
import type { Clock } from '../platform/ports.ts';
import type { IdentityEvent } from '../auth/events.ts';
import { backoff, chainHash, genesisHash, isSeqConflict, RETRIES, wellFormed, withChainLock, type ChainValue } from './chain.ts';
import { verifyChain, type VerifyOptions, type VerifyResult } from './verify.ts';

/** Every column of identity_events except prev_hash and hash, in canonical order. */
export const IDENTITY_FIELDS = ['seq', 'at', 'type', 'outcome', 'user_id', 'clinic_id', 'ip', 'user_agent', 'detail'] as const;

export const IDENTITY_GENESIS = genesisHash('control:identity_events');

const str = (v: string | null | undefined, max = 300): string | null => (v === null || v === undefined ? null : wellFormed(String(v)).slice(0, max));

const INSERT = `INSERT INTO identity_events (${[...IDENTITY_FIELDS, 'prev_hash', 'hash'].join(', ')}) VALUES (${[...IDENTITY_FIELDS, 1, 2].map(() => '?').join(', ')})`;

/** Appends one identity event in one write transaction; returns its seq. */
export async function appendIdentityEvent(control: Client, clock: Clock, e: IdentityEvent): Promise<number> {
  const values: ChainValue[] = [
    0,
    clock.now().toISOString(),
    e.type,
    e.outcome,
    str(e.userId),
    str(e.clinicId),
    str(e.ip, 100),
    str(e.userAgent),
    e.detail ? wellFormed(JSON.stringify(e.detail)) : null,
  ];
  return withChainLock(control, async () => {
    for (let attempt = 0; ; attempt++) {
      const last = (await control.execute('SELECT seq, hash FROM identity_events ORDER BY seq DESC LIMIT 1')).rows[0];
      const seq = last ? Number(last.seq) + 1 : 1;
      // A last row without a hash predates the chain: the chain starts here.
      const prev = last && typeof last.hash === 'string' ? last.hash : IDENTITY_GENESIS;
      values[0] = seq;
      try {
        await control.batch([{ sql: INSERT, args: [...values, prev, chainHash(prev, values)] }], 'write');
        return seq;
      } catch (err) {
        if (attempt >= RETRIES || !isSeqConflict(err, 'identity_events')) throw err;
        await backoff(attempt);
      }
    }
  });
}

/** Recomputes the identity-event chain; `unchained` counts the rows written before it existed. */
export function verifyIdentityEvents(control: Client, opts: VerifyOptions = {}): Promise<VerifyResult> {
  return verifyChain(control, { table: 'identity_events', fields: IDENTITY_FIELDS, genesis: IDENTITY_GENESIS, unchainedPrefix: true }, opts);
}
