// Applies drizzle-kit's committed SQL migrations, read through the Assets port so that the
// same code works from the source tree, inside the single binary and on Workers.
import type { Client } from '@libsql/client';
import type { Assets } from '../platform/ports.ts';
import { dec, sha256Hex } from '../crypto/bytes.ts';

export type MigrationSet = 'control' | 'clinic';

export interface Migration {
  tag: string;
  hash: string;
  statements: string[];
}

interface Journal {
  entries: { idx: number; tag: string }[];
}

const cache = new Map<string, Promise<Migration[]>>();

export function loadMigrations(assets: Assets, set: MigrationSet): Promise<Migration[]> {
  const key = set;
  let found = cache.get(key);
  if (!found) {
    found = readMigrations(assets, set);
    cache.set(key, found);
    found.catch(() => cache.delete(key));
  }
  return found;
}

async function readMigrations(assets: Assets, set: MigrationSet): Promise<Migration[]> {
  const journalBytes = await assets.read(`migrations/${set}/meta/_journal.json`);
  if (!journalBytes) throw new Error(`migrations/${set}: journal missing from this build`);
  const journal = JSON.parse(dec(journalBytes)) as Journal;
  const out: Migration[] = [];
  for (const entry of [...journal.entries].sort((a, b) => a.idx - b.idx)) {
    const bytes = await assets.read(`migrations/${set}/${entry.tag}.sql`);
    if (!bytes) throw new Error(`migrations/${set}/${entry.tag}.sql missing from this build`);
    const text = dec(bytes);
    out.push({
      tag: entry.tag,
      hash: await sha256Hex(text),
      statements: text
        .split('--> statement-breakpoint')
        .map((s) => s.trim())
        .filter(Boolean),
    });
  }
  return out;
}

/** Brings one database up to date. Idempotent; each migration is one transaction. Returns the tags applied. */
export async function migrate(client: Client, migrations: Migration[]): Promise<string[]> {
  await client.execute(
    'CREATE TABLE IF NOT EXISTS _migrations (tag TEXT PRIMARY KEY, hash TEXT NOT NULL, applied_at TEXT NOT NULL)',
  );
  const done = new Map<string, string>();
  for (const row of (await client.execute('SELECT tag, hash FROM _migrations')).rows) {
    done.set(String(row.tag), String(row.hash));
  }
  const applied: string[] = [];
  for (const m of migrations) {
    const prior = done.get(m.tag);
    if (prior !== undefined) {
      if (prior !== m.hash) throw new Error(`migration ${m.tag} was changed after it was applied`);
      continue;
    }
    await client.batch(
      [
        ...m.statements,
        { sql: 'INSERT INTO _migrations (tag, hash, applied_at) VALUES (?, ?, ?)', args: [m.tag, m.hash, new Date().toISOString()] },
      ],
      'write',
    );
    applied.push(m.tag);
  }
  return applied;
}
