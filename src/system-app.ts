// The app over an opened installation: the self-host runtimes (Node, Deno, Bun) and tests.
// Services are built here, not in app.ts, so that targets without databases do not bundle them.
import type { Hono } from 'hono';
import type { Clock } from './platform/ports.ts';
import type { System } from './tenancy/system.ts';
import type { AppEnv } from './http/env.ts';
import { buildApp, loadStatic, type AppServices } from './app.ts';
import { AuthService } from './auth/service.ts';
import { AccountService } from './auth/account.ts';
import { controlEventSink } from './auth/events.ts';
import { clinicAuditSink } from './audit/log.ts';
import { SecurityEventService } from './features/security/service.ts';
import { watchIdentityEvents } from './features/security/identity-watch.ts';
import { StaffService } from './features/staff/service.ts';
import { SettingsService } from './features/settings/service.ts';
import { PatientService } from './features/patients/service.ts';
import { ClinicalService } from './features/clinical/service.ts';
import { BreakGlassService } from './features/break-glass/service.ts';
import { PrescriptionService } from './features/prescriptions/service.ts';
import { DentalService } from './features/dental/service.ts';
import { DocumentService } from './features/documents/service.ts';
import { formServices } from './features/forms/service.ts';
import { SqliteJobQueue } from './jobs/queue-sqlite.ts';
import { ArchiveService } from './features/archives/service.ts';
import { users } from './tenancy/schema/control.ts';
import { eq } from 'drizzle-orm';
import type { ControlDb } from './tenancy/db.ts';

/** Every service over an installation (the app's, and the CLI's for operator actions). */
export function services(system: System, clock: Clock): AppServices {
  const { control, clinics, secrets } = system;
  const hasher = system.platform.hasher;
  const audit = clinicAuditSink({ clinics, controlClient: system.controlClient, clock });
  const security = new SecurityEventService(clinics, clock);
  const events = watchIdentityEvents({ control, clock, base: controlEventSink(control, clock), audit, security });
  const base = { control, clinics, secrets, hasher, clock, events };
  const auth = new AuthService(base);
  const account = new AccountService(base, auth);
  const breakGlass = new BreakGlassService({ clinics, clock, security });
  const documents = new DocumentService({ clinics, clock, blobs: system.platform.blobs, audit, breakGlass, control });
  const dental = new DentalService({ clinics, clock, control, breakGlass });
  const jobs = new SqliteJobQueue(system.controlClient, clock);
  const blobs = system.platform.blobs;
  const archives = new ArchiveService({
    clinics,
    clock,
    blobs,
    jobs,
    security,
    sources: { clinics, control, assets: system.platform.assets, documents, dental, ...(blobs.sha256 ? { sha256: () => blobs.sha256!() } : {}) },
    nameOf: async (userId) => (await loadStaffName(control, userId)) ?? userId,
  });
  return {
    control,
    clinics,
    secrets,
    auth,
    account,
    audit,
    security,
    staff: new StaffService({ control, hasher, account, audit, clock }),
    settings: new SettingsService({ control, clinics, audit }),
    patients: new PatientService({ clinics, clock, control }),
    clinical: new ClinicalService({ clinics, clock, control, breakGlass }),
    dental,
    breakGlass,
    prescriptions: new PrescriptionService({ clinics, clock, assets: system.platform.assets, audit }),
    documents,
    jobs,
    archives,
    forms: formServices({ clinics, clock, assets: system.platform.assets, audit, control }),
  };
}

/** The identity services alone (CLI verbs that act on people). */
export function identityServices(system: System, clock: Clock): Pick<AppServices, 'auth' | 'account'> {
  const { auth, account } = services(system, clock);
  return { auth, account };
}

export async function appFromSystem(system: System, opts: { clock?: Clock } = {}): Promise<Hono<AppEnv>> {
  const { platform, config } = system;
  const clock = opts.clock ?? platform.clock;
  return buildApp({ config, clock, log: platform.log, static: await loadStatic(platform.assets), data: services(system, clock) });
}

async function loadStaffName(control: ControlDb, userId: string): Promise<string | undefined> {
  return (await control.select({ name: users.displayName }).from(users).where(eq(users.id, userId)))[0]?.name;
}
