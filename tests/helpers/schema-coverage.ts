// PD1 (a patient's archive holds every table that has a patient id): the clinic tables with a
// patient_id column, read from the live schema (sqlite_master + PRAGMA table_info), so that a table
// added by a later migration is noticed by the coverage test before anyone forgets it.
import type { Client } from '@libsql/client';

/** Every user table of the database (migrations bookkeeping and SQLite's own left out). */
export async function userTables(client: Client): Promise<string[]> {
  const rows = (await client.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_\\_%' ESCAPE '\\' ORDER BY name")).rows;
  return rows.map((r) => String(r.name));
}

/** The tables that have a column of this name (patient_id by default). */
export async function tablesWithColumn(client: Client, column = 'patient_id'): Promise<string[]> {
  const out: string[] = [];
  for (const table of await userTables(client)) {
    const cols = (await client.execute(`PRAGMA table_info("${table.replace(/"/g, '""')}")`)).rows.map((r) => String(r.name));
    if (cols.includes(column)) out.push(table);
  }
  return out;
}

/** Tables with a patient id that the coverage map does not name, and names in the map that are no table. */
export async function coverageGaps(client: Client, coverage: Record<string, unknown>): Promise<{ missing: string[]; stale: string[] }> {
  const withPatient = await tablesWithColumn(client);
  const tables = new Set(await userTables(client));
  return { missing: withPatient.filter((t) => !(t in coverage)), stale: Object.keys(coverage).filter((t) => !tables.has(t)) };
}
