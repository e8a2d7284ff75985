import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { libsqlFiles } from '../../src/platform/node/libsql.ts';
import { tuneConnection } from '../../src/tenancy/db.ts';
import { tempDir } from '../helpers/system.ts';

const dir = tempDir();
afterAll(() => dir.remove());

describe('libSQL connection', () => {
  it('keeps per-connection settings (foreign keys) through concurrent transactions and batches', async () => {
    const client = await libsqlFiles.open(join(dir.path, 'fk.db'), 'k'.repeat(64));
    await tuneConnection(client);
    await client.execute('CREATE TABLE parent (id INTEGER PRIMARY KEY)');
    await client.execute('CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent(id))');
    await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        if (i % 2) {
          const tx = await client.transaction('write');
          await tx.execute({ sql: 'INSERT INTO parent (id) VALUES (?)', args: [i] });
          await new Promise((r) => setTimeout(r, 1));
          await tx.commit();
        } else {
          await client.batch([{ sql: 'INSERT INTO parent (id) VALUES (?)', args: [i] }], 'write');
        }
      }),
    );
    expect((await client.execute('SELECT count(*) AS n FROM parent')).rows[0]!.n).toBe(50);
    expect((await client.execute('PRAGMA foreign_keys')).rows[0]![0]).toBe(1);
    await expect(client.execute('INSERT INTO child (id, parent_id) VALUES (1, 999)')).rejects.toThrow(/FOREIGN KEY/);
    // A transaction that fails lets the next caller in.
    const tx = await client.transaction('write');
    await expect(tx.execute('INSERT INTO child (id, parent_id) VALUES (2, 999)')).rejects.toThrow();
    await tx.rollback();
    expect((await client.execute('SELECT count(*) AS n FROM child')).rows[0]!.n).toBe(0);
    client.close();
  });
});
