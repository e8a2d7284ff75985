// Attachments (issue 6, Benchmark): upload and download of a BENCH_UPLOAD_MB file (default 100 MB)
// through a real HTTP server (the node adapter, the whole app: session, CSRF, audit, type checks,
// SHA-256, chunked AES-GCM, fsync), as MB/s and as a ratio to `cp` of the same file in the same run;
// and the server's peak resident memory during the transfers (target < 150 MB), sampled from
// /proc/<pid>/status of the server's own process. Prints figures; never asserts on time.
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import { TEST_MASTER_KEY, testInstall } from '../helpers/system.ts';
import { services } from '../../src/system-app.ts';
import { SYSTEM } from '../../src/audit/types.ts';
import { startChildServer } from './lib/child-server.ts';
import { fixed, table } from './lib/load.ts';
import { signInOverHttp } from './lib/sign-in.ts';

const PASSWORD = 'correct-horse-battery-staple';
const MB = 1024 * 1024;
const BOUNDARY = '----invent-bench-boundary';

/** Writes a DICOM-like file of `size` bytes (real preamble and magic, then incompressible noise). */
async function makeFile(path: string, size: number): Promise<string> {
  const out = createWriteStream(path);
  const hash = createHash('sha256');
  const head = Buffer.alloc(132);
  head.write('DICM', 128, 'latin1');
  let x = 2463534242;
  let failed: Error | undefined;
  out.on('error', (e) => (failed = e));
  const write = (b: Buffer) => new Promise<void>((done, fail) => (failed ? fail(failed) : out.write(b) ? done() : out.once('drain', done)));
  hash.update(head);
  await write(head);
  for (let left = size - 132; left > 0; ) {
    const n = Math.min(left, MB);
    const b = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      b[i] = x & 0xff;
    }
    hash.update(b);
    await write(b);
    left -= n;
  }
  await new Promise<void>((done) => out.end(done));
  return hash.digest('hex');
}

/** Resident memory of a process, now and at its peak so far (MB), from /proc. */
function rss(pid: number): { now: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(status.match(new RegExp(`${key}:\\s+(\\d+) kB`))?.[1] ?? 0);
  return { now: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/** Samples a process's RSS every 20 ms while `work` runs; returns the highest seen. */
async function sampled<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; peakMb: number; seconds: number }> {
  let peak = rss(pid).now;
  const timer = setInterval(() => (peak = Math.max(peak, rss(pid).now)), 20);
  const started = performance.now();
  try {
    const result = await work();
    return { result, peakMb: Math.max(peak, rss(pid).now), seconds: (performance.now() - started) / 1000 };
  } finally {
    clearInterval(timer);
  }
}

function cpSeconds(src: string, dst: string): number {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    rmSync(dst, { force: true });
    const t0 = performance.now();
    const r = spawnSync('cp', [src, dst]);
    times.push((performance.now() - t0) / 1000);
    if (r.status !== 0) throw new Error(`cp failed: ${r.stderr}`);
  }
  rmSync(dst, { force: true });
  return times.sort((a, b) => a - b)[1]!;
}

export default async function documentsBench(): Promise<void> {
  const sizeMb = Number(process.env.BENCH_UPLOAD_MB) > 0 ? Number(process.env.BENCH_UPLOAD_MB) : 100;
  const work = mkdtempSync(join(tmpdir(), 'invent-bench-docs-'));
  const dir = join(work, 'data');
  const file = join(work, 'upload.dcm');
  const memFile = join(work, 'server-memory.json');
  try {
    const sha = await makeFile(file, sizeMb * MB);
    // A demo installation whose upload limit admits the file.
    const install = await testInstall({ demo: true, dir, env: { INVENT_MASTER_KEY: TEST_MASTER_KEY, INVENT_DATA_DIR: dir } });
    const clinicId = (await install.system.clinics.bySlug('demo'))!.id;
    const s = services(install.system, install.system.platform.clock);
    const patientId = (await s.patients.getByMrn(clinicId, 'D-0001'))!.id;
    const cur = await s.settings.current(clinicId);
    await s.settings.save({ clinicId, actor: { ...SYSTEM, roles: ['admin'] }, requestId: 'bench', route: 'bench' }, { ...cur.settings, uploadLimitMb: Math.max(cur.settings.uploadLimitMb, sizeMb + 1) }, cur.timezone);
    await install.system.close();

    const cp = cpSeconds(file, join(work, 'copy.dcm'));
    const server = await startChildServer('app', 'tests/bench/servers/documents-app.ts', { BENCH_DATA_DIR: dir, BENCH_MEM_FILE: memFile });
    try {
      const cookie = await signInOverHttp(server.url, 'doctor@demo.test', PASSWORD);
      const form = await fetch(`${server.url}/patients/${patientId}/documents/new`, { headers: { Cookie: cookie } });
      const csrf = (await form.text()).match(/<meta name="csrf-token" content="([^"]+)"/)?.[1];
      if (form.status !== 200 || !csrf) throw new Error(`the upload form answered ${form.status}`);
      const idle = rss(server.pid);
      process.kill(server.pid, 'SIGUSR2');
      await new Promise((r) => setTimeout(r, 100));

      const enc = new TextEncoder();
      const body = async function* () {
        yield enc.encode(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="category"\r\n\r\nimaging\r\n`);
        yield enc.encode(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="bench.dcm"\r\nContent-Type: application/dicom\r\n\r\n`);
        for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024 })) yield new Uint8Array(chunk as Buffer);
        yield enc.encode(`\r\n--${BOUNDARY}--\r\n`);
      };
      const up = await sampled(server.pid, async () => {
        const res = await fetch(`${server.url}/patients/${patientId}/documents?_csrf=${encodeURIComponent(csrf)}`, {
          method: 'POST',
          headers: { Cookie: cookie, 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`, Origin: server.url, 'Sec-Fetch-Site': 'same-origin' },
          body: Readable.toWeb(Readable.from(body())) as ReadableStream<Uint8Array>,
          redirect: 'manual',
          duplex: 'half',
        } as RequestInit);
        await res.arrayBuffer();
        return res.status;
      });
      if (up.result !== 303) throw new Error(`the upload answered ${up.result}, not 303`);

      const list = await (await fetch(`${server.url}/patients/${patientId}/documents`, { headers: { Cookie: cookie } })).text();
      const id = list.match(/data-attachment="(att_[a-z2-7]{26})"/)?.[1];
      if (!id) throw new Error('the uploaded file is not listed');
      const down = await sampled(server.pid, async () => {
        const res = await fetch(`${server.url}/documents/${id}/download`, { headers: { Cookie: cookie } });
        const hash = createHash('sha256');
        let bytes = 0;
        for await (const chunk of res.body!) {
          hash.update(chunk);
          bytes += chunk.length;
        }
        return { status: res.status, bytes, sha: hash.digest('hex') };
      });
      if (down.result.status !== 200 || down.result.sha !== sha) throw new Error(`the download answered ${down.result.status} with ${down.result.bytes} bytes that do not match`);

      const blobs = join(dir, 'blobs', clinicId);
      const stored = spawnSync('ls', ['-l', blobs], { encoding: 'utf8' }).stdout.split('\n').filter((l) => /\s[a-z2-7]{26}$/.test(l));
      const mbps = (secs: number) => sizeMb / secs;
      console.log(
        `${sizeMb} MB DICOM-like file, loopback, server in a child process (node ${process.version}; load average ${loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}). cp copies into the page cache; the upload also fsyncs its blob.\n`,
      );
      console.log(
        table(
          ['transfer', 'seconds', 'MB/s', 'vs cp', 'server peak RSS MB'],
          [
            ['cp (median of 3)', fixed(cp, 2), fixed(mbps(cp), 0), '1.00', '-'],
            ['upload (sniff, SHA-256, encrypt, write)', fixed(up.seconds, 2), fixed(mbps(up.seconds), 0), fixed(cp / up.seconds, 2), fixed(up.peakMb, 0)],
            ['download (decrypt, stream)', fixed(down.seconds, 2), fixed(mbps(down.seconds), 0), fixed(cp / down.seconds, 2), fixed(down.peakMb, 0)],
          ],
        ),
      );
      const peak = Math.max(up.peakMb, down.peakMb);
      console.log(
        `\nserver RSS: ${fixed(idle.now, 0)} MB idle before the transfers, ${fixed(peak, 0)} MB at the peak of them (target < 150 MB: ${peak < 150 ? 'met' : 'NOT met'}); ` +
          `VmHWM since start ${fixed(rss(server.pid).peak, 0)} MB. Stored blob: ${stored.length} file, ${statSync(join(blobs, stored[0]!.split(/\s+/).pop()!)).size} bytes.`,
      );
      const mem = JSON.parse(readFileSync(memFile, 'utf8')) as Record<string, number>;
      console.log(
        `during the transfers: +${fixed(peak - idle.now, 0)} MB over idle; the server's own peaks: JS heap used ${mem.heapUsed} MB, ` +
          `external ${mem.external} MB, of which array buffers ${mem.arrayBuffers} MB (the idle server, under tsx, is most of the rest).`,
      );
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
