import { createHash } from 'node:crypto';
import { copyFileSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { invent, inventProcess } from '../helpers/cli.ts';
import { tempDir, TEST_MASTER_KEY } from '../helpers/system.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function dataDir() {
  const d = tempDir('invent-cli-');
  cleanups.push(d.remove);
  return d.path;
}

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out[full.slice(dir.length)] = createHash('sha256').update(readFileSync(full)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

describe('invent clinic', () => {
  it('creates a clinic whose database file stock sqlite3 cannot read, and lists it as JSON', async () => {
    const env = { INVENT_DATA_DIR: dataDir(), INVENT_MASTER_KEY: TEST_MASTER_KEY };
    const created = await invent(['clinic', 'create', 'north', '--name', 'North Clinic'], env);
    expect(created.code, created.stderr).toBe(0);
    const list = await invent(['clinic', 'list', '--json'], env);
    expect(list.code).toBe(0);
    const rows = JSON.parse(list.stdout);
    expect(rows).toMatchObject([{ slug: 'north', name: 'North Clinic', timezone: 'Asia/Bahrain' }]);
    const file = join(env.INVENT_DATA_DIR, 'clinics', `${rows[0].id}.db`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const head = readFileSync(file).subarray(0, 16).toString('latin1');
    expect(head).not.toBe('SQLite format 3\u0000');
    const sqlite = spawnSync('sqlite3', [file, 'SELECT * FROM sqlite_master'], { encoding: 'utf8' });
    expect(sqlite.status).not.toBe(0);
    expect(sqlite.stderr).toMatch(/not a database/);
    const control = spawnSync('sqlite3', [join(env.INVENT_DATA_DIR, 'control.db'), 'SELECT * FROM users'], { encoding: 'utf8' });
    expect(control.status).not.toBe(0);
  });

  it('refuses a bad slug, a duplicate and an unknown time zone with exit 1; usage errors exit 2', async () => {
    const env = { INVENT_DATA_DIR: dataDir(), INVENT_MASTER_KEY: TEST_MASTER_KEY };
    expect((await invent(['clinic', 'create', 'north', '--name', 'North'], env)).code).toBe(0);
    const dup = await invent(['clinic', 'create', 'north', '--name', 'Again'], env);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/already exists/);
    expect((await invent(['clinic', 'create', 'Bad Slug!', '--name', 'X'], env)).code).toBe(1);
    const tz = await invent(['clinic', 'create', 'south', '--name', 'S', '--timezone', 'Mars/Olympus'], env);
    expect(tz.code).toBe(1);
    expect(tz.stderr).toMatch(/time zone/);
    for (const argv of [['clinic', 'create', 'x'], ['clinic', 'list', '--bogus'], ['clinic'], ['nope'], []]) {
      const r = await invent(argv, env);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n').length <= 1 || argv.length === 0).toBe(true);
    }
  });
});

describe('master key', () => {
  it('CR3: a different master key is refused with a clear message and every file is left unchanged', async () => {
    const dir = dataDir();
    const env = { INVENT_DATA_DIR: dir, INVENT_MASTER_KEY: TEST_MASTER_KEY };
    // In a child process, so that no connection of this process is still open on the files.
    expect(inventProcess(['clinic', 'create', 'north', '--name', 'North'], env).code).toBe(0);
    const before = snapshot(dir);
    const wrong = { ...env, INVENT_MASTER_KEY: Buffer.alloc(32, 9).toString('base64') };
    for (const argv of [['clinic', 'list'], ['migrate'], ['serve', '--port', '0']]) {
      const r = await invent(argv, wrong);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/master key does not match/);
    }
    // Without any key at all, the folder is not given a new one.
    const none = await invent(['clinic', 'list'], { INVENT_DATA_DIR: dir });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no master key/);
    expect(snapshot(dir)).toEqual(before);
  });

  it('CR3: start-up names the clinic whose database cannot be read with its key', async () => {
    const dir = dataDir();
    const env = { INVENT_DATA_DIR: dir, INVENT_MASTER_KEY: TEST_MASTER_KEY };
    await invent(['clinic', 'create', 'north', '--name', 'North'], env);
    await invent(['clinic', 'create', 'south', '--name', 'South'], env);
    const rows = JSON.parse((await invent(['clinic', 'list', '--json'], env)).stdout) as { id: string; slug: string }[];
    const north = rows.find((r) => r.slug === 'north')!;
    const south = rows.find((r) => r.slug === 'south')!;
    // South's file replaced by north's: encrypted with another key. (A new process: libSQL keeps
    // pages of files this process has opened.)
    copyFileSync(join(dir, 'clinics', `${north.id}.db`), join(dir, 'clinics', `${south.id}.db`));
    const r = inventProcess(['clinic', 'list'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('clinic "south"');
    expect(r.stderr).toMatch(/cannot be read with its key/);
  });

  it('generates a 0600 key file for a fresh folder and warns about it at every start', async () => {
    const dir = dataDir();
    const first = inventProcess(['clinic', 'list'], { INVENT_DATA_DIR: dir });
    expect(first.code, first.stderr).toBe(0);
    expect(statSync(join(dir, 'master.key')).mode & 0o777).toBe(0o600);
    expect(first.stderr).toMatch(/WARN.*master key is the file/);
    const again = inventProcess(['clinic', 'list'], { INVENT_DATA_DIR: dir });
    expect(again.stderr).toMatch(/WARN.*master key is the file/);
    expect(Buffer.from(readFileSync(join(dir, 'master.key'), 'utf8').trim(), 'base64')).toHaveLength(32);
  });

  it('production refuses to start without INVENT_MASTER_KEY and refuses demo data', async () => {
    const dir = dataDir();
    const r = await invent(['clinic', 'list'], { INVENT_DATA_DIR: dir, INVENT_ENV: 'production' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/requires INVENT_MASTER_KEY/);
    const demo = await invent(['demo'], { INVENT_DATA_DIR: dir, INVENT_ENV: 'production', INVENT_MASTER_KEY: TEST_MASTER_KEY });
    expect(demo.code).toBe(1);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('invent user, demo, migrate, db sql', () => {
  it('AU4: user create stores an Argon2id hash (m>=19456, t>=2, p=1) of the password from stdin', async () => {
    const env = { INVENT_DATA_DIR: dataDir(), INVENT_MASTER_KEY: TEST_MASTER_KEY };
    await invent(['clinic', 'create', 'north', '--name', 'North'], env);
    const password = 'a long passphrase with ünïcödé and عربي';
    const r = await invent(['user', 'create', '--email', 'Doc@North.test', '--clinic', 'north', '--role', 'doctor,admin', '--password-stdin'], env, password + '\n');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain(password);
    const { openSystem } = await import('../../src/tenancy/system.ts');
    const { localPlatform } = await import('../../src/platform/node/index.ts');
    const { readConfig } = await import('../../src/config.ts');
    const { findUserByEmail } = await import('../../src/auth/users.ts');
    const platform = localPlatform({ dataDir: env.INVENT_DATA_DIR, env });
    const system = await openSystem(platform, readConfig(env));
    try {
      const user = (await findUserByEmail(system.control, 'doc@north.test'))!;
      const phc = user.passwordHash!;
      const m = phc.match(/^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/);
      expect(m).not.toBeNull();
      expect(Number(m![1])).toBeGreaterThanOrEqual(19456);
      expect(Number(m![2])).toBeGreaterThanOrEqual(2);
      expect(Number(m![3])).toBe(1);
      expect(await platform.hasher.verify(phc, password)).toBe(true);
      expect(await platform.hasher.verify(phc, password.slice(0, -1))).toBe(false);
    } finally {
      await system.close();
    }
    const unknownRole = await invent(['user', 'create', '--email', 'x@north.test', '--clinic', 'north', '--role', 'janitor'], env);
    expect(unknownRole.code).toBe(2);
    const short = await invent(['user', 'create', '--email', 'y@north.test', '--clinic', 'north', '--role', 'nurse', '--password-stdin'], env, 'short\n');
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/at least 12/);
    const noClinic = await invent(['user', 'create', '--email', 'z@x.test', '--clinic', 'nowhere', '--role', 'nurse'], env);
    expect(noClinic.code).toBe(1);
  });

  it('demo creates the demo clinic and its six users once; migrate is idempotent', async () => {
    const env = { INVENT_DATA_DIR: dataDir(), INVENT_MASTER_KEY: TEST_MASTER_KEY };
    expect((await invent(['demo'], env)).stdout).toMatch(/created demo clinic demo/);
    expect((await invent(['demo'], env)).stdout).toMatch(/kept demo clinic demo/);
    const list = JSON.parse((await invent(['clinic', 'list', '--json'], env)).stdout);
    expect(list).toMatchObject([{ slug: 'demo', name: 'Demo Clinic', timezone: 'Asia/Bahrain' }]);
    const m1 = JSON.parse((await invent(['migrate', '--json'], env)).stdout);
    expect(m1).toEqual({ clinics: [{ slug: 'demo', applied: [] }] });
    expect((await invent(['demo', '--patients', 'x'], env)).code).toBe(2);
  });

  it('demo --patients N creates (then refills) the bench clinic with its six users', async () => {
    const env = { INVENT_DATA_DIR: dataDir(), INVENT_MASTER_KEY: TEST_MASTER_KEY };
    const first = await invent(['demo', '--patients', '30'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/clinic bench: 30 patients added \(30 in all\)/);
    const again = await invent(['demo', '--patients', '40'], env);
    expect(again.stdout).toMatch(/clinic bench: 10 patients added \(40 in all\)/);
    const rows = JSON.parse((await invent(['db', 'sql', '--clinic', 'bench', "SELECT min(mrn) AS a, max(mrn) AS b, count(*) AS n FROM patients"], env)).stdout);
    expect(rows).toEqual([{ a: 'B-000001', b: 'B-000040', n: 40 }]);
    const { testInstall } = await import('../helpers/system.ts');
    const { signedIn } = await import('../helpers/identity.ts');
    const t = await testInstall({ dir: env.INVENT_DATA_DIR, env });
    try {
      for (const email of ['admin@bench.test', 'reception@bench.test', 'doctor@bench.test']) await signedIn(t, email);
    } finally {
      await t.system.close();
    }
  });

  it('db sql runs exactly one statement and prints rows as JSON', async () => {
    const env = { INVENT_DATA_DIR: dataDir(), INVENT_MASTER_KEY: TEST_MASTER_KEY };
    await invent(['clinic', 'create', 'north', '--name', 'North'], env);
    const r = await invent(['db', 'sql', '--clinic', 'north', "SELECT key, 'a;b' AS s FROM clinic_meta"], env);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([{ key: 'clinic_id', s: 'a;b' }]);
    expect((await invent(['db', 'sql', '--clinic', 'north', 'SELECT 1; DROP TABLE clinic_meta'], env)).code).toBe(2);
    expect((await invent(['db', 'sql', '--clinic', 'north', 'SELECT 1; -- fine'], env)).code).toBe(0);
    const bad = await invent(['db', 'sql', '--clinic', 'north', 'SELEC nonsense'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect((await invent(['db', 'sql', '--clinic', 'nowhere', 'SELECT 1'], env)).code).toBe(1);
  });
});

describe('npm start', () => {
  it('serves the sign-in page and /healthz on a fresh folder, creating the demo clinic and saying how to sign in once', async () => {
    const dir = dataDir();
    const { spawn } = await import('node:child_process');
    const { BIN } = await import('../helpers/cli.ts');
    const start = (port: number) =>
      spawn(process.execPath, [BIN, 'serve', '--port', String(port)], {
        env: { PATH: process.env.PATH ?? '', INVENT_DATA_DIR: dir },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    const port = 20000 + (process.pid % 20000);
    const child = start(port);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    try {
      const deadline = Date.now() + 30_000;
      while (!/serving http/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(out).toMatch(/Sign in as admin@demo\.test/);
      expect(out).toMatch(/correct-horse-battery-staple/);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(await health.text()).toBe('ok');
      const page = await fetch(`http://127.0.0.1:${port}/`, { redirect: 'follow' });
      expect(page.url).toMatch(/\/sign-in$/);
      expect(await page.text()).toContain('<form method="post" action="/sign-in"');
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    // A second start does not announce the demo again.
    const again = start(port + 1);
    let out2 = '';
    again.stdout.on('data', (d) => (out2 += d));
    try {
      const deadline = Date.now() + 30_000;
      while (!/serving http/.test(out2) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(out2).toMatch(/serving http/);
      expect(out2).not.toMatch(/Sign in as/);
    } finally {
      again.kill('SIGTERM');
      await new Promise((r) => again.once('exit', r));
    }
  });
});

describe('invent user reset-password and reset-2fa', () => {
  it('AU11: prints a one-time link that sets a new password; reset-2fa turns two-step verification off', async () => {
    const env = { INVENT_DATA_DIR: dataDir(), INVENT_MASTER_KEY: TEST_MASTER_KEY };
    await invent(['demo'], env);
    const r = await invent(['user', 'reset-password', '--email', 'nurse@demo.test', '--base-url', 'https://clinic.example/'], env);
    expect(r.code, r.stderr).toBe(0);
    const link = r.stdout.trim();
    expect(link).toMatch(/^https:\/\/clinic\.example\/reset\/[A-Za-z0-9_-]{43}$/);
    expect(r.stderr).toMatch(/valid 24 hours/);
    const { testInstall } = await import('../helpers/system.ts');
    const { Client } = await import('../helpers/http.ts');
    const t = await testInstall({ dir: env.INVENT_DATA_DIR, env });
    try {
      const client = new Client(t.app);
      const path = new URL(link).pathname;
      expect((await client.get(path)).status).toBe(200);
      expect((await client.post(path, { password: 'seagulls circle the old lighthouse' })).headers.get('Location')).toBe('/sign-in?reset=done');
      expect((await client.get(path)).status).toBe(404);
      // Stands for an enrolled second factor; reset-2fa must clear it.
      await t.system.controlClient.execute("UPDATE users SET totp_secret = 'v1.x', totp_enabled_at = '2026-01-01' WHERE email = 'nurse@demo.test'");
    } finally {
      await t.system.close();
    }
    const reset = await invent(['user', 'reset-2fa', '--email', 'nurse@demo.test'], env);
    expect(reset.code, reset.stderr).toBe(0);
    const t2 = await testInstall({ dir: env.INVENT_DATA_DIR, env });
    try {
      const row = (await t2.system.controlClient.execute("SELECT totp_secret FROM users WHERE email = 'nurse@demo.test'")).rows[0]!;
      expect(row.totp_secret).toBeNull();
      const ev = await t2.system.controlClient.execute("SELECT detail FROM identity_events WHERE type = '2fa.reset'");
      expect(JSON.parse(String(ev.rows[0]!.detail))).toEqual({ by: 'operator' });
    } finally {
      await t2.system.close();
    }
    expect((await invent(['user', 'reset-password', '--email', 'nobody@demo.test'], env)).code).toBe(1);
    expect((await invent(['user', 'reset-password'], env)).code).toBe(2);
  });

  it('AU3: user create refuses a common password or one built from the clinic name', async () => {
    const env = { INVENT_DATA_DIR: dataDir(), INVENT_MASTER_KEY: TEST_MASTER_KEY };
    await invent(['clinic', 'create', 'north', '--name', 'North Clinic'], env);
    const common = await invent(['user', 'create', '--email', 'a@north.test', '--clinic', 'north', '--role', 'nurse', '--password-stdin'], env, 'password1234\n');
    expect(common.code).toBe(1);
    expect(common.stderr).toMatch(/too easy to guess/);
    const named = await invent(['user', 'create', '--email', 'b@north.test', '--clinic', 'north', '--role', 'nurse', '--password-stdin'], env, 'northclinic2026\n');
    expect(named.code).toBe(1);
    expect(named.stderr).toMatch(/clinic's name/);
  });
});
