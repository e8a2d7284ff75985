// Form templates kept by administrators. A template's versions are immutable: editing saves the
// next version and makes it current, so every record keeps pointing at the exact text it was signed
// against. Templates are retired (and reinstated), never deleted. Each write and its audit event
// commit together; the service checks `form:manage` itself as well as the routes.
import { and, eq } from 'drizzle-orm';
import type { Clock } from '../../platform/ports.ts';
import type { ClinicHandle, ClinicRegistry } from '../../tenancy/registry.ts';
import { formTemplateVersions, formTemplates } from '../../tenancy/schema/clinic/index.ts';
import { auditedDbWrite, type ClinicTx } from '../../audit/log.ts';
import { eventFor, type AuditContext } from '../../audit/context.ts';
import type { AuditEvent } from '../../audit/types.ts';
import { permissionsOf, type Permission } from '../../access/permissions.ts';
import type { Role } from '../../access/roles.ts';
import { newId, sha256Hex } from '../../crypto/bytes.ts';
import { canonicalContent, type FormKind, type TemplateContent } from './content.ts';
import { template, templateByCode, templates, versionOf, versionsOf, type Template, type TemplateVersion } from './repo.ts';
import { BUILTIN_TEMPLATES } from './builtin.ts';
import { TEMPLATE_ID } from './answers.ts';

export type { Template, TemplateVersion };

export class FormForbidden extends Error {
  override name = 'FormForbidden';
}

export type TemplateChange = { ok: true; version: number; changed: boolean } | { ok: false; problem: 'not-found' | 'retired' | 'conflict' };

export class FormTemplateService {
  constructor(private readonly deps: { clinics: ClinicRegistry; clock: Clock }) {}

  private permit(ctx: AuditContext, permission: Permission): void {
    if (!permissionsOf(ctx.actor.roles as Role[]).has(permission)) throw new FormForbidden(permission);
  }

  private handle(clinicId: string): Promise<ClinicHandle> {
    return this.deps.clinics.get(clinicId);
  }

  private event(ctx: AuditContext, action: 'create' | 'update', id: string, detail: AuditEvent['detail']): AuditEvent {
    return eventFor(ctx, { action, outcome: 'success', entity: { type: 'form-template', id }, detail });
  }

  async list(clinicId: string): Promise<Template[]> {
    return templates((await this.handle(clinicId)).db);
  }

  /** Templates that take new records, consents first. */
  async usable(clinicId: string): Promise<Template[]> {
    const all = await this.list(clinicId);
    return all.filter((t) => t.status === 'active').sort((a, b) => (a.kind === b.kind ? a.createdAt.localeCompare(b.createdAt) : a.kind === 'consent' ? -1 : 1));
  }

  /** The template with this id in this clinic; null for a malformed or unknown id (AC2). */
  async get(clinicId: string, id: string): Promise<Template | null> {
    if (!TEMPLATE_ID.test(id)) return null;
    return template((await this.handle(clinicId)).db, id);
  }

  async versions(clinicId: string, id: string): Promise<TemplateVersion[]> {
    if (!TEMPLATE_ID.test(id)) return [];
    return versionsOf((await this.handle(clinicId)).db, id);
  }

  async version(clinicId: string, id: string, version: number): Promise<TemplateVersion | null> {
    if (!TEMPLATE_ID.test(id) || !Number.isInteger(version)) return null;
    return versionOf((await this.handle(clinicId)).db, id, version);
  }

  private async insert(tx: ClinicTx, ctx: AuditContext, kind: FormKind, content: TemplateContent, code: string | null): Promise<{ id: string; event: AuditEvent }> {
    const id = newId('ft');
    const at = this.deps.clock.now().toISOString();
    const by = ctx.actor.userId ?? 'system';
    const json = canonicalContent(content);
    const sha = await sha256Hex(json);
    await tx.insert(formTemplates).values({ id, kind, code, currentVersion: 1, status: 'active', createdAt: at, createdBy: by, updatedAt: at });
    await tx.insert(formTemplateVersions).values({ id: newId('ftv'), templateId: id, version: 1, content: json, contentSha256: sha, createdAt: at, createdBy: by });
    return { id, event: this.event(ctx, 'create', id, { kind, version: 1, fields: content.fields.length, sha256: sha, ...(code ? { builtin: code } : {}) }) };
  }

  async create(ctx: AuditContext, kind: FormKind, content: TemplateContent): Promise<string> {
    this.permit(ctx, 'form:manage');
    const h = await this.handle(ctx.clinicId);
    return auditedDbWrite(h.db, this.deps.clock, async (tx) => {
      const { id, event } = await this.insert(tx, ctx, kind, content, null);
      return { result: id, events: [event] };
    });
  }

  /**
   * Saves the content as the next version (current from now on). Unchanged content saves nothing.
   * `basedOn` is the version the editor started from: if someone saved another meanwhile, conflict.
   */
  async update(ctx: AuditContext, id: string, content: TemplateContent, basedOn: number): Promise<TemplateChange> {
    this.permit(ctx, 'form:manage');
    const current = await this.get(ctx.clinicId, id);
    if (!current) return { ok: false, problem: 'not-found' };
    if (current.status !== 'active') return { ok: false, problem: 'retired' };
    if (current.currentVersion !== basedOn) return { ok: false, problem: 'conflict' };
    const json = canonicalContent(content);
    const sha = await sha256Hex(json);
    if (sha === current.current.contentSha256) return { ok: true, version: current.currentVersion, changed: false };
    const h = await this.handle(ctx.clinicId);
    const next = current.currentVersion + 1;
    const at = this.deps.clock.now().toISOString();
    return auditedDbWrite(h.db, this.deps.clock, async (tx) => {
      const moved = await tx
        .update(formTemplates)
        .set({ currentVersion: next, updatedAt: at })
        .where(and(eq(formTemplates.id, id), eq(formTemplates.currentVersion, current.currentVersion), eq(formTemplates.status, 'active')))
        .returning({ id: formTemplates.id });
      if (moved.length === 0) return { result: { ok: false, problem: 'conflict' } as TemplateChange, events: [] };
      await tx.insert(formTemplateVersions).values({ id: newId('ftv'), templateId: id, version: next, content: json, contentSha256: sha, createdAt: at, createdBy: ctx.actor.userId ?? 'system' });
      return {
        result: { ok: true, version: next, changed: true } as TemplateChange,
        events: [this.event(ctx, 'update', id, { op: 'new-version', version: next, fields: content.fields.length, sha256: sha })],
      };
    });
  }

  /** Retires (no new records) or reinstates a template. */
  async setRetired(ctx: AuditContext, id: string, retired: boolean): Promise<TemplateChange> {
    this.permit(ctx, 'form:manage');
    const current = await this.get(ctx.clinicId, id);
    if (!current) return { ok: false, problem: 'not-found' };
    const h = await this.handle(ctx.clinicId);
    const at = this.deps.clock.now().toISOString();
    const from = retired ? 'active' : 'retired';
    return auditedDbWrite(h.db, this.deps.clock, async (tx) => {
      const done = await tx
        .update(formTemplates)
        .set({ status: retired ? 'retired' : 'active', retiredAt: retired ? at : null, retiredBy: retired ? (ctx.actor.userId ?? 'system') : null, updatedAt: at })
        .where(and(eq(formTemplates.id, id), eq(formTemplates.status, from)))
        .returning({ id: formTemplates.id });
      if (done.length === 0) return { result: { ok: false, problem: 'conflict' } as TemplateChange, events: [] };
      return {
        result: { ok: true, version: current.currentVersion, changed: true } as TemplateChange,
        events: [this.event(ctx, 'update', id, { op: retired ? 'retire' : 'reinstate' })],
      };
    });
  }

  /** Adds the built-in templates this clinic does not have yet; returns how many were added. */
  async addBuiltins(ctx: AuditContext): Promise<number> {
    this.permit(ctx, 'form:manage');
    const h = await this.handle(ctx.clinicId);
    return auditedDbWrite(h.db, this.deps.clock, async (tx) => {
      const events: AuditEvent[] = [];
      for (const b of BUILTIN_TEMPLATES) {
        if (await templateByCode(tx, b.code)) continue;
        events.push((await this.insert(tx, ctx, b.kind, b.content, b.code)).event);
      }
      return { result: events.length, events };
    });
  }

  /** The id of the built-in template with this code in this clinic, if added. */
  async builtinId(clinicId: string, code: string): Promise<string | null> {
    return (await templateByCode((await this.handle(clinicId)).db, code))?.id ?? null;
  }
}
