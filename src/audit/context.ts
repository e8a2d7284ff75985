// Who is acting in this request, for the audit log; and the one flag that says the request's
// events were written (otherwise the audit middleware writes a request-level event).
import type { Context } from 'hono';
import type { AppEnv } from '../http/env.ts';
import type { AuditActor, AuditEvent } from './types.ts';
import { requestInfo } from '../http/forms.ts';

export interface AuditContext {
  clinicId: string;
  actor: AuditActor;
  requestId: string;
  route: string;
}

/** Appends events to a clinic's log (see audit/log.ts); one transaction per call. */
export type AuditSink = (clinicId: string, events: AuditEvent[]) => Promise<void>;

export function actorOf(c: Context<AppEnv>): AuditActor {
  const viewer = c.get('viewer');
  const session = c.get('session');
  const { ip, userAgent } = requestInfo(c);
  return {
    userId: session?.user.id ?? null,
    kind: 'user',
    roles: viewer?.roles ?? [],
    sessionHash: session?.record.tokenHash ?? null,
    ip,
    userAgent,
  };
}

export function auditContext(c: Context<AppEnv>): AuditContext {
  const viewer = c.get('viewer');
  if (!viewer) throw new Error('audit context needs a signed-in viewer');
  return { clinicId: viewer.clinicId, actor: actorOf(c), requestId: c.get('requestId'), route: c.req.routePath };
}

/** The route's service wrote this request's events itself. */
export function markAudited(c: Context<AppEnv>): void {
  c.set('audited', true);
}

/** Builds an event from the request's context. */
export function eventFor(ctx: AuditContext, e: Omit<AuditEvent, 'actor' | 'requestId' | 'route'>): AuditEvent {
  return { ...e, actor: ctx.actor, requestId: ctx.requestId, route: ctx.route };
}
