// The clinics of this installation: create them, open their databases, check their keys.
import type { Client } from '@libsql/client';
import { eq, and } from 'drizzle-orm';
import type { Platform } from '../platform/ports.ts';
import type { BlobStore } from '../platform/blob-store.ts';
import { deriveClinicKeys, KeyError, newKey, unwrapClinicKey, wrapClinicKey, type ClinicKeys } from '../crypto/keys.ts';
import { newId } from '../crypto/bytes.ts';
import { clinicDrizzle, closeClient, isNotADatabase, tuneConnection, type ClinicDb, type ControlDb } from './db.ts';
import { loadMigrations, migrate } from './migrate.ts';
import { clinicKeys, clinics } from './schema/control.ts';
import { clinicMeta } from './schema/clinic/index.ts';
import { defaultSettings, parseSettings, type ClinicSettings } from './settings.ts';

export type ClinicRow = typeof clinics.$inferSelect;

export interface ClinicHandle {
  id: string;
  slug: string;
  name: string;
  timezone: string;
  settings: ClinicSettings;
  client: Client;
  db: ClinicDb;
  keys: ClinicKeys;
}

export class ClinicInputError extends Error {
  override name = 'ClinicInputError';
}

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const clinicFile = (id: string) => `clinics/${id}.db`;

export class ClinicRegistry {
  private open = new Map<string, Promise<ClinicHandle>>();

  constructor(
    private readonly platform: Platform,
    private readonly control: ControlDb,
    private readonly master: Uint8Array,
  ) {}

  /** The platform's blob store (attachments), for code that holds only the registry (the demo seed). */
  get blobs(): BlobStore {
    return this.platform.blobs;
  }

  list(): Promise<ClinicRow[]> {
    return this.control.select().from(clinics).orderBy(clinics.slug);
  }

  async bySlug(slug: string): Promise<ClinicRow | undefined> {
    return (await this.control.select().from(clinics).where(eq(clinics.slug, slug)))[0];
  }

  async byId(id: string): Promise<ClinicRow | undefined> {
    return (await this.control.select().from(clinics).where(eq(clinics.id, id)))[0];
  }

  /** The open database and keys of a clinic; opened once and shared. */
  get(clinicId: string): Promise<ClinicHandle> {
    let handle = this.open.get(clinicId);
    if (!handle) {
      handle = this.openClinic(clinicId);
      this.open.set(clinicId, handle);
      handle.catch(() => this.open.delete(clinicId));
    }
    return handle;
  }

  /** Forgets a cached handle so that the next get() re-reads the clinic row (after a settings change). */
  async refresh(clinicId: string): Promise<ClinicHandle> {
    const prior = this.open.get(clinicId);
    this.open.delete(clinicId);
    const old = prior && (await prior.catch(() => undefined));
    if (old) await closeClient(old.client);
    return this.get(clinicId);
  }

  private async openClinic(clinicId: string): Promise<ClinicHandle> {
    const row = await this.byId(clinicId);
    if (!row) throw new Error(`no clinic ${clinicId}`);
    const label = `clinic "${row.slug}" (${row.id})`;
    const keyRow = (
      await this.control
        .select()
        .from(clinicKeys)
        .where(and(eq(clinicKeys.clinicId, clinicId), eq(clinicKeys.active, true)))
    )[0];
    if (!keyRow) throw new KeyError(`${label}: no active key`);
    let clinicKey: Uint8Array;
    try {
      clinicKey = await unwrapClinicKey(this.master, clinicId, keyRow.wrappedKey);
    } catch {
      throw new KeyError(`${label}: its key cannot be unwrapped with this master key; nothing was changed`);
    }
    const keys = await deriveClinicKeys(clinicId, clinicKey);
    const file = clinicFile(clinicId);
    if (!(await this.platform.dataDir.exists(file))) {
      throw new KeyError(`${label}: database file ${this.platform.dataDir.resolve(file)} is missing`);
    }
    const client = await this.platform.db.open(this.platform.dataDir.resolve(file), keys.dbKey);
    try {
      await tuneConnection(client);
      const db = clinicDrizzle(client);
      const owner = (await db.select().from(clinicMeta).where(eq(clinicMeta.key, 'clinic_id')))[0]?.value;
      if (owner !== clinicId) throw new KeyError(`${label}: database file belongs to another clinic (${owner ?? 'none'})`);
      return { id: row.id, slug: row.slug, name: row.name, timezone: row.timezone, settings: parseSettings(row.settings), client, db, keys };
    } catch (err) {
      client.close();
      if (isNotADatabase(err)) {
        throw new KeyError(
          `${label}: database ${this.platform.dataDir.resolve(file)} cannot be read with its key (wrong key or damaged file); nothing was changed`,
        );
      }
      throw err;
    }
  }

  /** Opens every clinic once: a wrong key or a damaged file fails loudly, naming the clinic. */
  async checkAll(): Promise<void> {
    for (const row of await this.list()) await this.get(row.id);
  }

  /** Runs pending migrations on every clinic database. */
  async migrateAll(): Promise<{ slug: string; applied: string[] }[]> {
    const migrations = await loadMigrations(this.platform.assets, 'clinic');
    const out = [];
    for (const row of await this.list()) {
      const handle = await this.get(row.id);
      out.push({ slug: row.slug, applied: await migrate(handle.client, migrations) });
    }
    return out;
  }

  async create(input: { slug: string; name: string; timezone?: string; settings?: Partial<ClinicSettings> }): Promise<ClinicRow> {
    const slug = input.slug.trim().toLowerCase();
    const name = input.name.trim();
    const timezone = input.timezone ?? 'Asia/Bahrain';
    if (!SLUG_PATTERN.test(slug)) {
      throw new ClinicInputError(`clinic slug "${input.slug}" must be 1-40 lower-case letters, digits or dashes`);
    }
    if (!name || name.length > 200) throw new ClinicInputError('clinic name must be 1-200 characters');
    if (!isTimeZone(timezone)) throw new ClinicInputError(`unknown time zone "${timezone}"`);
    if (await this.bySlug(slug)) throw new ClinicInputError(`a clinic with slug "${slug}" already exists`);
    const settings = { ...defaultSettings(), ...input.settings };

    const id = newId('c');
    const clinicKey = newKey();
    const keys = await deriveClinicKeys(id, clinicKey);
    const { dataDir, db } = this.platform;
    await dataDir.mkdirs('clinics');
    const client = await db.open(dataDir.resolve(clinicFile(id)), keys.dbKey);
    try {
      await tuneConnection(client);
      await migrate(client, await loadMigrations(this.platform.assets, 'clinic'));
      await clinicDrizzle(client).insert(clinicMeta).values([{ key: 'clinic_id', value: id }]);
    } finally {
      await closeClient(client);
    }
    await this.control.batch([
      this.control.insert(clinics).values({ id, slug, name, timezone, settings: JSON.stringify(settings) }),
      this.control.insert(clinicKeys).values({ clinicId: id, version: 1, wrappedKey: await wrapClinicKey(this.master, id, clinicKey) }),
    ]);
    return (await this.byId(id))!;
  }

  async close(): Promise<void> {
    const handles = [...this.open.values()];
    this.open.clear();
    for (const h of handles) {
      const handle = await h.catch(() => undefined);
      if (handle) await closeClient(handle.client);
    }
  }
}
