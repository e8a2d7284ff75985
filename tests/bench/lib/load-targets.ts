// Like measureInterleaved (load.ts), but each target carries its own request headers, so a signed-in
// page (session cookie) and an anonymous one (no cookie) can be measured in the same alternating run.
import autocannon, { type Result } from 'autocannon';
import { percentile, type LoadOptions, type Measurement } from './load.ts';

export interface HeaderTarget {
  name: string;
  url: string;
  headers?: Record<string, string>;
}

/**
 * A warm-up run per target (discarded), then `rounds` short runs per target, alternating between
 * targets. Response times are kept one by one (autocannon's histogram has whole-ms buckets).
 * Failures count errors, timeouts and non-2xx.
 */
export async function measureTargets(targets: HeaderTarget[], opts: Omit<LoadOptions, 'headers'> & { rounds: number }): Promise<Measurement[]> {
  const base = (t: HeaderTarget) => ({ connections: opts.connections, url: t.url, ...(t.headers ? { headers: t.headers } : {}) });
  for (const t of targets) await autocannon({ ...base(t), duration: opts.warmupSeconds });
  const acc = targets.map(() => ({ times: [] as number[], seconds: 0, bytes: 0, failures: 0 }));
  const roundSeconds = opts.seconds / opts.rounds;
  for (let round = 0; round < opts.rounds; round++) {
    for (const [i, t] of targets.entries()) {
      const a = acc[i]!;
      const run = autocannon({ ...base(t), duration: roundSeconds });
      run.on('response', (_client, _status, _bytes, ms) => void a.times.push(ms));
      const r: Result = await run;
      a.seconds += r.duration;
      a.bytes += r.throughput.total;
      a.failures += r.errors + r.timeouts + r.non2xx;
    }
  }
  return targets.map((t, i) => {
    const { times, seconds, bytes, failures } = acc[i]!;
    times.sort((x, y) => x - y);
    return {
      name: t.name,
      rps: times.length / seconds,
      p50: percentile(times, 50),
      p99: percentile(times, 99),
      mean: times.reduce((x, y) => x + y, 0) / (times.length || 1),
      bytesPerRequest: times.length > 0 ? bytes / times.length : 0,
      requests: times.length,
      failures,
    };
  });
}
