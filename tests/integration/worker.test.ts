// The Cloudflare Workers target: `wrangler deploy --dry-run` builds the bundle that would be uploaded,
// then that exact bundle runs locally in workerd (Miniflare, offline) with the bindings wrangler.toml declares.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Miniflare } from 'miniflare';
import { unstable_getMiniflareWorkerOptions } from 'wrangler';
import { loadStatic } from '../../src/http/static.ts';
import { folderAssets } from '../../src/platform/node/assets.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WRANGLER = join(ROOT, 'node_modules/wrangler/bin/wrangler.js');
const QUEUE = 'invent-jobs';

let tmp: string;
let out: string;
let build: { status: number | null; stdout: string; stderr: string };

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'invent-worker-'));
  out = join(tmp, 'dist');
  const r = spawnSync(process.execPath, [WRANGLER, 'deploy', '--dry-run', '--outdir', out], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    env: {
      ...process.env,
      WRANGLER_SEND_METRICS: 'false',
      CLOUDFLARE_CF_FETCH_ENABLED: 'false',
      // The banner is what asks the registry for a newer wrangler; keep the build offline.
      WRANGLER_HIDE_BANNER: 'true',
      WRANGLER_LOG_PATH: join(tmp, 'logs'),
      NO_COLOR: '1',
    },
  });
  build = { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Miniflare's Fetcher.queue(), typed here: its own declaration needs @cloudflare/workers-types. */
interface QueueDispatcher {
  queue(
    queue: string,
    messages: { id: string; timestamp: Date; attempts: number; body: unknown }[],
  ): Promise<{
    outcome: string;
    ackAll: boolean;
    retryBatch: { retry: boolean };
    explicitAcks: string[];
    retryMessages: { msgId: string }[];
  }>;
}

/** Files of the bundle besides the entry: the modules worker.js imports. */
function sideModules(): string[] {
  return readdirSync(out).filter((f) => f !== 'worker.js' && f !== 'README.md' && !f.endsWith('.map'));
}

function importSpecifiers(js: string): string[] {
  const specs = [...js.matchAll(/^\s*(?:import|export)\s[^;]*?\bfrom\s*["']([^"']+)["']/gm)].map((m) => m[1]!);
  const bare = [...js.matchAll(/^\s*import\s*["']([^"']+)["']/gm)].map((m) => m[1]!);
  return [...specs, ...bare];
}

describe('wrangler deploy --dry-run', () => {
  it('builds the Worker bundle', () => {
    expect(build.status, `${build.stdout}\n${build.stderr}`).toBe(0);
    expect(build.stdout).toContain('env.JOBS (invent-jobs)');
    expect(build.stdout).toContain('--dry-run: exiting now.');
    expect(existsSync(join(out, 'worker.js'))).toBe(true);
  });

  it('imports only its own bundled modules: no node:*, no native libSQL, no Argon2 addon', () => {
    const js = readFileSync(join(out, 'worker.js'), 'utf8');
    const specs = importSpecifiers(js);
    // Exactly the four static files, as Data modules beside worker.js; nothing left for the runtime to resolve.
    expect(specs.sort()).toEqual(sideModules().map((f) => `./${f}`).sort());
    expect(sideModules().map((f) => f.replace(/^[0-9a-f]{40}-/, '')).sort()).toEqual(['app.css', 'app.js', 'htmx.min.js', 'signature.js']);
    expect(js).not.toMatch(/\brequire\(\s*["']node:/);
    expect(js).not.toMatch(/node_modules\/(@libsql|libsql|@node-rs|@hono\/node-server)\//);
    expect(js).not.toMatch(/from\s*["']node:/);
  });

  it('fits comfortably within the Workers size limit (3 MiB gzipped on the free plan)', () => {
    const files = ['worker.js', ...sideModules()].map((f) => readFileSync(join(out, f)));
    const gzipped = files.reduce((n, b) => n + gzipSync(b).length, 0);
    expect(gzipped).toBeLessThan(1024 * 1024);
  });
});

describe('the bundle running in workerd (Miniflare)', () => {
  let mf: Miniflare;
  let base: URL;
  let logs = '';

  beforeAll(async () => {
    expect(build.status, 'the dry-run build failed').toBe(0);
    // Bindings, queues and compatibility settings come from wrangler.toml; the code is the built bundle.
    const { workerOptions } = unstable_getMiniflareWorkerOptions(join(ROOT, 'wrangler.toml'));
    const { modulesRules: _rules, ...options } = workerOptions;
    const collect = (s: Readable) => s.on('data', (d: Buffer) => void (logs += d.toString('utf8')));
    mf = new Miniflare({
      ...options,
      name: 'invent-medical',
      modulesRoot: out,
      modules: [
        { type: 'ESModule', path: join(out, 'worker.js') },
        ...sideModules().map((f) => ({ type: 'Data' as const, path: join(out, f) })),
      ],
      host: '127.0.0.1',
      port: 0,
      cf: false,
      handleRuntimeStdio(stdout: Readable, stderr: Readable) {
        collect(stdout);
        collect(stderr);
      },
    });
    base = await mf.ready;
  });

  afterAll(async () => {
    await mf?.dispose();
  });

  it('renders the sign-in page with the security headers', async () => {
    const res = await fetch(new URL('/sign-in', base));
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
    expect(res.headers.get('Content-Security-Policy')).toContain("default-src 'self'");
    expect(res.headers.get('Content-Security-Policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('X-Frame-Options')).toBe('DENY');
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(res.headers.get('Strict-Transport-Security')).toContain('max-age=');
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html><html lang="en" dir="ltr">/);
    expect(html).toContain('<form method="post" action="/sign-in"');
  });

  it('answers /healthz with 503: databases are not available on this target', async () => {
    const res = await fetch(new URL('/healthz', base));
    expect(res.status).toBe(503);
    expect(await res.text()).toBe('not available on this target');
  });

  it('serves the static files under the same hashed names as Node, byte for byte', async () => {
    const node = await loadStatic(folderAssets(ROOT));
    const html = await (await fetch(new URL('/sign-in', base))).text();
    for (const [key, url] of Object.entries(node.urls)) {
      // The signature pad is linked from consent forms only, not from every page.
      if (key !== 'signature') expect(html, key).toContain(`"${url}"`);
      const res = await fetch(new URL(url, base));
      expect(res.status, url).toBe(200);
      expect(res.headers.get('Cache-Control')).toContain('immutable');
      const name = url.slice('/static/'.length);
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(node.files.get(name)!.body);
    }
  });

  it('acknowledges queued jobs and logs ids only, never bodies', async () => {
    const worker = (await mf.getWorker('invent-medical')) as unknown as QueueDispatcher;
    const now = new Date();
    const result = await worker.queue(QUEUE, [
      { id: 'job-1', timestamp: now, attempts: 1, body: { kind: 'archive', patient: 'secret-patient-name' } },
      { id: 'job-2', timestamp: now, attempts: 1, body: 'secret-text' },
    ]);
    expect(result.outcome).toBe('ok');
    expect([...result.explicitAcks].sort()).toEqual(['job-1', 'job-2']);
    expect(result.retryMessages).toEqual([]);
    expect(result.retryBatch.retry).toBe(false);
    await vi.waitFor(() => expect(logs).toContain('jobs are not available on this target yet'));
    expect(logs).toContain('job-1');
    expect(logs).not.toContain('secret-');
  });
});
