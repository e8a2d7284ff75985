// HTTP load with autocannon, and the tables benchmarks print. Figures only: nothing here asserts on time.
import autocannon, { type Result } from 'autocannon';

export interface LoadOptions {
  connections: number;
  warmupSeconds: number;
  seconds: number;
  headers?: Record<string, string>;
}

/** Reads numbers from BENCH_* environment variables, so a quick or a long run needs no code change. */
export function loadOptionsFromEnv(defaults: LoadOptions): LoadOptions {
  const num = (name: string, fallback: number) => {
    const v = Number(process.env[name]);
    return Number.isFinite(v) && v > 0 ? v : fallback;
  };
  return {
    ...defaults,
    connections: num('BENCH_CONNECTIONS', defaults.connections),
    warmupSeconds: num('BENCH_WARMUP', defaults.warmupSeconds),
    seconds: num('BENCH_SECONDS', defaults.seconds),
  };
}

export interface Measurement {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  mean: number;
  bytesPerRequest: number;
  requests: number;
  failures: number;
}

export interface Target {
  name: string;
  url: string;
  /** This target's own request headers (a session cookie, say), over the run's. */
  headers?: Record<string, string>;
}

/**
 * A warm-up run per target (discarded), then `rounds` short runs per target, alternating between
 * targets, so background load on a shared machine falls on all of them alike and a ratio stays fair.
 * Failures count errors, timeouts and non-2xx.
 */
export async function measureInterleaved(targets: Target[], opts: LoadOptions & { rounds: number }): Promise<Measurement[]> {
  const base = (t: Target) => {
    const headers = { ...opts.headers, ...t.headers };
    return { connections: opts.connections, url: t.url, ...(Object.keys(headers).length ? { headers } : {}) };
  };
  for (const t of targets) await autocannon({ ...base(t), duration: opts.warmupSeconds });
  const acc = targets.map(() => ({ times: [] as number[], seconds: 0, bytes: 0, failures: 0 }));
  const roundSeconds = opts.seconds / opts.rounds;
  for (let round = 0; round < opts.rounds; round++) {
    for (const [i, t] of targets.entries()) {
      const a = acc[i]!;
      // autocannon's latency histogram has whole-millisecond buckets, too coarse for a bare page
      // (its p50 reads 0): keep every response time instead and take percentiles from those.
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

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((row) => row.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export const fixed = (n: number, digits = 1) => n.toFixed(digits);
