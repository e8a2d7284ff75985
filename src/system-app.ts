// The app over an opened installation: the self-host runtimes (Node, Deno, Bun) and tests.
import type { Hono } from 'hono';
import type { Clock } from './platform/ports.ts';
import type { System } from './tenancy/system.ts';
import type { AppEnv } from './http/env.ts';
import { buildApp, loadStatic } from './app.ts';
import { AuthService } from './auth/service.ts';
import { AccountService } from './auth/account.ts';
import { controlEventSink } from './auth/events.ts';

/** The identity services over an installation (the app's, and the CLI's for operator actions). */
export function identityServices(system: System, clock: Clock): { auth: AuthService; account: AccountService } {
  const base = { control: system.control, clinics: system.clinics, secrets: system.secrets, hasher: system.platform.hasher, clock };
  const auth = new AuthService({ ...base, events: controlEventSink(system.control, clock) });
  return { auth, account: new AccountService({ ...base, events: auth.events }, auth) };
}

export async function appFromSystem(system: System, opts: { clock?: Clock } = {}): Promise<Hono<AppEnv>> {
  const { platform, config } = system;
  const clock = opts.clock ?? platform.clock;
  const { auth, account } = identityServices(system, clock);
  return buildApp({
    config,
    clock,
    log: platform.log,
    static: await loadStatic(platform.assets),
    data: { control: system.control, clinics: system.clinics, secrets: system.secrets, auth, account },
  });
}
