// The same `invent` command on the other local runtimes, as real child processes: Deno (src/entry/deno.ts)
// and Bun from source (src/entry/bun.ts). The single binary is too slow to build here; .ci/run smoke-tests it.
import { spawn, type ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/system.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const DENO = join(root, 'node_modules/.bin/deno');
const BUN = join(root, 'node_modules/.bin/bun');
const DENO_ARGS = ['run', '-A', '--unsafe-proto', '--node-modules-dir=manual', join(root, 'src/entry/deno.ts')];
const BUN_ARGS = [join(root, 'src/entry/bun.ts')];

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function dataDir(): string {
  const d = tempDir('invent-runtimes-');
  cleanups.push(d.remove);
  return join(d.path, 'data');
}

/** A minimal environment, so that nothing from the developer's shell (a master key, a port) leaks in. */
function envFor(data: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    INVENT_DATA_DIR: data,
    INVENT_DEMO: '0',
    NO_COLOR: '1',
    DENO_NO_UPDATE_CHECK: '1',
  };
}

function start(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd = root): ChildProcess & { output: Run; exited: Promise<Run> } {
  const child = spawn(cmd, args, { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  const output: Run = { code: null, signal: null, stdout: '', stderr: '' };
  child.stdout!.setEncoding('utf8').on('data', (t: string) => (output.stdout += t));
  child.stderr!.setEncoding('utf8').on('data', (t: string) => (output.stderr += t));
  const exited = new Promise<Run>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve(Object.assign(output, { code, signal })));
  });
  cleanups.push(() => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'));
  return Object.assign(child, { output, exited });
}

async function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, stdin = ''): Promise<Run> {
  const child = start(cmd, args, env);
  child.stdin!.end(stdin);
  return child.exited;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Polls until the server answers (or the process dies, or time runs out). */
async function waitFor(url: string, child: { output: Run; exitCode: number | null }, ms = 30_000): Promise<Response> {
  const until = Date.now() + ms;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${child.output.stderr}`);
    try {
      return await fetch(url);
    } catch {
      if (Date.now() > until) throw new Error(`no answer from ${url} in ${ms} ms: ${child.output.stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

describe('Deno entry', () => {
  it('runs clinic verbs against a fresh data folder, hashing passwords with the native Argon2', async () => {
    const data = dataDir();
    const env = envFor(data);
    const empty = await run(DENO, [...DENO_ARGS, 'clinic', 'list', '--json'], env);
    expect(empty.code, empty.stderr).toBe(0);
    expect(JSON.parse(empty.stdout)).toEqual([]);
    // Without INVENT_MASTER_KEY a key file is generated, owner-only, through Deno's node:fs.
    expect(statSync(join(data, 'master.key')).mode & 0o777).toBe(0o600);

    const created = await run(DENO, [...DENO_ARGS, 'clinic', 'create', 'north', '--name', 'North Clinic'], env);
    expect(created.code, created.stderr).toBe(0);
    const user = await run(
      DENO,
      [...DENO_ARGS, 'user', 'create', '--email', 'admin@north.test', '--clinic', 'north', '--role', 'admin', '--password-stdin'],
      env,
      'a long enough passphrase 42\n',
    );
    expect(user.code, user.stderr).toBe(0);
    const list = await run(DENO, [...DENO_ARGS, 'clinic', 'list', '--json'], env);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toMatchObject([{ slug: 'north', name: 'North Clinic' }]);
  });

  it('serves /healthz and the sign-in page with Deno.serve, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const server = start(DENO, [...DENO_ARGS, 'serve', '--port', String(port)], envFor(dataDir()));
    const base = `http://127.0.0.1:${port}`;
    const health = await waitFor(`${base}/healthz`, server);
    expect(health.status).toBe(200);
    expect(await health.text()).toBe('ok');

    // The .tsx views compile under Deno (their @jsxImportSource pragma) and static files are served.
    const page = await fetch(`${base}/sign-in`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toMatch(/^<!doctype html>/i);
    const htmx = html.match(/\/static\/htmx[^"]*\.js/)?.[0];
    expect(htmx).toBeDefined();
    const js = await fetch(base + htmx);
    expect(js.status).toBe(200);
    expect((await js.arrayBuffer()).byteLength).toBeGreaterThan(10_000);

    server.kill('SIGTERM');
    const done = await server.exited;
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toContain(`:${port}`);
  });
});

describe('Bun entry (from source; the binary is smoke-tested by .ci/run)', () => {
  it('runs clinic list --json', async () => {
    const r = await run(BUN, [...BUN_ARGS, 'clinic', 'list', '--json'], envFor(dataDir()));
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });
});
