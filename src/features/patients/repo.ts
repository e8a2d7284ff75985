// Patient rows: sealing and opening the encrypted demographics (CR1), building blind-index rows
// (CR2), and the few queries the service needs. Views never see this; the service calls it.
import { and, desc, eq, inArray, like, sql } from 'drizzle-orm';
import type { ClinicHandle } from '../../tenancy/registry.ts';
import type { ClinicDb } from '../../tenancy/db.ts';
import type { ClinicTx } from '../../audit/log.ts';
import { patientHistory, patientIndex, patients } from '../../tenancy/schema/clinic/index.ts';
import { decryptField, encryptField } from '../../crypto/field.ts';
import { blindIndex } from '../../crypto/blind.ts';
import { namePrefixes } from '../../patients/names.ts';
import { nameDobKeys, tokensOf, type Demographics } from './demographics.ts';

export type IndexField = 'name' | 'cpr' | 'phone' | 'dob' | 'namedob';

/** A patient as the service hands it out: decrypted. */
export interface Patient {
  id: string;
  mrn: string;
  restricted: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
  demographics: Demographics;
}

export interface HistoryEntry {
  id: string;
  at: string;
  userId: string | null;
  version: number;
  fields: string[];
  reason: string;
  previous: Demographics;
}

type Db = ClinicDb | ClinicTx;
type PatientRow = typeof patients.$inferSelect;

export const PATIENT_ID = /^p_[a-z2-7]{26}$/;
const CHUNK = 500;

const ctxOf = (h: ClinicHandle, table: string, column: string, rowId: string) => ({ clinicId: h.id, table, column, rowId });

export const sealDemographics = (h: ClinicHandle, id: string, d: Demographics) =>
  encryptField(h.keys.field, ctxOf(h, 'patients', 'demographics', id), JSON.stringify(d));

export async function openDemographics(h: ClinicHandle, id: string, sealed: string): Promise<Demographics> {
  return JSON.parse(await decryptField(h.keys.field, ctxOf(h, 'patients', 'demographics', id), sealed)) as Demographics;
}

/** The blind-index token of one normalised value of one field. */
export async function tokenFor(h: ClinicHandle, field: IndexField, normalised: string): Promise<string> {
  return blindIndex(await h.keys.blind(`patients.${field}`), normalised);
}

/** Every index row of a record: name-token prefixes, CPR, phones, birth date, name + birth date. */
export async function indexRows(h: ClinicHandle, patientId: string, d: Demographics): Promise<(typeof patientIndex.$inferInsert)[]> {
  const values: [IndexField, string][] = [];
  const prefixes = new Set<string>();
  for (const t of tokensOf(d)) for (const p of namePrefixes(t)) prefixes.add(p);
  for (const p of prefixes) values.push(['name', p]);
  if (d.cpr) values.push(['cpr', d.cpr]);
  for (const p of d.phones) values.push(['phone', p]);
  values.push(['dob', d.dateOfBirth]);
  for (const k of nameDobKeys(d)) values.push(['namedob', k]);
  const rows = await Promise.all(values.map(async ([field, v]) => ({ field, token: await tokenFor(h, field, v), patientId })));
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(`${r.field}|${r.token}`) && !!seen.add(`${r.field}|${r.token}`));
}

export async function writeIndex(tx: ClinicTx, rows: (typeof patientIndex.$inferInsert)[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await tx.insert(patientIndex).values(rows.slice(i, i + CHUNK));
}

export async function clearIndex(tx: ClinicTx, patientId: string): Promise<void> {
  await tx.delete(patientIndex).where(eq(patientIndex.patientId, patientId));
}

/**
 * Ids of patients with an index row for `field` matching `tokens`: any of them, or (all = true)
 * every one of them. A truncated HMAC may collide, so callers decrypt and check.
 */
export async function idsByTokens(db: Db, field: IndexField, tokens: string[], all = false): Promise<string[]> {
  const unique = [...new Set(tokens)];
  if (unique.length === 0) return [];
  const q = db
    .select({ id: patientIndex.patientId })
    .from(patientIndex)
    .where(and(eq(patientIndex.field, field), inArray(patientIndex.token, unique)))
    .groupBy(patientIndex.patientId);
  const rows = all ? await q.having(sql`count(DISTINCT ${patientIndex.token}) = ${unique.length}`) : await q;
  return rows.map((r) => r.id);
}

export async function rowById(db: Db, id: string): Promise<PatientRow | undefined> {
  return (await db.select().from(patients).where(eq(patients.id, id)))[0];
}

export async function rowByMrn(db: Db, mrn: string): Promise<PatientRow | undefined> {
  return (await db.select().from(patients).where(eq(patients.mrn, mrn)))[0];
}

export async function rowsByIds(db: Db, ids: string[]): Promise<PatientRow[]> {
  const out: PatientRow[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(...(await db.select().from(patients).where(inArray(patients.id, ids.slice(i, i + CHUNK)))));
  return out;
}

export async function toPatient(h: ClinicHandle, row: PatientRow): Promise<Patient> {
  return {
    id: row.id,
    mrn: row.mrn,
    restricted: row.restricted,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    demographics: await openDemographics(h, row.id, row.demographics),
  };
}

/** The next free number after the highest MRN with this prefix, zero-padded: P-000001, P-000002... */
export async function nextMrn(tx: Db, prefix = 'P-', width = 6): Promise<string> {
  const last = (await tx.select({ mrn: patients.mrn }).from(patients).where(like(patients.mrn, `${prefix}%`)).orderBy(desc(patients.mrn)).limit(1))[0];
  const n = last ? Number(last.mrn.slice(prefix.length)) || 0 : 0;
  return prefix + String(n + 1).padStart(width, '0');
}

export async function insertHistory(h: ClinicHandle, tx: ClinicTx, entry: Omit<HistoryEntry, 'fields'> & { patientId: string; fields: string[] }): Promise<void> {
  await tx.insert(patientHistory).values({
    id: entry.id,
    patientId: entry.patientId,
    at: entry.at,
    userId: entry.userId,
    version: entry.version,
    fields: entry.fields.join(','),
    previous: await encryptField(h.keys.field, ctxOf(h, 'patient_history', 'previous', entry.id), JSON.stringify(entry.previous)),
    reason: await encryptField(h.keys.field, ctxOf(h, 'patient_history', 'reason', entry.id), entry.reason),
  });
}

/** A patient's corrections, newest first, decrypted. */
export async function historyOf(h: ClinicHandle, patientId: string): Promise<HistoryEntry[]> {
  const rows = await h.db.select().from(patientHistory).where(eq(patientHistory.patientId, patientId)).orderBy(desc(patientHistory.at), desc(patientHistory.version));
  return Promise.all(
    rows.map(async (r) => ({
      id: r.id,
      at: r.at,
      userId: r.userId,
      version: r.version,
      fields: r.fields ? r.fields.split(',') : [],
      reason: await decryptField(h.keys.field, ctxOf(h, 'patient_history', 'reason', r.id), r.reason),
      previous: JSON.parse(await decryptField(h.keys.field, ctxOf(h, 'patient_history', 'previous', r.id), r.previous)) as Demographics,
    })),
  );
}

/**
 * For names too common to decrypt every match: patients having every one of `tokens`, one page at
 * a time in index order, driven by the first token's index rows (the primary key covers field,
 * token, patient id). It stops at the page's end, so it never counts every match: a common name's
 * total is not worth a scan of the whole index per keystroke. No row is decrypted here.
 */
export async function pageByTokens(db: Db, field: IndexField, tokens: string[], page: { offset: number; limit: number }): Promise<string[]> {
  const [first, ...rest] = [...new Set(tokens)];
  if (!first) return [];
  const others = rest.map(
    (t) => sql`EXISTS (SELECT 1 FROM ${patientIndex} o WHERE o.field = ${field} AND o.token = ${t} AND o.patient_id = ${patientIndex.patientId})`,
  );
  const where = and(eq(patientIndex.field, field), eq(patientIndex.token, first), ...others);
  const rows = await db.select({ id: patientIndex.patientId }).from(patientIndex).where(where).orderBy(patientIndex.patientId).limit(page.limit).offset(page.offset);
  return rows.map((r) => r.id);
}
