// GET /sign-in through the app's whole middleware stack vs a bare Hono JSX page, same run, same
// machine, each server in its own process. Prints figures; never asserts on time.
import { startChildServer, type ChildServer } from './lib/child-server.ts';
import { loadavg } from 'node:os';
import { fixed, loadOptionsFromEnv, measureInterleaved, table, type Measurement } from './lib/load.ts';

const PATH = '/sign-in';

export default async function pagesBench(): Promise<void> {
  const opts = loadOptionsFromEnv({ connections: 20, warmupSeconds: 1, seconds: 5 });
  const servers: ChildServer[] = [];
  try {
    servers.push(
      ...(await Promise.all([
        startChildServer('bare hono/jsx', 'tests/bench/servers/bare.tsx'),
        startChildServer('app', 'tests/bench/servers/app.ts'),
      ])),
    );
    // A benchmark of an error page would measure the wrong thing: check each answers 200 with HTML.
    for (const s of servers) {
      const res = await fetch(s.url + PATH);
      const body = await res.text();
      if (res.status !== 200 || !body.includes('<h1>Sign in</h1>')) {
        throw new Error(`${s.name} answered GET ${PATH} with ${res.status}, not the sign-in page`);
      }
    }
    console.log(
      `GET ${PATH}: ${opts.connections} connections, ${opts.warmupSeconds} s warm-up + ${opts.seconds} s per target, ` +
        `in 5 alternating rounds, loopback, servers in child processes (node ${process.version}; ` +
        `load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}: a busy machine skews both, the ratio less)\n`,
    );
    const results = await measureInterleaved(
      servers.map((s) => ({ name: s.name, url: s.url + PATH })),
      { ...opts, rounds: 5 },
    );

    console.log(
      table(
        ['target', 'req/s', 'p50 ms', 'p99 ms', 'mean ms', 'bytes/resp', 'requests', 'failures'],
        results.map((m) => [m.name, fixed(m.rps, 0), fixed(m.p50, 2), fixed(m.p99, 2), fixed(m.mean, 2), fixed(m.bytesPerRequest, 0), m.requests, m.failures]),
      ),
    );
    const [bare, app] = results as [Measurement, Measurement];
    const ratio = (a: number, b: number) => (b > 0 ? fixed(a / b, 2) : 'n/a');
    console.log(
      `\napp/bare: req/s ${ratio(app.rps, bare.rps)}x, p50 ${ratio(app.p50, bare.p50)}x, p99 ${ratio(app.p99, bare.p99)}x`,
    );
    const failed = results.filter((m) => m.failures > 0);
    if (failed.length) console.log(`WARNING: failed responses from ${failed.map((m) => m.name).join(', ')}: figures are suspect`);
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}
