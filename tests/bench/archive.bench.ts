// The patient archive (issue 7, Benchmark): `invent archive create` of B-000001 of the bench clinic,
// a synthetic patient with BENCH_ENCOUNTERS encounters (default 1,000) and BENCH_ARCHIVE_MB of
// attachments (default 200, in files of BENCH_ARCHIVE_FILE_MB = 10 MB of incompressible noise behind
// real DICOM/JPEG/PNG/PDF heads). The CLI runs in a child process, so its peak resident memory (VmHWM
// from /proc, sampled every 20 ms) is the archive's alone: target < 200 MB whatever the attachments'
// total, shown by a second run with BENCH_ARCHIVE_SMALL_MB (default 20) on a patient with as many
// encounters. Each archive is then checked with `invent archive verify`, unpacked, and the same files
// zipped with `zip -0 -r` (or copied with `cp -r` when there is no zip) in the same run: the archive's
// throughput is given as a ratio to that. Prints figures; never asserts on time.
//
// The 200 MB case uses the bench clinic in BENCH_DATA_DIR (default /tmp/invent-bench-clinic, shared
// with the clinic benchmark, never deleted) when its B-000001 has the encounters, else a small one
// seeded in a temp folder; the 20 MB case always seeds a small one (`invent demo --patients 50`).
// BENCH_INVENT_ROOT: another checkout whose `invent archive create` is measured (to try a change).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_MASTER_KEY } from '../helpers/system.ts';
import { ensureArchiveAttachments, type BenchPatient } from './lib/archive-attachments.ts';
import { fixed, table } from './lib/load.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MB = 1024 * 1024;
const PASSWORD = 'correct-horse-battery-staple';
const MEASURED_ROOT = process.env.BENCH_INVENT_ROOT ?? ROOT;

const num = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : fallback;
};

const which = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).stdout.trim() || undefined;

function invent(args: string[], env: Record<string, string>): { code: number; stdout: string; stderr: string; seconds: number } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['src/entry/invent.mjs', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env, INVENT_DEMO_PASSWORD: PASSWORD },
    encoding: 'utf8',
    maxBuffer: 64 * MB,
  });
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr, seconds: (performance.now() - t0) / 1000 };
}

interface ChildRun {
  code: number | null;
  signal: string | null;
  seconds: number;
  peakMb: number;
  stdout: string;
  stderr: string;
  killed: boolean;
  /** Every 20 ms: seconds since the start, resident MB, bytes the process has written so far (/proc io wchar). */
  samples: { t: number; rss: number; written: number }[];
}

/** Resident memory now and at its peak (VmHWM) of a live process in MB, and bytes it wrote; undefined once it has gone. */
function memoryOf(pid: number): { now: number; peak: number; written: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(status.match(new RegExp(`${key}:\\s+(\\d+) kB`))?.[1] ?? 0);
    const written = Number(readFileSync(`/proc/${pid}/io`, 'utf8').match(/wchar:\s+(\d+)/)?.[1] ?? 0);
    return { now: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024, written };
  } catch {
    return undefined;
  }
}

/**
 * Runs the CLI in a child process, sampling its memory until it exits. A run that goes past
 * `limitMb` resident is killed (a runaway build must not take the shared machine's memory).
 */
function measuredInvent(args: string[], env: Record<string, string>, limitMb: number, timeoutS: number): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['src/entry/invent.mjs', ...args], { cwd: MEASURED_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peakMb = 0;
    let killed = false;
    const samples: ChildRun['samples'] = [];
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-8000)));
    const timer = setInterval(() => {
      const m = memoryOf(child.pid!);
      if (!m) return;
      peakMb = Math.max(peakMb, m.peak, m.now);
      samples.push({ t: (performance.now() - t0) / 1000, rss: m.now, written: m.written });
      if (!killed && (m.now > limitMb || performance.now() - t0 > timeoutS * 1000)) {
        killed = true;
        child.kill('SIGKILL');
      }
    }, 20);
    child.on('error', (e) => (clearInterval(timer), reject(e)));
    child.on('exit', (code, signal) => {
      clearInterval(timer);
      resolve({ code, signal, seconds: (performance.now() - t0) / 1000, peakMb, stdout, stderr, killed, samples });
    });
  });
}

/** The bench clinic in `dir` with its B-000001 topped up to `count` attachments, when it has `encounters` encounters. */
async function prepare(dir: string, encounters: number, count: number, fileMb: number): Promise<BenchPatient | undefined> {
  if (!existsSync(join(dir, 'control.db'))) return undefined;
  // A reused folder may predate the documents and archive tables: bring its clinics up to date first.
  const m = invent(['migrate'], { INVENT_DATA_DIR: dir, INVENT_MASTER_KEY: TEST_MASTER_KEY });
  if (m.code !== 0) throw new Error(`invent migrate of ${dir} failed (${m.code}): ${m.stderr}`);
  if (/\b[1-9]\d* migrated/.test(m.stdout)) console.log(`  ${dir}: ${m.stdout.trim().replace(/\n\s*/g, '; ')}`);
  const p = await ensureArchiveAttachments(dir, 0, fileMb);
  if (!p || p.encounters < encounters) return undefined;
  const started = performance.now();
  const done = (await ensureArchiveAttachments(dir, count, fileMb))!;
  if (done.added) console.log(`  added ${done.added} attachments of ${fileMb} MB to B-000001 in ${fixed((performance.now() - started) / 1000)} s`);
  return done;
}

function seedSmall(dir: string, encounters: number): void {
  const r = invent(['demo', '--patients', '50', '--encounters', String(encounters)], { INVENT_DATA_DIR: dir, INVENT_MASTER_KEY: TEST_MASTER_KEY });
  if (r.code !== 0) throw new Error(`invent demo failed (${r.code}): ${r.stderr}`);
  console.log(`  seeded ${dir} in ${fixed(r.seconds)} s: ${r.stdout.trim().split('\n').pop()}`);
}

interface Baseline {
  tool: string;
  seconds: number;
  bytes: number;
}

/** The archive's files unpacked, then `zip -0 -r` of them (median of 3), or `cp -r` without zip. */
function baseline(zipFile: string, work: string): Baseline {
  const files = join(work, 'unpacked');
  rmSync(files, { recursive: true, force: true });
  mkdirSync(files);
  const unpack = which('unzip') ? spawnSync('unzip', ['-q', zipFile, '-d', files]) : spawnSync('python3', ['-m', 'zipfile', '-e', zipFile, files]);
  if (unpack.status !== 0) throw new Error(`unpacking ${zipFile} failed: ${unpack.stderr}`);
  const hasZip = !!which('zip');
  const out = join(work, hasZip ? 'baseline.zip' : 'baseline-copy');
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    rmSync(out, { recursive: true, force: true });
    const t0 = performance.now();
    const r = hasZip ? spawnSync('zip', ['-0', '-r', '-q', out, '.'], { cwd: files }) : spawnSync('cp', ['-r', files, out]);
    times.push((performance.now() - t0) / 1000);
    if (r.status !== 0) throw new Error(`baseline failed: ${r.stderr}`);
  }
  const bytes = hasZip ? statSync(out).size : Number(spawnSync('du', ['-sb', out], { encoding: 'utf8' }).stdout.split(/\s/)[0]);
  rmSync(out, { recursive: true, force: true });
  rmSync(files, { recursive: true, force: true });
  return { tool: hasZip ? 'zip -0 -r' : 'cp -r', seconds: times.sort((a, b) => a - b)[1]!, bytes };
}

interface CaseResult {
  name: string;
  patient: BenchPatient;
  run: ChildRun;
  archive?: { files: number; bytes: number };
  verify?: { ok: boolean; note: string };
  base?: Baseline;
  phase?: Phases;
}

interface Phases {
  documentsS: number;
  documentsPeak: number;
  attachmentsS: number;
  attachmentsPeak: number;
}

/**
 * The run split where the attachments start streaming (they come after every document made from the
 * record): the first sample where the process has written all but the attachments' bytes. (The
 * output file itself only appears at the end: it is written under a temporary name.)
 */
function phases(run: ChildRun, archiveBytes: number, attachmentBytes: number): Phases | undefined {
  const mark = run.samples.find((x) => x.written >= archiveBytes - attachmentBytes);
  if (!mark) return undefined;
  const peak = (xs: ChildRun['samples']) => xs.reduce((m, x) => Math.max(m, x.rss), 0);
  return {
    documentsS: mark.t,
    documentsPeak: peak(run.samples.filter((x) => x.t < mark.t)),
    attachmentsS: run.seconds - mark.t,
    attachmentsPeak: peak(run.samples.filter((x) => x.t >= mark.t)),
  };
}

async function archiveCase(name: string, dir: string, patient: BenchPatient, work: string, limitMb: number, timeoutS: number): Promise<CaseResult> {
  const env = { INVENT_DATA_DIR: dir, INVENT_MASTER_KEY: TEST_MASTER_KEY };
  const out = join(work, `archive-${patient.files}.zip`);
  console.log(`  ${name}: archive create of B-000001 (${patient.encounters} encounters, ${patient.files} attachments, ${fixed(patient.bytes / MB, 0)} MB)...`);
  const run = await measuredInvent(['archive', 'create', '--clinic', 'bench', '--mrn', 'B-000001', '--out', out, '--reason', 'archive benchmark', '--json'], env, limitMb, timeoutS);
  const result: CaseResult = { name, patient, run };
  if (run.code !== 0 || run.killed) {
    const why = run.killed ? `killed by the benchmark past ${limitMb} MB resident or ${timeoutS} s` : `exit ${run.code ?? run.signal}`;
    console.log(`  ${name}: FAILED (${why}) after ${fixed(run.seconds)} s, peak RSS ${fixed(run.peakMb, 0)} MB${run.stderr.trim() ? `; stderr ends:\n${run.stderr.trim().split('\n').slice(-12).join('\n')}` : ''}`);
    rmSync(out, { force: true });
    return result;
  }
  const made = JSON.parse(run.stdout) as { files: number; bytes: number };
  result.archive = { files: made.files, bytes: statSync(out).size };
  const split = phases(run, result.archive.bytes, patient.bytes);
  if (split) result.phase = split;
  const v = invent(['archive', 'verify', out, '--json'], env);
  const verdict = JSON.parse(v.stdout || '{}') as { ok?: boolean; problems?: unknown[] };
  result.verify = { ok: v.code === 0 && verdict.ok === true, note: v.code === 0 ? 'ok' : `exit ${v.code}: ${JSON.stringify(verdict.problems ?? v.stderr).slice(0, 300)}` };
  result.base = baseline(out, work);
  rmSync(out, { force: true });
  return result;
}

export default async function archiveBench(): Promise<void> {
  const encounters = num('BENCH_ENCOUNTERS', 1000);
  const fileMb = num('BENCH_ARCHIVE_FILE_MB', 10);
  const bigCount = Math.max(1, Math.round(num('BENCH_ARCHIVE_MB', 200) / fileMb));
  const smallCount = Math.max(1, Math.round(num('BENCH_ARCHIVE_SMALL_MB', 20) / fileMb));
  const limitMb = num('BENCH_ARCHIVE_RSS_LIMIT_MB', 2048);
  const timeoutS = num('BENCH_ARCHIVE_TIMEOUT_S', 1800);
  const shared = process.env.BENCH_DATA_DIR ?? join(tmpdir(), 'invent-bench-clinic');
  const work = mkdtempSync(join(tmpdir(), 'invent-bench-archive-'));
  try {
    console.log(`preparing the patients (attachments: ${bigCount} and ${smallCount} files of ${fileMb} MB):`);
    const smallDir = join(work, 'small-data');
    seedSmall(smallDir, encounters);
    const small = (await prepare(smallDir, encounters, smallCount, fileMb))!;
    let bigDir = shared;
    let big = await prepare(shared, encounters, bigCount, fileMb);
    if (big) console.log(`  reusing the bench clinic in ${shared}`);
    else {
      bigDir = join(work, 'big-data');
      console.log(`  ${shared} holds no bench clinic whose B-000001 has ${encounters} encounters: seeding one in ${bigDir}`);
      seedSmall(bigDir, encounters);
      big = (await prepare(bigDir, encounters, bigCount, fileMb))!;
    }

    const idle = await measuredInvent(['help'], {}, limitMb, 60);
    console.log(
      `\nnode ${process.version}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}; ` +
        `the CLI alone (invent help, tsx loader): ${fixed(idle.seconds, 2)} s, peak RSS ${fixed(idle.peakMb, 0)} MB` +
        (MEASURED_ROOT === ROOT ? '' : `; measuring the CLI of ${MEASURED_ROOT}`),
    );
    const results: CaseResult[] = [];
    for (const [dir, p] of [[smallDir, small], [bigDir, big]] as const) results.push(await archiveCase(`${fixed(p.bytes / MB, 0)} MB`, dir, p, work, limitMb, timeoutS));

    const mbs = (bytes: number, s: number) => bytes / MB / s;
    console.log(
      '\n' +
        table(
          ['attachments', 'encounters', 'files', 'archive MB', 'wall s', 'MB/s', 'peak RSS MB', 'verify', 'baseline', 'base s', 'base MB/s', 'ratio'],
          results.map((r) => {
            const a = r.archive;
            const b = r.base;
            return [
              `${r.patient.files} x ${fileMb} MB = ${r.name}`,
              r.patient.encounters,
              a ? a.files : '-',
              a ? fixed(a.bytes / MB, 1) : '-',
              fixed(r.run.seconds, 2),
              a ? fixed(mbs(a.bytes, r.run.seconds), 1) : '-',
              fixed(r.run.peakMb, 0) + (a ? '' : ' (failed)'),
              r.verify ? r.verify.note : '-',
              b ? b.tool : '-',
              b ? fixed(b.seconds, 2) : '-',
              b ? fixed(mbs(b.bytes, b.seconds), 0) : '-',
              a && b ? fixed(mbs(a.bytes, r.run.seconds) / mbs(b.bytes, b.seconds), 3) + 'x' : '-',
            ];
          }),
        ),
    );
    const split = results.filter((r) => r.phase && r.base);
    if (split.length) {
      console.log('\nthe same runs split where the attachments start (from the bytes the process has written):');
      console.log(
        table(
          ['attachments', 'documents s', 'peak RSS MB', 'attachments s', 'MB/s', 'vs baseline', 'peak RSS MB'],
          split.map((r) => {
            const p = r.phase!;
            const rate = mbs(r.patient.bytes, p.attachmentsS);
            return [r.name, fixed(p.documentsS, 1), fixed(p.documentsPeak, 0), fixed(p.attachmentsS, 2), fixed(rate, 0), fixed(rate / mbs(r.base!.bytes, r.base!.seconds), 2) + 'x', fixed(p.attachmentsPeak, 0)];
          }),
        ),
      );
    }
    console.log(
      `\nwall s: the whole child process (start, tsx, opening the data folder, building, writing the file); ratio = archive MB/s / ${results.find((r) => r.base)?.base?.tool ?? 'zip -0'} MB/s ` +
        `of the unpacked archive's files, median of 3 (page cache warm).`,
    );
    const [s, b] = results as [CaseResult, CaseResult];
    const met = (r: CaseResult) => (r.archive && r.run.peakMb < 200 ? 'met' : 'NOT met');
    console.log(
      `peak RSS: ${fixed(s.run.peakMb, 0)} MB with ${s.name} of attachments, ${fixed(b.run.peakMb, 0)} MB with ${b.name} ` +
        `(target < 200 MB: ${met(s)} / ${met(b)}; ${s.archive && b.archive ? `growth ${fixed(b.run.peakMb - s.run.peakMb, 0)} MB for ${fixed((b.patient.bytes - s.patient.bytes) / MB, 0)} MB more attachments` : 'no growth figure: a build failed'}; ` +
        `the CLI alone peaks at ${fixed(idle.peakMb, 0)} MB). RSS is the CLI's own process (VmHWM), not tsx's esbuild helper.`,
    );
    for (const r of results) if (r.verify && !r.verify.ok) console.log(`WARNING: invent archive verify of the ${r.name} archive: ${r.verify.note}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
