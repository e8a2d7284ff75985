// The shape of an audit event (after FHIR AuditEvent): who, what, when, where, outcome, why.
export const AUDIT_ACTIONS = [
  'create',
  'read',
  'update',
  'delete',
  'execute',
  'sign-in',
  'sign-out',
  'failure',
  'export',
  'print',
  'break-glass',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type AuditOutcome = 'success' | 'failure' | 'denied';

export interface AuditActor {
  /** null only for the operator (CLI) and the system itself; every person has their own account (AU12). */
  userId: string | null;
  kind: 'user' | 'operator' | 'system';
  roles: string[];
  /** SHA-256 of the session token (never the token). */
  sessionHash: string | null;
  ip: string | null;
  userAgent: string | null;
}

export interface AuditEvent {
  action: AuditAction;
  outcome: AuditOutcome;
  actor: AuditActor;
  entity?: { type: string; id?: string | null; patientId?: string | null } | undefined;
  /** Why: required for break-glass and exports. */
  reason?: string | null | undefined;
  requestId?: string | null | undefined;
  /** The route pattern (not the URL: no ids or query strings with data). */
  route?: string | null | undefined;
  /** Small non-secret facts: counts, sizes, hashes, field names (never values of patient data). */
  detail?: Record<string, string | number | boolean | null> | null | undefined;
}

export const OPERATOR: AuditActor = { userId: null, kind: 'operator', roles: [], sessionHash: null, ip: null, userAgent: 'invent-cli' };
export const SYSTEM: AuditActor = { userId: null, kind: 'system', roles: [], sessionHash: null, ip: null, userAgent: null };
