import { createClient } from '@libsql/client';
import { chmod } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import type { DatabaseOpener } from '../ports.ts';

export const libsqlFiles: DatabaseOpener = {
  async open(file, encryptionKey) {
    const client = createClient({ url: pathToFileURL(file).href, encryptionKey });
    // Touch the file so that it exists, then keep it (and the WAL files SQLite derives from it) owner-only.
    await client.execute('SELECT 1');
    if (process.platform !== 'win32') await chmod(file, 0o600);
    return client;
  },
};
