// documents.bench.ts's second target: the shipped single binary (dist/invent, `npm run build:binary`),
// built when missing or older than what it embeds, and run as `invent serve` over a data folder, the
// way a clinic runs it. The binary is spawned directly, so the child's pid is the server's own.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ChildServer } from './child-server.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const BINARY = join(ROOT, 'dist/invent');
/** What the binary is built from: the code, and the folders it embeds. */
const SOURCES = ['src', 'static', 'migrations', 'package-lock.json'];

function newestMtime(path: string): number {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs; // a deleted file shows only as its folder's mtime
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** dist/invent, built first if missing or stale; or why there is none. */
export function ensureBinary(): { path: string; note: string } | { skip: string } {
  const built = statSync(BINARY, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const sources = Math.max(...SOURCES.map((s) => newestMtime(join(ROOT, s))));
  if (built > sources) return { path: BINARY, note: 'dist/invent is newer than src/, static/ and migrations/' };
  const t0 = performance.now();
  const r = spawnSync('npm', ['run', '--silent', 'build:binary'], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  if (r.error || r.status !== 0 || !statSync(BINARY, { throwIfNoEntry: false })) {
    const why = (r.error?.message ?? `${r.stderr}${r.stdout}`).trim().split('\n').slice(-3).join(' | ');
    return { skip: `npm run build:binary failed after ${seconds} s (exit ${r.status ?? r.signal}): ${why}` };
  }
  return { path: BINARY, note: `dist/invent ${built ? 'was older than its sources' : 'was missing'}: built in ${seconds} s` };
}

const SERVING = /Invent Medical is serving (http:\/\/127\.0\.0\.1:\d+) /;

/** `invent serve --port 0` over `dataDir`; resolves once it prints its address. */
export function startBinaryServer(bin: string, dataDir: string, masterKey: string): Promise<ChildServer> {
  const child = spawn(bin, ['serve', '--port', '0'], {
    cwd: ROOT,
    // A development install like the tsx target's (no demo seeding: the folder is already set up).
    env: { ...process.env, INVENT_DATA_DIR: dataDir, INVENT_MASTER_KEY: masterKey, INVENT_ENV: 'development', INVENT_DEMO: '0', HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Both pipes are read to the end, so a chatty server never blocks on a full pipe mid-transfer.
  let output = '';
  const keep = (t: string) => void (output = (output + t).slice(-4000));
  child.stderr.setEncoding('utf8').on('data', keep);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error('dist/invent serve did not start within 60 s')), 60_000);
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${err.message}\n${output}`));
    };
    child.once('error', fail);
    const early = (code: number | null) => fail(new Error(`dist/invent serve exited with code ${code} before listening`));
    child.once('exit', early);
    let found = false;
    createInterface({ input: child.stdout }).on('line', (line) => {
      keep(line + '\n');
      const url = found ? undefined : line.match(SERVING)?.[1];
      if (!url) return;
      found = true;
      clearTimeout(timer);
      child.off('exit', early);
      resolve({
        name: 'binary',
        url,
        pid: child.pid!,
        async stop() {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill('SIGTERM');
          const timeout = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(timeout);
        },
      });
    });
  });
}
