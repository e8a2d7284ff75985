// Issue 7 acceptance: kill the server (kill -9) while it builds an archive; after a restart the job
// runs again and finishes, and exactly one archive exists (one ready row, one stored ZIP). A short
// job lease (INVENT_JOB_LEASE_SECONDS) lets the second server take the job over within seconds.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_MASTER_KEY, tempDir, testInstall } from '../helpers/system.ts';
import { BIN, inventProcess } from '../helpers/cli.ts';
import { services } from '../../src/system-app.ts';
import { OPERATOR } from '../../src/audit/types.ts';

const dir = tempDir('invent-archive-crash-');
const env = { INVENT_DATA_DIR: dir.path, INVENT_MASTER_KEY: TEST_MASTER_KEY, INVENT_JOB_LEASE_SECONDS: '3' };
const children: ChildProcess[] = [];

function serve(): ChildProcess {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, stdio: 'ignore' });
  children.push(child);
  return child;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  dir.remove();
});

describe('an archive job survives kill -9 of the server', () => {
  it('runs again after a restart and leaves exactly one archive', async () => {
    expect(inventProcess(['demo'], env).code).toBe(0);
    const t = await testInstall({ dir: dir.path, env });
    try {
      const clinic = (await t.system.clinics.bySlug('demo'))!;
      const h = await t.system.clinics.get(clinic.id);
      const { archives, patients } = services(t.system, t.platform.clock);
      const d1 = (await patients.getByMrn(clinic.id, 'D-0001'))!;
      const archive = (await archives.request({ clinicId: clinic.id, actor: OPERATOR, requestId: 'req_crash', route: 'test' }, d1.id, 'crash test archive', 'en'))!;
      const job = async () =>
        (await t.system.controlClient.execute({ sql: 'SELECT status, attempts, progress_percent AS p FROM jobs WHERE id = ?', args: [archive.jobId!] })).rows[0]!;
      const row = async () => (await h.client.execute({ sql: 'SELECT status FROM archives WHERE patient_id = ?', args: [d1.id] })).rows;

      // First server: wait until the archive is being built, then kill it without warning.
      const first = serve();
      for (let i = 0; i < 600 && !(String((await job()).status) === 'running' && Number((await job()).p) > 5); i++) await sleep(100);
      expect(String((await job()).status)).toBe('running');
      first.kill('SIGKILL');
      await new Promise((r) => first.once('exit', r));
      expect((await row()).map((r) => r.status)).toEqual(['building']);

      // Second server: takes the job over once the lease has run out, and finishes it.
      serve();
      for (let i = 0; i < 900 && String((await job()).status) !== 'done'; i++) await sleep(100);
      const finished = await job();
      expect(String(finished.status)).toBe('done');
      expect(Number(finished.attempts)).toBe(2);
      expect((await row()).map((r) => r.status)).toEqual(['ready']);
      const blobs = readdirSync(join(dir.path, 'blobs', clinic.id));
      // The demo's attachments, plus exactly one archive (a killed write leaves only a .part file).
      const attachments = Number((await h.client.execute('SELECT count(*) AS n FROM attachments')).rows[0]!.n);
      expect(blobs.filter((f) => !f.endsWith('.part')).length).toBe(attachments + 1);
    } finally {
      await t.close();
    }
  }, 180_000);
});
