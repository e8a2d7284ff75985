/** @jsxImportSource hono/jsx */
// The audit viewer for administrators: filters, paging (with and without htmx), CSV download.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppEnv, StaticUrls } from '../../http/env.ts';
import { renderPage } from '../../http/render.tsx';
import { can } from '../../access/guard.ts';
import { auditContext, eventFor, markAudited, type AuditSink } from '../../audit/context.ts';
import { AUDIT_ACTIONS } from '../../audit/types.ts';
import type { ClinicRegistry } from '../../tenancy/registry.ts';
import type { StaffService } from '../staff/service.ts';
import { formatDateTime, zonedDayStart } from '../../i18n/format.ts';
import { toCsv } from '../../http/csv.ts';
import { sha256Hex } from '../../crypto/bytes.ts';
import { queryAudit, type AuditFilter, type AuditRow } from './repo.ts';
import { lastVerification } from './verification.ts';
import { AuditPage, type AuditFilterView, type AuditRowView } from '../../../views/pages/admin/audit.tsx';

const PAGE = 100;
const CSV_MAX = 50_000;
const day = z.union([z.literal(''), z.string().regex(/^\d{4}-\d{2}-\d{2}$/)]);
const query = z
  .object({
    person: z.union([z.literal(''), z.string().regex(/^u_[a-z2-7]{26}$/)]).default(''),
    patient: z.string().max(64).default(''),
    action: z.union([z.literal(''), z.enum(AUDIT_ACTIONS)]).default(''),
    outcome: z.enum(['', 'success', 'failure', 'denied']).default(''),
    from: day.default(''),
    to: day.default(''),
    before: z.string().regex(/^\d{1,12}$/).optional(),
    /** Only for the CSV: why the log leaves the system. */
    reason: z.string().trim().min(3).max(200).optional(),
  })
  .strict();

export function auditRoutes(deps: { urls: StaticUrls; clinics: ClinicRegistry; staff: StaffService; audit: AuditSink }) {
  const app = new Hono<AppEnv>();
  const { urls } = deps;

  async function load(c: Context<AppEnv>, limit: number) {
    const parsed = query.safeParse(c.req.query());
    const f: AuditFilterView = parsed.success
      ? { person: parsed.data.person, patient: parsed.data.patient, action: parsed.data.action, outcome: parsed.data.outcome, from: parsed.data.from, to: parsed.data.to }
      : { person: '', patient: '', action: '', outcome: '', from: '', to: '' };
    const ctx = auditContext(c);
    const handle = await deps.clinics.get(ctx.clinicId);
    const from = f.from ? zonedDayStart(f.from, handle.timezone) : undefined;
    const toStart = f.to ? zonedDayStart(f.to, handle.timezone) : undefined;
    const datesOk = (!f.from || from) && (!f.to || toStart);
    const filter: AuditFilter = {
      actorUserId: f.person || undefined,
      patientId: f.patient.trim() || undefined,
      action: f.action || undefined,
      outcome: f.outcome || undefined,
      from: from?.toISOString(),
      // "To" is inclusive: up to the start of the next day.
      to: toStart ? new Date(toStart.getTime() + 86_400_000).toISOString() : undefined,
      before: parsed.success && parsed.data.before ? Number(parsed.data.before) : undefined,
    };
    const valid = parsed.success && !!datesOk;
    const rows = valid ? await queryAudit(handle.db, filter, limit) : [];
    return { f, rows, ctx, handle, valid, reason: parsed.success ? parsed.data.reason : undefined };
  }

  const names = async (c: Context<AppEnv>) => new Map((await deps.staff.list(auditContext(c))).map((m) => [m.userId, m.name]));

  const whoOf = (c: Context<AppEnv>, r: AuditRow, people: Map<string, string>) =>
    r.actorKind === 'operator' ? c.get('t')('audit.operator') : r.actorKind === 'system' ? c.get('t')('audit.system') : (people.get(r.actorUserId ?? '') ?? c.get('t')('audit.unknown'));

  app.get('/admin/audit', can('audit:read'), async (c) => {
    const { f, rows, handle, valid } = await load(c, PAGE + 1);
    const t = c.get('t');
    const lang = c.get('lang');
    const people = await names(c);
    const page = rows.slice(0, PAGE);
    const params = new URLSearchParams(Object.entries(f).filter(([, v]) => v));
    const older = rows.length > PAGE ? `/admin/audit?${new URLSearchParams({ ...Object.fromEntries(params), before: String(page.at(-1)!.seq) })}` : undefined;
    const last = await lastVerification(deps.clinics, handle.id);
    const verification = !last
      ? t('audit.verify.never')
      : last.ok
        ? t('audit.verify.ok', { at: formatDateTime(last.at, lang, handle.timezone), rows: last.rows })
        : t('audit.verify.bad', { at: formatDateTime(last.at, lang, handle.timezone), seq: last.seq, reason: last.reason });
    const view: AuditRowView[] = page.map((r) => ({
      seq: r.seq,
      when: formatDateTime(r.at, lang, handle.timezone),
      who: whoOf(c, r, people),
      roles: (JSON.parse(r.actorRoles) as string[]).join(', '),
      action: r.action,
      outcome: r.outcome,
      entity: [r.entityType, r.entityId].filter(Boolean).join(' '),
      patient: r.patientId ?? '',
      route: r.route ?? '',
      ip: r.ip ?? '',
      reason: r.reason ?? '',
      detail: r.detail ?? '',
    }));
    return renderPage(c, urls, {
      title: t('audit.title'),
      ...(valid ? {} : { status: 400 as const }),
      body: (frame) => (
        <AuditPage
          frame={frame}
          filter={f}
          people={[...people].map(([id, name]) => ({ id, name }))}
          rows={view}
          verification={verification}
          {...(older ? { older } : {})}
          {...(valid ? {} : { error: frame.t('audit.badDate') })}
        />
      ),
    });
  });

  // The CSV is itself an export of the log, audited with its size and hash (VE3: formula-safe).
  app.get('/admin/audit.csv', can('audit:read'), async (c) => {
    const { rows, ctx, valid, reason } = await load(c, CSV_MAX);
    if (!valid || !reason) return c.text(c.get('t')(valid ? 'audit.csvReasonNeeded' : 'audit.badDate'), 400);
    const people = await names(c);
    const header = ['seq', 'at', 'person', 'actor_kind', 'roles', 'action', 'outcome', 'entity_type', 'entity_id', 'patient_id', 'reason', 'route', 'ip', 'user_agent', 'request_id', 'detail', 'hash'];
    const csv = toCsv(
      header,
      rows.map((r) => [r.seq, r.at, whoOf(c, r, people), r.actorKind, r.actorRoles, r.action, r.outcome, r.entityType, r.entityId, r.patientId, r.reason, r.route, r.ip, r.userAgent, r.requestId, r.detail, r.hash]),
    );
    const bytes = new TextEncoder().encode(csv);
    await deps.audit(ctx.clinicId, [
      eventFor(ctx, { action: 'export', outcome: 'success', reason, entity: { type: 'audit-log' }, detail: { rows: rows.length, bytes: bytes.length, sha256: await sha256Hex(bytes) } }),
    ]);
    markAudited(c);
    const stamp = new Date().toISOString().slice(0, 10);
    return c.body(bytes, 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="audit-${stamp}.csv"`,
    });
  });

  return app;
}
