// The server checks every clinic's audit chain at start and then daily; the last result is kept in
// the clinic's database for administrators to see, and a failure raises a security event.
import { sql } from 'drizzle-orm';
import type { Client } from '@libsql/client';
import type { Clock, Logger } from '../../platform/ports.ts';
import type { ClinicRegistry } from '../../tenancy/registry.ts';
import { clinicMeta } from '../../tenancy/schema/clinic/index.ts';
import { readRecordedHead } from '../../audit/heads.ts';
import { verifyAudit } from '../../audit/verify.ts';
import type { SecurityEvents } from '../security/service.ts';

export const LAST_VERIFY_KEY = 'audit_last_verify';
export const VERIFY_EVERY_MS = 24 * 3_600_000;

export type LastVerification = { at: string; ok: true; rows: number } | { at: string; ok: false; seq: number; reason: string };

export async function verifyClinic(
  deps: { clinics: ClinicRegistry; controlClient: Client; clock: Clock; security: SecurityEvents },
  clinicId: string,
): Promise<LastVerification> {
  const handle = await deps.clinics.get(clinicId);
  const result = await verifyAudit(handle.client, { recordedHead: await readRecordedHead(deps.controlClient, clinicId) });
  const at = deps.clock.now().toISOString();
  const last: LastVerification = result.ok ? { at, ok: true, rows: result.rows } : { at, ok: false, seq: result.seq, reason: result.reason };
  await handle.db
    .insert(clinicMeta)
    .values({ key: LAST_VERIFY_KEY, value: JSON.stringify(last) })
    .onConflictDoUpdate({ target: clinicMeta.key, set: { value: JSON.stringify(last), updatedAt: sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))` } });
  if (!result.ok) await deps.security.raise(clinicId, { kind: 'audit-verify-failed', detail: { seq: result.seq, reason: result.reason.slice(0, 200) } });
  return last;
}

export async function lastVerification(clinics: ClinicRegistry, clinicId: string): Promise<LastVerification | undefined> {
  const { client } = await clinics.get(clinicId);
  const row = (await client.execute({ sql: 'SELECT value FROM clinic_meta WHERE key = ?', args: [LAST_VERIFY_KEY] })).rows[0];
  return row ? (JSON.parse(String(row.value)) as LastVerification) : undefined;
}

/** Checks every clinic now, then every day while the server runs; returns a stop function. */
export function scheduleVerification(
  deps: { clinics: ClinicRegistry; controlClient: Client; clock: Clock; security: SecurityEvents; log: Logger },
): { done: Promise<void>; stop(): void } {
  const runAll = async () => {
    for (const clinic of await deps.clinics.list()) {
      try {
        const r = await verifyClinic(deps, clinic.id);
        if (r.ok) deps.log.info('audit log intact', { clinic: clinic.slug, rows: r.rows });
        else deps.log.error('audit log check FAILED', { clinic: clinic.slug, seq: r.seq, reason: r.reason });
      } catch (err) {
        deps.log.error('audit log check could not run', { clinic: clinic.slug, error: (err as Error).name });
      }
    }
  };
  const done = runAll();
  const timer = setInterval(() => void runAll(), VERIFY_EVERY_MS);
  (timer as { unref?: () => void }).unref?.();
  return { done, stop: () => clearInterval(timer) };
}
