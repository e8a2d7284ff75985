// What being signed in costs: (a) the home page with a session cookie vs the anonymous sign-in page,
// same server child, same alternating run; (b) the time of a password sign-in (Argon2id) over HTTP,
// next to the raw @node-rs/argon2 verify and hash in this process. Prints figures; never asserts on time.
import { loadavg } from 'node:os';
import { hash, verify } from '@node-rs/argon2';
import { startChildServer, type ChildServer } from './lib/child-server.ts';
import { fixed, loadOptionsFromEnv, measureInterleaved, percentile, table, type Measurement } from './lib/load.ts';
import { fetchSignInPage, postSignIn, signInOverHttp } from './lib/sign-in.ts';
import { ARGON2_PARAMS } from '../../src/platform/node/argon2.ts';

const DEMO_PASSWORD = 'correct-horse-battery-staple';
// @node-rs/argon2's `Algorithm` is a const enum (not importable under isolatedModules); 2 is Argon2id.
const ARGON2ID = 2;

const ratio = (a: number, b: number) => (b > 0 ? `${fixed(a / b, 2)}x` : 'n/a');

function summary(ms: number[]): { median: number; p95: number; min: number; max: number } {
  const sorted = [...ms].sort((x, y) => x - y);
  return { median: percentile(sorted, 50), p95: percentile(sorted, 95), min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

export default async function authBench(): Promise<void> {
  const opts = loadOptionsFromEnv({ connections: 20, warmupSeconds: 1, seconds: 5 });
  const signIns = Math.max(1, Math.floor(Number(process.env.BENCH_SIGNINS) || 30));
  let server: ChildServer | undefined;
  try {
    server = await startChildServer('app', 'tests/bench/servers/app.ts');
    const base = server.url;

    // (a) A signed-in session for GET / (sessions idle out after 15 min; last-seen is written at most
    // every 30 s, so a long run neither ends it nor writes on every request).
    const session = await signInOverHttp(base, 'doctor@demo.test', DEMO_PASSWORD);
    const { anonCookie } = await fetchSignInPage(base);
    const checks: { path: string; headers: Record<string, string>; expect: string }[] = [
      { path: '/', headers: { Cookie: session }, expect: 'Welcome, ' },
      { path: '/sign-in', headers: {}, expect: '<h1>Sign in</h1>' },
      { path: '/sign-in', headers: { Cookie: anonCookie }, expect: '<h1>Sign in</h1>' },
    ];
    // A benchmark of a redirect or an error page would measure the wrong thing.
    for (const c of checks) {
      const res = await fetch(base + c.path, { headers: c.headers, redirect: 'manual' });
      const body = await res.text();
      if (res.status !== 200 || !body.includes(c.expect)) {
        throw new Error(`GET ${c.path} with ${JSON.stringify(Object.keys(c.headers))} answered ${res.status}, not the expected page`);
      }
    }
    console.log(
      `(a) ${opts.connections} connections, ${opts.warmupSeconds} s warm-up + ${opts.seconds} s per target, in 5 alternating rounds, ` +
        `loopback, app server in a child process (node ${process.version}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')})\n`,
    );
    const results = await measureInterleaved(
      [
        { name: 'GET /sign-in (anonymous, no cookie)', url: `${base}/sign-in` },
        { name: 'GET /sign-in (anonymous cookie)', url: `${base}/sign-in`, headers: { Cookie: anonCookie } },
        { name: 'GET / (signed in)', url: `${base}/`, headers: { Cookie: session } },
      ],
      { ...opts, rounds: 5 },
    );
    console.log(
      table(
        ['target', 'req/s', 'p50 ms', 'p99 ms', 'mean ms', 'bytes/resp', 'requests', 'failures'],
        results.map((m) => [m.name, fixed(m.rps, 0), fixed(m.p50, 2), fixed(m.p99, 2), fixed(m.mean, 2), fixed(m.bytesPerRequest, 0), m.requests, m.failures]),
      ),
    );
    const [anon, anonWithCookie, home] = results as [Measurement, Measurement, Measurement];
    console.log(`\nsigned-in GET / vs GET /sign-in (no cookie): req/s ${ratio(home.rps, anon.rps)}, p50 ${ratio(home.p50, anon.p50)}, p99 ${ratio(home.p99, anon.p99)}`);
    console.log(`signed-in GET / vs GET /sign-in (anonymous cookie): req/s ${ratio(home.rps, anonWithCookie.rps)}, p50 ${ratio(home.p50, anonWithCookie.p50)}, p99 ${ratio(home.p99, anonWithCookie.p99)}`);
    const failed = results.filter((m) => m.failures > 0);
    if (failed.length) console.log(`WARNING: failed responses from ${failed.map((m) => m.name).join(', ')}: figures are suspect`);
    const still = await fetch(`${base}/`, { headers: { Cookie: session }, redirect: 'manual' });
    await still.arrayBuffer();
    if (still.status !== 200) console.log(`WARNING: the session no longer reaches GET / after the run (${still.status}): figures are suspect`);

    // (b) Sign-in round trips, one after another: a fresh anonymous page, then POST /sign-in. Another
    // user than (a)'s, so its session stays as it was. Two discarded warm-ups.
    const page = await fetchSignInPage(base);
    const signIn = async () => {
      const r = await postSignIn(base, page, 'nurse@demo.test', DEMO_PASSWORD);
      if (r.status !== 303 || r.location !== '/') throw new Error(`POST /sign-in answered ${r.status} to ${r.location ?? '(nowhere)'}`);
    };
    for (let i = 0; i < 2; i++) await signIn();
    const roundTrips: number[] = [];
    for (let i = 0; i < signIns; i++) roundTrips.push(await timed(signIn));

    // The raw Argon2id cost at the app's settings, in this process (the server child is idle now).
    const phc = await hash(DEMO_PASSWORD, { algorithm: ARGON2ID, ...ARGON2_PARAMS });
    for (let i = 0; i < 2; i++) await verify(phc, DEMO_PASSWORD);
    const verifies: number[] = [];
    for (let i = 0; i < signIns; i++) verifies.push(await timed(() => verify(phc, DEMO_PASSWORD)));
    const hashes: number[] = [];
    for (let i = 0; i < signIns; i++) hashes.push(await timed(() => hash('probe', { algorithm: ARGON2ID, ...ARGON2_PARAMS })));

    const p = ARGON2_PARAMS;
    console.log(`\n(b) sign-in time, N=${signIns} sequential each; Argon2id m=${p.memoryCost} KiB, t=${p.timeCost}, p=${p.parallelism}\n`);
    const rows = [
      ['POST /sign-in round trip (HTTP, server child)', summary(roundTrips)],
      ['argon2 verify (@node-rs/argon2, in-process)', summary(verifies)],
      ['argon2 hash (@node-rs/argon2, in-process)', summary(hashes)],
    ] as const;
    console.log(table(['what', 'median ms', 'p95 ms', 'min ms', 'max ms'], rows.map(([name, s]) => [name, fixed(s.median, 1), fixed(s.p95, 1), fixed(s.min, 1), fixed(s.max, 1)])));
    const [signInS, verifyS, hashS] = rows.map(([, s]) => s) as [ReturnType<typeof summary>, ReturnType<typeof summary>, ReturnType<typeof summary>];
    console.log(
      `\nsign-in / raw verify: median ${ratio(signInS.median, verifyS.median)}, p95 ${ratio(signInS.p95, verifyS.p95)}; ` +
        `sign-in minus (verify + hash) medians: ${fixed(signInS.median - verifyS.median - hashS.median, 1)} ms`,
    );
  } finally {
    await server?.stop();
  }
}
