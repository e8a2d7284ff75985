// Where the master key comes from, and the check that it is the key this data folder was made with.
import type { AppConfig } from '../config.ts';
import type { Platform } from '../platform/ports.ts';
import { dec, enc, encodeBase64 } from '../crypto/bytes.ts';
import { KeyError, masterKeyCheck, newKey, parseMasterKey } from '../crypto/keys.ts';

export const MASTER_KEY_FILE = 'master.key';
export const KEY_CHECK_FILE = 'keycheck.json';
export const CONTROL_DB_FILE = 'control.db';

export async function loadMasterKey(platform: Platform, config: AppConfig): Promise<Uint8Array> {
  const { dataDir, log } = platform;
  if (config.masterKey) return parseMasterKey(config.masterKey);
  const fromFile = await dataDir.read(MASTER_KEY_FILE);
  if (fromFile) {
    const mode = await dataDir.mode(MASTER_KEY_FILE);
    if (mode !== undefined && (mode & 0o077) !== 0) {
      log.warn(`${dataDir.resolve(MASTER_KEY_FILE)} is readable by other users; run chmod 600 on it`);
    }
    warnKeyFile(platform);
    try {
      return parseMasterKey(dec(fromFile));
    } catch {
      throw new KeyError(`${dataDir.resolve(MASTER_KEY_FILE)} does not hold a valid master key`);
    }
  }
  if (await dataDir.exists(CONTROL_DB_FILE)) {
    // Never mint a new key for a folder that already holds data: it could not be read again.
    throw new KeyError(
      `no master key for the data in ${dataDir.resolve('.')}: set INVENT_MASTER_KEY or restore ${MASTER_KEY_FILE}`,
    );
  }
  const key = newKey();
  await dataDir.create(MASTER_KEY_FILE, enc(encodeBase64(key) + '\n'), 0o600);
  warnKeyFile(platform);
  return key;
}

function warnKeyFile({ dataDir, log }: Platform): void {
  log.warn(
    `WARNING: the master key is the file ${dataDir.resolve(MASTER_KEY_FILE)}. Anyone with it and the data folder reads ` +
      'every record; losing it loses every record. Back it up apart from the data (npx invent keys backup, once available) ' +
      'and set INVENT_MASTER_KEY in production.',
  );
}

/** Refuses a master key that differs from the one the folder was created with, before anything is written. */
export async function checkMasterKey(platform: Platform, master: Uint8Array): Promise<void> {
  const { dataDir } = platform;
  const expected = await masterKeyCheck(master);
  const stored = await dataDir.read(KEY_CHECK_FILE);
  if (stored) {
    let check: unknown;
    try {
      check = (JSON.parse(dec(stored)) as { check?: unknown }).check;
    } catch {
      throw new KeyError(`${dataDir.resolve(KEY_CHECK_FILE)} is damaged`);
    }
    if (check !== expected) {
      throw new KeyError(
        `the master key does not match the data in ${dataDir.resolve('.')} (it was created with another key); ` +
          'nothing was changed. Set INVENT_MASTER_KEY to the key this folder was created with.',
      );
    }
    return;
  }
  if (!(await dataDir.exists(CONTROL_DB_FILE))) {
    await dataDir.create(KEY_CHECK_FILE, enc(JSON.stringify({ format: 'invent-keycheck', version: 1, check: expected }) + '\n'), 0o600);
  }
}
