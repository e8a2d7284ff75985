// Signing in through the real routes, and reading what the pages show (TOTP key, recovery codes).
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { expect } from 'vitest';
import { Client } from './http.ts';
import type { TestInstall } from './system.ts';
import { stepAt, totpAt } from '../../src/auth/totp.ts';
import { addMember } from '../../src/auth/users.ts';
import type { Role } from '../../src/access/roles.ts';
import type { Clock } from '../../src/platform/ports.ts';

export const DEMO_PASSWORD = 'correct-horse-battery-staple';

export async function signIn(t: TestInstall, email: string, password = DEMO_PASSWORD, client = new Client(t.app)): Promise<{ client: Client; res: Response }> {
  await client.get('/sign-in');
  const res = await client.post('/sign-in', { email, password });
  return { client, res };
}

/** Signs in and lands on the home page (no 2FA enrolled, one clinic). */
export async function signedIn(t: TestInstall, email: string, password = DEMO_PASSWORD): Promise<Client> {
  const { client, res } = await signIn(t, email, password);
  expect(res.status, await res.clone().text()).toBe(303);
  expect(res.headers.get('Location')).toBe('/');
  await client.get('/');
  return client;
}

export function totpKeyFrom(html: string): Uint8Array {
  const key = html.match(/data-testid="totp-key">([A-Z2-7 ]+)</)?.[1];
  if (!key) throw new Error('no TOTP key on the page');
  return decodeBase32IgnorePadding(key.replace(/ /g, ''));
}

export function codeAt(secret: Uint8Array, clock: Clock, offsetSteps = 0): string {
  return totpAt(secret, stepAt(clock.now()) + offsetSteps);
}

export function recoveryCodesFrom(html: string): string[] {
  const list = html.match(/data-testid="recovery-codes">([\s\S]*?)<\/ul>/)?.[1] ?? '';
  return [...list.matchAll(/<li>([a-z2-7-]+)<\/li>/g)].map((m) => m[1]!);
}

/** Enrols TOTP from the account page (re-authenticating first), returning secret and codes. */
export async function enrolTotp(client: Client, clock: Clock, password = DEMO_PASSWORD): Promise<{ secret: Uint8Array; codes: string[] }> {
  let page = await client.follow(await client.get('/account/2fa/enrol'));
  if (page.url.includes('/reauth') || client.lastHtml.includes('action="/reauth"')) {
    page = await client.follow(await client.post('/reauth', { next: '/account/2fa/enrol', password }));
  }
  const secret = totpKeyFrom(client.lastHtml);
  const sealed = client.lastHtml.match(/name="sealed" value="([^"]+)"/)![1]!;
  const done = await client.post('/account/2fa/enrol', { sealed, code: codeAt(secret, clock) });
  expect(done.status).toBe(200);
  const codes = recoveryCodesFrom(client.lastHtml);
  expect(codes).toHaveLength(10);
  return { secret, codes };
}

export async function addUser(t: TestInstall, clinicSlug: string, email: string, roles: Role[], password = 'a quiet river under granite hills'): Promise<string> {
  const clinic = (await t.system.clinics.bySlug(clinicSlug))!;
  await addMember(t.system.control, t.platform.hasher, { email, clinicId: clinic.id, roles, password, displayName: email.split('@')[0]! });
  return password;
}
