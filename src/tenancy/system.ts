// Opening an installation: master key, control database, every clinic checked.
import type { Client } from '@libsql/client';
import type { AppConfig } from '../config.ts';
import type { Platform } from '../platform/ports.ts';
import { controlDbKey, deriveInstallSecrets, KeyError, type InstallSecrets } from '../crypto/keys.ts';
import { closeClient, controlDrizzle, isNotADatabase, tuneConnection, type ControlDb } from './db.ts';
import { checkMasterKey, CONTROL_DB_FILE, loadMasterKey } from './master-key.ts';
import { loadMigrations, migrate } from './migrate.ts';
import { ClinicRegistry } from './registry.ts';

export interface System {
  platform: Platform;
  config: AppConfig;
  controlClient: Client;
  control: ControlDb;
  clinics: ClinicRegistry;
  secrets: InstallSecrets;
  /** True when this start created the control database (an empty data folder). */
  fresh: boolean;
  close(): Promise<void>;
}

export async function openSystem(platform: Platform, config: AppConfig): Promise<System> {
  const { dataDir } = platform;
  await dataDir.mkdirs('.');
  const master = await loadMasterKey(platform, config);
  await checkMasterKey(platform, master);
  const fresh = !(await dataDir.exists(CONTROL_DB_FILE));
  const controlClient = await platform.db.open(dataDir.resolve(CONTROL_DB_FILE), await controlDbKey(master));
  try {
    await tuneConnection(controlClient);
    await migrate(controlClient, await loadMigrations(platform.assets, 'control'));
  } catch (err) {
    controlClient.close();
    if (isNotADatabase(err)) {
      throw new KeyError(
        `the control database ${dataDir.resolve(CONTROL_DB_FILE)} cannot be read with this master key (wrong key or damaged file); nothing was changed`,
      );
    }
    throw err;
  }
  const control = controlDrizzle(controlClient);
  const clinics = new ClinicRegistry(platform, control, master);
  try {
    await clinics.checkAll();
  } catch (err) {
    await clinics.close();
    controlClient.close();
    throw err;
  }
  return {
    platform,
    config,
    controlClient,
    control,
    clinics,
    secrets: await deriveInstallSecrets(master),
    fresh,
    async close() {
      await clinics.close();
      await closeClient(controlClient);
    },
  };
}
