// documents.bench.ts's measuring side: the test file, `cp` as the yardstick, and one upload plus one
// download of that file through a server in another process, with that process's resident memory
// read from /proc/<pid>/status (VmRSS every 20 ms, and VmHWM, the kernel's own high-water mark, which
// also catches a spike between two samples). Figures only: nothing here asserts on time.
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import { signInOverHttp } from './sign-in.ts';

export const MB = 1024 * 1024;
const BOUNDARY = '----invent-bench-boundary';
const PASSWORD = 'correct-horse-battery-staple';

/** Writes a DICOM-like file of `size` bytes (real preamble and magic, then incompressible noise); returns its SHA-256. */
export async function makeFile(path: string, size: number): Promise<string> {
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

/** Median of three `cp` runs of `src` (seconds). */
export function cpSeconds(src: string, dst: string): number {
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

/** Resident memory of a process, now (VmRSS) and at its high-water mark (VmHWM), in MB. */
export function rss(pid: number): { now: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(status.match(new RegExp(`${key}:\\s+(\\d+) kB`))?.[1] ?? 0);
  return { now: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/** Resets VmHWM to the current RSS (Linux >= 4.0), so it then covers one phase only; false where not allowed. */
function resetHighWater(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

export interface Phase<T = unknown> {
  result: T;
  seconds: number;
  /** Highest VmRSS read every 20 ms. */
  sampledMb: number;
  /** VmHWM over this phase alone, when it could be reset (or rose during it); undefined otherwise. */
  hwmMb: number | undefined;
  /** The higher of the two: the peak during the phase. */
  peakMb: number;
}

async function sampled<T>(pid: number, work: () => Promise<T>): Promise<Phase<T>> {
  const reset = resetHighWater(pid);
  const before = rss(pid);
  let peak = before.now;
  const timer = setInterval(() => (peak = Math.max(peak, rss(pid).now)), 20);
  const started = performance.now();
  try {
    const result = await work();
    const seconds = (performance.now() - started) / 1000;
    const after = rss(pid);
    const sampledMb = Math.max(peak, after.now);
    // Without a reset, VmHWM only says something about this phase if it rose during it.
    const hwmMb = reset || after.peak > before.peak ? after.peak : undefined;
    return { result, seconds, sampledMb, hwmMb, peakMb: Math.max(sampledMb, hwmMb ?? 0) };
  } finally {
    clearInterval(timer);
  }
}

export interface Transfers {
  idleMb: number;
  up: Phase<number>;
  down: Phase<{ status: number; bytes: number; sha: string }>;
  /** VmHWM from the process's start to the idle reading (start-up's own peak, before any reset). */
  startupHwmMb: number;
}

const listed = async (url: string, cookie: string) =>
  new Set([...(await (await fetch(url, { headers: { Cookie: cookie } })).text()).matchAll(/data-attachment="(att_[a-z2-7]{26})"/g)].map((m) => m[1]!));

/**
 * Signs in as the demo doctor, reads the idle RSS, then uploads `file` to the patient's documents as
 * a browser form post would (streamed multipart) and downloads the attachment it made, checking the
 * bytes come back identical. `beforeTransfer` runs just after the idle reading.
 */
export async function transfersThrough(
  server: { url: string; pid: number },
  opts: { patientId: string; file: string; sha: string; beforeTransfer?: () => Promise<void> },
): Promise<Transfers> {
  const { url, pid } = server;
  const cookie = await signInOverHttp(url, 'doctor@demo.test', PASSWORD);
  const form = await fetch(`${url}/patients/${opts.patientId}/documents/new`, { headers: { Cookie: cookie } });
  const csrf = (await form.text()).match(/<meta name="csrf-token" content="([^"]+)"/)?.[1];
  if (form.status !== 200 || !csrf) throw new Error(`the upload form answered ${form.status}`);
  const earlier = await listed(`${url}/patients/${opts.patientId}/documents`, cookie);
  // Lets start-up work (migrations, the first audit-chain check) finish before the idle reading.
  await new Promise((r) => setTimeout(r, 1000));
  const { now: idleMb, peak: startupHwmMb } = rss(pid);
  await opts.beforeTransfer?.();

  const enc = new TextEncoder();
  const file = opts.file;
  const body = async function* () {
    yield enc.encode(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="category"\r\n\r\nimaging\r\n`);
    yield enc.encode(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="bench.dcm"\r\nContent-Type: application/dicom\r\n\r\n`);
    for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024 })) yield new Uint8Array(chunk as Buffer);
    yield enc.encode(`\r\n--${BOUNDARY}--\r\n`);
  };
  const up = await sampled(pid, async () => {
    const res = await fetch(`${url}/patients/${opts.patientId}/documents?_csrf=${encodeURIComponent(csrf)}`, {
      method: 'POST',
      headers: { Cookie: cookie, 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`, Origin: url, 'Sec-Fetch-Site': 'same-origin' },
      body: Readable.toWeb(Readable.from(body())) as ReadableStream<Uint8Array>,
      redirect: 'manual',
      duplex: 'half',
    } as RequestInit);
    await res.arrayBuffer();
    return res.status;
  });
  if (up.result !== 303) throw new Error(`the upload answered ${up.result}, not 303`);

  const made = [...(await listed(`${url}/patients/${opts.patientId}/documents`, cookie))].filter((id) => !earlier.has(id));
  if (made.length !== 1) throw new Error(`the upload made ${made.length} listed attachments, not 1`);
  const down = await sampled(pid, async () => {
    const res = await fetch(`${url}/documents/${made[0]}/download`, { headers: { Cookie: cookie } });
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of res.body!) {
      hash.update(chunk);
      bytes += chunk.length;
    }
    return { status: res.status, bytes, sha: hash.digest('hex') };
  });
  if (down.result.status !== 200 || down.result.sha !== opts.sha) {
    throw new Error(`the download answered ${down.result.status} with ${down.result.bytes} bytes that do not match`);
  }
  return { idleMb, startupHwmMb, up, down };
}
