// The clinical core on the `bench` clinic (issue 5, Benchmarks): patient search among
// BENCH_PATIENTS patients (default 100,000; target p95 < 20 ms) and the chart of B-000001 with
// BENCH_ENCOUNTERS encounters (default 1,000; target p95 < 30 ms), through the whole stack (signed-in
// session, decryption and audit included), and the chart's requests/s as a ratio to a bare Hono JSX
// page in the same run. The clinic lives in a data folder under /tmp (BENCH_DATA_DIR), reused while
// it holds enough patients and encounters, else filled by `invent demo --patients N --encounters M`.
// Prints figures; never asserts on time.
import { spawnSync } from 'node:child_process';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_MASTER_KEY, testInstall } from '../helpers/system.ts';
import { PatientService } from '../../src/features/patients/service.ts';
import { systemClock } from '../../src/platform/ports.ts';
import { startChildServer, type ChildServer } from './lib/child-server.ts';
import { fixed, loadOptionsFromEnv, measureInterleaved, percentile, table, type Measurement } from './lib/load.ts';
import { signInOverHttp } from './lib/sign-in.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PASSWORD = 'correct-horse-battery-staple';

const num = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : fallback;
};

function invent(args: string[], env: Record<string, string>): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['src/entry/invent.mjs', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env, INVENT_DEMO_PASSWORD: PASSWORD },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

/** Patients in the bench clinic and encounters of B-000001, or undefined when there is no bench clinic yet. */
function benchSize(env: Record<string, string>): { patients: number; encounters: number } | undefined {
  const sql =
    "SELECT (SELECT count(*) FROM patients WHERE mrn LIKE 'B-%') AS p, " +
    "(SELECT count(*) FROM encounters e JOIN patients p ON p.id = e.patient_id WHERE p.mrn = 'B-000001') AS e";
  const r = invent(['db', 'sql', '--clinic', 'bench', sql], env);
  if (r.code !== 0) return undefined;
  const row = (JSON.parse(r.stdout) as { p: number; e: number }[])[0];
  return row && { patients: Number(row.p), encounters: Number(row.e) };
}

interface Latency {
  name: string;
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  failures: number;
}

/** `concurrency` workers request the paths in turn for `seconds`; every response time is kept. */
async function latency(name: string, base: string, paths: string[], cookie: string, opts: { seconds: number; concurrency: number; expect?: (html: string) => boolean }): Promise<Latency> {
  const times: number[] = [];
  let failures = 0;
  let next = 0;
  const end = performance.now() + opts.seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: opts.concurrency }, async () => {
      while (performance.now() < end) {
        const path = paths[next++ % paths.length]!;
        const t0 = performance.now();
        const res = await fetch(base + path, { headers: { Cookie: cookie }, redirect: 'manual' });
        const body = await res.text();
        times.push(performance.now() - t0);
        if (res.status !== 200 || (opts.expect && !opts.expect(body))) failures++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  return { name, requests: times.length, rps: times.length / seconds, p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99), failures };
}

/** The search queries: real values of a few bench patients, read through the patient service. */
async function searchQueries(dir: string, patients: number): Promise<{ queries: { kind: string; q: string }[]; richId: string }> {
  const t = await testInstall({ dir, env: { INVENT_MASTER_KEY: TEST_MASTER_KEY, INVENT_DATA_DIR: dir } });
  try {
    const clinic = (await t.system.clinics.bySlug('bench'))!;
    const service = new PatientService({ clinics: t.system.clinics, clock: systemClock });
    const picks = [1, 7, 123, 4567, 31337, 77777, 99991].filter((n) => n <= patients);
    const queries: { kind: string; q: string }[] = [];
    let richId = '';
    for (const n of picks) {
      const p = await service.getByMrn(clinic.id, `B-${String(n).padStart(6, '0')}`);
      if (!p) continue;
      if (n === 1) richId = p.id;
      const d = p.demographics;
      queries.push(
        { kind: 'name prefix en', q: d.givenNameEn.slice(0, 3) },
        { kind: 'name prefix ar', q: d.givenNameAr.slice(0, 3) },
        { kind: 'full name en', q: `${d.givenNameEn} ${d.familyNameEn}` },
        { kind: 'full name ar', q: `${d.givenNameAr} ${d.familyNameAr}` },
        { kind: 'mrn', q: p.mrn },
        { kind: 'cpr', q: d.cpr },
        { kind: 'phone', q: d.phones[0]!.replace(/^\+973/, '') },
      );
    }
    if (!richId) throw new Error('the bench clinic has no B-000001');
    return { queries, richId };
  } finally {
    await t.system.close();
  }
}

export default async function clinicBench(): Promise<void> {
  const patients = num('BENCH_PATIENTS', 100_000);
  const encounters = num('BENCH_ENCOUNTERS', 1000);
  const dir = process.env.BENCH_DATA_DIR ?? join(tmpdir(), 'invent-bench-clinic');
  const env = { INVENT_DATA_DIR: dir, INVENT_MASTER_KEY: TEST_MASTER_KEY };

  const have = benchSize(env);
  if (have && have.patients >= patients && have.encounters >= encounters) {
    console.log(`reusing ${dir}: bench clinic with ${have.patients} patients, B-000001 with ${have.encounters} encounters`);
  } else {
    console.log(`seeding ${dir}: ${patients} patients, B-000001 with ${encounters} encounters (had ${have ? `${have.patients} patients, ${have.encounters} encounters` : 'no bench clinic'})`);
    const started = performance.now();
    const r = invent(['demo', '--patients', String(Math.max(patients, have?.patients ?? 0)), '--encounters', String(encounters)], env);
    if (r.code !== 0) throw new Error(`invent demo failed (${r.code}): ${r.stderr}`);
    console.log(`seeding took ${fixed((performance.now() - started) / 1000)} s: ${r.stdout.trim()}`);
  }
  const size = benchSize(env)!;
  const { queries, richId } = await searchQueries(dir, size.patients);

  const opts = loadOptionsFromEnv({ connections: 10, warmupSeconds: 1, seconds: 5 });
  const concurrency = num('BENCH_CONCURRENCY', 4);
  const servers: ChildServer[] = [];
  try {
    servers.push(
      ...(await Promise.all([startChildServer('bare hono/jsx', 'tests/bench/servers/bare.tsx'), startChildServer('app', 'tests/bench/servers/clinic-app.ts', { BENCH_DATA_DIR: dir })])),
    );
    const [bare, app] = servers as [ChildServer, ChildServer];
    const doctor = await signInOverHttp(app.url, 'doctor@bench.test', PASSWORD);
    const reception = await signInOverHttp(app.url, 'reception@bench.test', PASSWORD);
    const chart = `/patients/${richId}`;
    const timeline = `/patients/${richId}/encounters`;

    // Check each page answers 200 with what it should show, so no error page is measured.
    for (const [path, cookie, marker] of [
      [chart, doctor, 'B-000001'],
      [timeline, doctor, 'enc_'],
      [`/patients?q=${encodeURIComponent('B-000001')}`, reception, 'B-000001'],
    ] as const) {
      const res = await fetch(app.url + path, { headers: { Cookie: cookie }, redirect: 'manual' });
      const body = await res.text();
      if (res.status !== 200 || !body.includes(marker)) throw new Error(`GET ${path} answered ${res.status} without ${marker}`);
    }

    console.log(
      `bench clinic: ${size.patients} patients, B-000001 with ${size.encounters} encounters; node ${process.version}; ` +
        `load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`,
    );

    // (a) Search: the query mix as the receptionist, in turn, `concurrency` at a time.
    const searchPaths = queries.map((x) => `/patients?q=${encodeURIComponent(x.q)}`);
    await latency('warm-up', app.url, searchPaths, reception, { seconds: 1, concurrency });
    const kinds = [...new Set(queries.map((x) => x.kind))];
    // One at a time (the latency one person sees), then `concurrency` at a time (a busy front desk).
    const search: Latency[] = [
      await latency('search: all, 1 at a time', app.url, searchPaths, reception, { seconds: opts.seconds, concurrency: 1 }),
      await latency(`search: all, ${concurrency} at a time`, app.url, searchPaths, reception, { seconds: opts.seconds, concurrency }),
    ];
    for (const kind of kinds) {
      const paths = queries.filter((x) => x.kind === kind).map((x) => `/patients?q=${encodeURIComponent(x.q)}`);
      search.push(await latency(`search: ${kind}`, app.url, paths, reception, { seconds: Math.max(1, opts.seconds / 3), concurrency }));
    }
    console.log(`(a) GET /patients?q=... as reception@bench.test, per kind ${concurrency} at a time; ${queries.length} queries (e.g. ${queries.slice(0, 7).map((x) => JSON.stringify(x.q)).join(', ')})`);
    console.log(table(['target', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'requests', 'failures'], search.map((m) => [m.name, fixed(m.rps, 0), fixed(m.p50, 2), fixed(m.p95, 2), fixed(m.p99, 2), m.requests, m.failures])));
    console.log(`search p95 ${fixed(search[0]!.p95, 2)} ms one at a time, ${fixed(search[1]!.p95, 2)} ms ${concurrency} at a time (target < 20 ms)\n`);

    // (b) The chart of B-000001 as the doctor: latency, then req/s against the bare page.
    const chartLat = [
      await latency('chart /patients/:id', app.url, [chart], doctor, { seconds: opts.seconds, concurrency }),
      await latency('timeline /patients/:id/encounters', app.url, [timeline], doctor, { seconds: opts.seconds, concurrency }),
    ];
    console.log(`(b) chart of B-000001 as doctor@bench.test, ${concurrency} at a time`);
    console.log(table(['target', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'requests', 'failures'], chartLat.map((m) => [m.name, fixed(m.rps, 0), fixed(m.p50, 2), fixed(m.p95, 2), fixed(m.p99, 2), m.requests, m.failures])));
    console.log(`chart p95 ${fixed(chartLat[0]!.p95, 2)} ms, timeline p95 ${fixed(chartLat[1]!.p95, 2)} ms (target < 30 ms)\n`);

    console.log(`req/s: ${opts.connections} connections, ${opts.warmupSeconds} s warm-up + ${opts.seconds} s per target, 5 alternating rounds (autocannon)`);
    const results = await measureInterleaved(
      [
        { name: 'bare hono/jsx /sign-in', url: bare.url + '/sign-in' },
        { name: 'app chart', url: app.url + chart, headers: { Cookie: doctor } },
        { name: 'app timeline', url: app.url + timeline, headers: { Cookie: doctor } },
      ],
      { ...opts, rounds: 5 },
    );
    console.log(
      table(
        ['target', 'req/s', 'p50 ms', 'p99 ms', 'mean ms', 'bytes/resp', 'requests', 'failures'],
        results.map((m) => [m.name, fixed(m.rps, 0), fixed(m.p50, 2), fixed(m.p99, 2), fixed(m.mean, 2), fixed(m.bytesPerRequest, 0), m.requests, m.failures]),
      ),
    );
    const [b, c, tl] = results as [Measurement, Measurement, Measurement];
    const ratio = (x: number, y: number) => (y > 0 ? fixed(x / y, 3) : 'n/a');
    console.log(`\nchart/bare req/s ${ratio(c.rps, b.rps)}x, timeline/bare req/s ${ratio(tl.rps, b.rps)}x`);
    const failed = [...search, ...chartLat, ...results].filter((m) => m.failures > 0);
    if (failed.length) console.log(`WARNING: failed responses from ${failed.map((m) => m.name).join(', ')}: figures are suspect`);
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}
