// drizzle over an already-open libSQL client. `driver-core` (not `drizzle-orm/libsql`) keeps this
// module free of any runtime-specific client import.
import type { Client } from '@libsql/client';
import * as core from 'drizzle-orm/libsql/driver-core';
import type { LibSQLDatabase } from 'drizzle-orm/libsql/driver-core';
import * as controlSchema from './schema/control.ts';
import * as clinicSchema from './schema/clinic/index.ts';

type Construct = <S extends Record<string, unknown>>(client: Client, config: { schema: S }) => LibSQLDatabase<S>;
const construct = (core as unknown as { construct: Construct }).construct;

export type ControlDb = LibSQLDatabase<typeof controlSchema>;
export type ClinicDb = LibSQLDatabase<typeof clinicSchema>;

export const controlDrizzle = (client: Client): ControlDb => construct(client, { schema: controlSchema });
export const clinicDrizzle = (client: Client): ClinicDb => construct(client, { schema: clinicSchema });

/** Per-connection settings every database gets: WAL, foreign keys, a busy timeout. */
export async function tuneConnection(client: Client): Promise<void> {
  await client.execute('PRAGMA journal_mode = WAL');
  await client.execute('PRAGMA synchronous = NORMAL');
  await client.execute('PRAGMA foreign_keys = ON');
  await client.execute('PRAGMA busy_timeout = 5000');
}

export function isNotADatabase(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === 'SQLITE_NOTADB' || /file is not a database/i.test(String(e?.message ?? ''));
}

/** Folds the WAL back into the database file, then closes: a stopped installation is plain files. */
export async function closeClient(client: Client): Promise<void> {
  try {
    await client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
  } catch {
    // Closing matters more than the checkpoint; SQLite replays the WAL on the next open.
  }
  client.close();
}
