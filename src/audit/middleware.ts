// The audit middleware: every request of a signed-in person leaves an event in their clinic's log
// (LG1). Routes whose services wrote their own events (in the same transaction as the change)
// mark the request audited; every other answer, denials and errors included, gets a request-level
// event here, carrying what the route says it was about (a patient read, say).
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { actorOf, type AuditSink } from './context.ts';
import type { AuditOutcome } from './types.ts';

export function outcomeOf(status: number): AuditOutcome {
  if (status < 400) return 'success';
  return status === 401 || status === 403 ? 'denied' : 'failure';
}

export function auditMiddleware(sink: AuditSink): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const viewer = c.get('viewer');
    if (!viewer || c.get('audited')) return;
    const method = c.req.method;
    const status = c.res.status;
    await sink(viewer.clinicId, [
      {
        action: method === 'GET' || method === 'HEAD' ? 'read' : 'execute',
        outcome: outcomeOf(status),
        actor: actorOf(c),
        entity: c.get('auditEntity') ?? { type: 'page' },
        requestId: c.get('requestId'),
        route: c.req.routePath,
        detail: { method, status },
      },
    ]);
  };
}
