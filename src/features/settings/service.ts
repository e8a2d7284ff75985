// Clinic settings: validated, saved on the clinic's row, the cached clinic refreshed, audited.
import { eq } from 'drizzle-orm';
import type { ControlDb } from '../../tenancy/db.ts';
import type { ClinicRegistry } from '../../tenancy/registry.ts';
import { isTimeZone } from '../../tenancy/registry.ts';
import { clinics } from '../../tenancy/schema/control.ts';
import { clinicSettingsSchema, type ClinicSettings } from '../../tenancy/settings.ts';
import { eventFor, type AuditContext, type AuditSink } from '../../audit/context.ts';

export class SettingsService {
  constructor(private readonly deps: { control: ControlDb; clinics: ClinicRegistry; audit: AuditSink }) {}

  async current(clinicId: string): Promise<{ settings: ClinicSettings; timezone: string }> {
    const h = await this.deps.clinics.get(clinicId);
    return { settings: h.settings, timezone: h.timezone };
  }

  /** Returns the fields that changed; throws 'timezone' for an unknown zone. */
  async save(ctx: AuditContext, next: ClinicSettings, timezone: string): Promise<string[]> {
    if (!isTimeZone(timezone)) throw new Error('timezone');
    const settings = clinicSettingsSchema.parse(next);
    const before = await this.current(ctx.clinicId);
    const changed = [
      ...Object.keys(settings).filter((k) => JSON.stringify(settings[k as keyof ClinicSettings]) !== JSON.stringify(before.settings[k as keyof ClinicSettings])),
      ...(timezone !== before.timezone ? ['timezone'] : []),
    ];
    await this.deps.control.update(clinics).set({ settings: JSON.stringify(settings), timezone }).where(eq(clinics.id, ctx.clinicId));
    await this.deps.clinics.refresh(ctx.clinicId);
    await this.deps.audit(ctx.clinicId, [
      eventFor(ctx, { action: 'update', outcome: 'success', entity: { type: 'clinic-settings', id: ctx.clinicId }, detail: { changed: changed.join(',') } }),
    ]);
    return changed;
  }
}
