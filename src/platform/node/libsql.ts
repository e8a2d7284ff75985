import { createClient } from '@libsql/client';
import { chmod } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import type { DatabaseOpener } from '../ports.ts';
import { serialClient } from './serial-client.ts';

export const libsqlFiles: DatabaseOpener = {
  async open(file, encryptionKey) {
    const client = serialClient(createClient({ url: pathToFileURL(file).href, encryptionKey, concurrency: 1, timeout: 5000 }));
    // Touch the file so that it exists, then keep it (and the WAL files SQLite derives from it) owner-only.
    await client.execute('SELECT 1');
    if (process.platform !== 'win32') await chmod(file, 0o600);
    return client;
  },
};
