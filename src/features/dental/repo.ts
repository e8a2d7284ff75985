// Dental entries in and out of the clinic database; the note is sealed on the way in and opened on
// the way out (CR1). Entries are only ever inserted.
import { asc, eq, sql } from 'drizzle-orm';
import type { ClinicHandle } from '../../tenancy/registry.ts';
import { dentalEntries } from '../../tenancy/schema/clinic/index.ts';
import { sealColumn, unsealColumn } from '../../tenancy/columns.ts';
import type { Tx } from '../clinical/base.ts';
import { isFinding, isMaterial, isSurface, type Action, type DentalEntry, type Status } from '../../dental/findings.ts';

type Row = typeof dentalEntries.$inferSelect;

export const DENTAL_ENTRY_ID = /^dnt_[a-z2-7]{26}$/;

async function toEntry(h: ClinicHandle, r: Row): Promise<DentalEntry> {
  // The database's checks hold these; a row that breaks them is a bug, not input.
  if (!isFinding(r.finding) || (r.surface !== null && !isSurface(r.surface)) || (r.material !== null && !isMaterial(r.material))) {
    throw new Error(`dental entry ${r.id} has an unknown code`);
  }
  return {
    id: r.id,
    patientId: r.patientId,
    tooth: r.tooth,
    surface: r.surface,
    finding: r.finding,
    action: r.action as Action,
    status: r.status as Status,
    material: r.material,
    draft: r.draft === 1,
    note: await unsealColumn(h, 'dental_entries', 'note', r.id, r.note),
    at: r.recordedAt,
    by: r.recordedBy,
  };
}

/** A patient's entries in the order they were recorded (time, then insertion order). */
export async function entriesOf(h: ClinicHandle, patientId: string): Promise<DentalEntry[]> {
  const rows = await h.db
    .select()
    .from(dentalEntries)
    .where(eq(dentalEntries.patientId, patientId))
    .orderBy(asc(dentalEntries.recordedAt), sql`rowid`);
  return Promise.all(rows.map((r) => toEntry(h, r)));
}

/** The rows to insert for these entries, notes sealed. */
export async function rowsOf(h: ClinicHandle, entries: DentalEntry[]): Promise<Row[]> {
  return Promise.all(
    entries.map(async (e) => ({
      id: e.id,
      patientId: e.patientId,
      tooth: e.tooth,
      surface: e.surface,
      finding: e.finding,
      action: e.action,
      status: e.status,
      material: e.material,
      draft: e.draft ? 1 : 0,
      note: await sealColumn(h, 'dental_entries', 'note', e.id, e.note),
      recordedAt: e.at,
      recordedBy: e.by,
    })),
  );
}

export async function insertRows(tx: Tx, rows: Row[]): Promise<void> {
  if (rows.length > 0) await tx.insert(dentalEntries).values(rows);
}
