// An AuditEvent as an audit_log row, in the fixed column order the hash covers (audit/chain.ts).
import { AUDIT_ACTIONS, type AuditEvent } from './types.ts';
import { chainHash, wellFormed, type ChainValue } from './chain.ts';

/** Every column of audit_log except prev_hash and hash, in canonical order. */
export const AUDIT_FIELDS = [
  'seq',
  'at',
  'action',
  'outcome',
  'actor_user_id',
  'actor_kind',
  'actor_roles',
  'session_hash',
  'ip',
  'user_agent',
  'entity_type',
  'entity_id',
  'patient_id',
  'reason',
  'request_id',
  'route',
  'detail',
] as const;

/** The stored columns: AUDIT_FIELDS, then prev_hash, then hash. */
export const AUDIT_COLUMNS = [...AUDIT_FIELDS, 'prev_hash', 'hash'] as const;

const OUTCOMES = new Set(['success', 'failure', 'denied']);
const KINDS = new Set(['user', 'operator', 'system']);
const ACTIONS = new Set<string>(AUDIT_ACTIONS);
const MAX_DETAIL = 4000;

export class AuditEventError extends Error {
  override name = 'AuditEventError';
}

function str(v: string | null | undefined, max: number): string | null {
  if (v === null || v === undefined) return null;
  return wellFormed(String(v)).slice(0, max);
}

/** detail as stored: a JSON object with sorted keys (so equal facts give equal text), or null. */
export function detailText(detail: AuditEvent['detail']): string | null {
  if (!detail) return null;
  const keys = Object.keys(detail).sort();
  if (keys.length === 0) return null;
  const out: Record<string, string | number | boolean | null> = {};
  for (const k of keys) {
    const v = detail[k];
    if (v !== null && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      throw new AuditEventError(`audit detail "${k}" must be a string, number, boolean or null`);
    }
    out[wellFormed(k)] = typeof v === 'string' ? wellFormed(v) : v;
  }
  const text = JSON.stringify(out);
  if (text.length > MAX_DETAIL) throw new AuditEventError(`audit detail is longer than ${MAX_DETAIL} characters`);
  return text;
}

/** The row's values in AUDIT_FIELDS order, without seq-dependent parts (seq is set by the writer). */
export function eventValues(e: AuditEvent, at: string): ChainValue[] {
  if (!ACTIONS.has(e.action)) throw new AuditEventError(`unknown audit action "${e.action}"`);
  if (!OUTCOMES.has(e.outcome)) throw new AuditEventError(`unknown audit outcome "${e.outcome}"`);
  if (!KINDS.has(e.actor.kind)) throw new AuditEventError(`unknown actor kind "${e.actor.kind}"`);
  if ((e.action === 'break-glass' || e.action === 'export') && !e.reason?.trim()) {
    throw new AuditEventError(`an audit event for ${e.action} needs a reason`);
  }
  return [
    0,
    at,
    e.action,
    e.outcome,
    str(e.actor.userId, 200),
    e.actor.kind,
    JSON.stringify(e.actor.roles.map((r) => wellFormed(String(r)))),
    str(e.actor.sessionHash, 200),
    str(e.actor.ip, 100),
    str(e.actor.userAgent, 300),
    str(e.entity?.type, 100),
    str(e.entity?.id, 200),
    str(e.entity?.patientId, 200),
    str(e.reason, 1000),
    str(e.requestId, 200),
    str(e.route, 300),
    detailText(e.detail),
  ];
}

/** Chains prepared rows after the head: sets seq, computes prev_hash and hash. Returns full rows (AUDIT_COLUMNS order). */
export function chainRows(head: { seq: number; hash: string }, rows: ChainValue[][]): ChainValue[][] {
  let seq = head.seq;
  let prev = head.hash;
  return rows.map((values) => {
    const v = values.slice();
    v[0] = ++seq;
    const hash = chainHash(prev, v);
    const full = [...v, prev, hash];
    prev = hash;
    return full;
  });
}
