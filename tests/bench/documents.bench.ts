// Attachments (issue 6, Benchmark): upload and download of a BENCH_UPLOAD_MB file (default 100 MB)
// through a real HTTP server (the whole app: session, CSRF, audit, type checks, SHA-256, chunked
// AES-GCM, fsync), as MB/s and as a ratio to `cp` of the same file in the same run; and the server's
// resident memory (target: peak < 150 MB during the transfers), from /proc/<pid>/status of the
// server's own process. Two servers over the same data folder, one after the other (never both at
// once): the app under tsx (node adapter, TypeScript transpiled in memory) and the shipped single
// binary (`dist/invent serve`, Bun-compiled), which is what a clinic runs. Prints figures; never
// asserts on time.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_MASTER_KEY, testInstall } from '../helpers/system.ts';
import { services } from '../../src/system-app.ts';
import { SYSTEM } from '../../src/audit/types.ts';
import { startChildServer, type ChildServer } from './lib/child-server.ts';
import { fixed, table } from './lib/load.ts';
import { ensureBinary, startBinaryServer } from './lib/documents-binary.ts';
import { cpSeconds, makeFile, MB, transfersThrough, type Phase, type Transfers } from './lib/documents-transfer.ts';

const TARGET_MB = 150;

/** Starts one server, measures its transfers, and stops it whatever happens. */
async function measured(start: () => Promise<ChildServer>, measure: (s: ChildServer) => Promise<Transfers>): Promise<Transfers> {
  const server = await start();
  try {
    return await measure(server);
  } finally {
    await server.stop();
  }
}

export default async function documentsBench(): Promise<void> {
  const sizeMb = Number(process.env.BENCH_UPLOAD_MB) > 0 ? Number(process.env.BENCH_UPLOAD_MB) : 100;
  // Built (if need be) before anything is timed, so the compile's CPU does not fall on a measurement.
  const binary = ensureBinary();
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
    const opts = { patientId, file, sha };
    const tsx = await measured(
      () => startChildServer('app', 'tests/bench/servers/documents-app.ts', { BENCH_DATA_DIR: dir, BENCH_MEM_FILE: memFile }),
      (server) =>
        transfersThrough(server, {
          ...opts,
          // The tsx server's own memoryUsage() peaks restart here, so they cover the transfers only.
          beforeTransfer: async () => {
            process.kill(server.pid, 'SIGUSR2');
            await new Promise((r) => setTimeout(r, 100));
          },
        }),
    );
    const tsxMem = JSON.parse(readFileSync(memFile, 'utf8')) as Record<string, number>;
    // Only now, with the tsx server gone: both open the same data folder.
    let bin: Transfers | undefined;
    let binNote: string;
    if ('skip' in binary) binNote = `binary target skipped: ${binary.skip}`;
    else {
      binNote = binary.note;
      try {
        bin = await measured(() => startBinaryServer(binary.path, dir, TEST_MASTER_KEY), (server) => transfersThrough(server, opts));
      } catch (err) {
        binNote = `binary target failed: ${err instanceof Error ? err.message : String(err)}`;
      }
    }

    const mbps = (secs: number) => sizeMb / secs;
    const hwm = (p: Phase) => (p.hwmMb === undefined ? '-' : fixed(p.hwmMb, 0));
    const rows = (name: string, t: Transfers) => [
      [name, 'upload (sniff, SHA-256, encrypt, write, fsync)', fixed(t.up.seconds, 2), fixed(mbps(t.up.seconds), 0), fixed(cp / t.up.seconds, 2), fixed(t.idleMb, 0), fixed(t.up.sampledMb, 0), hwm(t.up), fixed(t.up.peakMb, 0)],
      [name, 'download (decrypt, stream)', fixed(t.down.seconds, 2), fixed(mbps(t.down.seconds), 0), fixed(cp / t.down.seconds, 2), fixed(t.idleMb, 0), fixed(t.down.sampledMb, 0), hwm(t.down), fixed(t.down.peakMb, 0)],
    ];
    console.log(
      `${sizeMb} MB DICOM-like file, loopback, each server alone in its own process over the same data folder (bench: node ${process.version}; ` +
        `load average ${loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}). cp copies into the page cache; the upload also fsyncs its blob. RSS in MB from /proc/<pid>/status: ` +
        `idle = VmRSS before the transfers; sampled = highest VmRSS read every 20 ms; VmHWM = the kernel's high-water mark over that transfer alone (reset through clear_refs); peak = the higher.\n`,
    );
    console.log(
      table(
        ['server', 'transfer', 'seconds', 'MB/s', 'vs cp', 'idle RSS', 'sampled RSS', 'VmHWM', 'peak RSS'],
        [
          ['-', 'cp (median of 3)', fixed(cp, 2), fixed(mbps(cp), 0), '1.00', '-', '-', '-', '-'],
          ...rows('tsx (node adapter)', tsx),
          ...(bin ? rows('dist/invent (Bun binary)', bin) : []),
        ],
      ),
    );
    console.log('');
    for (const [name, t] of [['tsx', tsx], ['dist/invent', bin]] as const) {
      if (!t) continue;
      const peak = Math.max(t.up.peakMb, t.down.peakMb);
      console.log(
        `${name}: ${fixed(t.idleMb, 0)} MB idle, ${fixed(peak, 0)} MB at the peak of the transfers (+${fixed(peak - t.idleMb, 0)} MB over idle; ` +
          `target < ${TARGET_MB} MB: ${peak < TARGET_MB ? 'met' : 'NOT met'}); start-up VmHWM ${fixed(t.startupHwmMb, 0)} MB.`,
      );
    }
    console.log(binNote + '.');
    console.log(
      `tsx server's own peaks during the transfers: JS heap used ${tsxMem.heapUsed} MB, external ${tsxMem.external} MB, of which array buffers ${tsxMem.arrayBuffers} MB ` +
        '(the idle server, TypeScript transpiled in memory by tsx, is most of the rest).',
    );
    const blobs = join(dir, 'blobs', clinicId);
    const stored = readdirSync(blobs).filter((f) => /^[a-z2-7]{26}$/.test(f));
    console.log(`stored blobs: ${stored.length} (${stored.map((f) => statSync(join(blobs, f)).size).join(', ')} bytes) for ${bin ? 2 : 1} upload(s).`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
