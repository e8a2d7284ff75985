// A worker killed with SIGKILL in the middle of a job: after its lease runs out, another worker
// process takes the job, it completes exactly once, and exactly one result file exists.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir, testInstall, TEST_MASTER_KEY, type TestInstall } from '../helpers/system.ts';
import { BIN } from '../helpers/cli.ts';
import { SqliteJobQueue } from '../../src/jobs/queue-sqlite.ts';
import { systemClock } from '../../src/platform/ports.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let t: TestInstall;
let work: ReturnType<typeof tempDir>;
const children: ChildProcess[] = [];

beforeAll(async () => {
  t = await testInstall();
  work = tempDir('invent-jobs-work-');
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await t?.close();
  work?.remove();
});

/** Starts a worker process and waits until it is running. */
function startWorker(): Promise<{ child: ChildProcess; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/helpers/jobs-child.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', INVENT_DATA_DIR: t.dir, INVENT_MASTER_KEY: TEST_MASTER_KEY, JOBS_TEST_DIR: work.path, JOBS_LEASE_MS: '1000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (s: string) => void (stderr += s));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start\n${stderr}`)), 30_000);
    child.once('exit', (code) => reject(new Error(`worker exited (${code})\n${stderr}`)));
    createInterface({ input: child.stdout! }).once('line', () => {
      clearTimeout(timer);
      resolve({ child, exited });
    });
  });
}

describe('a job killed mid-way (kill -9)', () => {
  it('runs again once its lease expires and completes exactly once, with one result file', async () => {
    const queue = new SqliteJobQueue(t.system.controlClient, systemClock);
    const { id } = await queue.enqueue('test.slow', { steps: 20, stepMs: 100 });

    const a = await startWorker();
    await expect.poll(async () => (await queue.get(id))!.progress.percent, { timeout: 20_000, interval: 50 }).toBeGreaterThanOrEqual(25);
    a.child.kill('SIGKILL');
    await a.exited;
    const killed = (await queue.get(id))!;
    expect(killed).toMatchObject({ status: 'running', attempts: 1 });
    expect(killed.progress.percent).toBeLessThan(100);
    // The killed attempt left a half-written result behind, under the deterministic name.
    expect(readdirSync(join(work.path, 'results'))).toEqual([`jobs_${id}_result.txt.partial`]);

    const b = await startWorker();
    await expect.poll(async () => (await queue.get(id))!.status, { timeout: 30_000, interval: 100 }).toBe('done');
    b.child.kill('SIGTERM');
    expect(await b.exited).toBe(0);

    const done = (await queue.get(id))!;
    expect(done).toMatchObject({ status: 'done', attempts: 2, result: { file: `jobs/${id}/result` }, progress: { percent: 100 } });
    const runs = readFileSync(join(work.path, 'runs.log'), 'utf8').trim().split('\n');
    expect(runs.map((l) => l.split(' ').slice(0, 3).join(' '))).toEqual([`start ${id} 1`, `start ${id} 2`, `finish ${id} 2`]);
    expect(runs[0]!.split(' ')[3]).toBe(String(a.child.pid));
    expect(runs[2]!.split(' ')[3]).toBe(String(b.child.pid));
    expect(readdirSync(join(work.path, 'results'))).toEqual([`jobs_${id}_result.txt`]);
    const lines = readFileSync(join(work.path, 'results', `jobs_${id}_result.txt`), 'utf8').trim().split('\n');
    expect(lines).toEqual(Array.from({ length: 20 }, (_, i) => `line ${i}`));
    expect(existsSync(join(work.path, 'results', `jobs_${id}_result.txt.partial`))).toBe(false);
  }, 90_000);
});

describe('invent serve', () => {
  it('starts the job worker with the server and stops both cleanly on SIGTERM (exit 0, no lingering timers)', async () => {
    const data = tempDir('invent-serve-jobs-');
    try {
      const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], {
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', INVENT_DATA_DIR: data.path, INVENT_MASTER_KEY: TEST_MASTER_KEY, INVENT_DEMO: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      let out = '';
      child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      await expect.poll(() => out, { timeout: 30_000, interval: 100 }).toMatch(/serving http/);
      const t0 = Date.now();
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(Date.now() - t0).toBeLessThan(10_000);
    } finally {
      data.remove();
    }
  }, 60_000);
});
