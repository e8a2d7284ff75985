// Benchmark target for documents.bench.ts: the whole app over an existing data folder
// (BENCH_DATA_DIR), served by the node adapter, which also records the highest figures of its own
// process.memoryUsage() (MB) in BENCH_MEM_FILE every 20 ms: what of its memory is JavaScript heap,
// buffers, or the rest. Prints {"port":N} once listening.
import { writeFileSync } from 'node:fs';
import { nodeServeAdapter } from '../../../src/platform/node/index.ts';
import { testInstall, TEST_MASTER_KEY } from '../../helpers/system.ts';
import { serveUntilStopped } from '../lib/serve-child.ts';

const dir = process.env.BENCH_DATA_DIR;
const memFile = process.env.BENCH_MEM_FILE;
if (!dir || !memFile) throw new Error('BENCH_DATA_DIR and BENCH_MEM_FILE must be set');
const install = await testInstall({ dir, env: { INVENT_MASTER_KEY: TEST_MASTER_KEY, INVENT_DATA_DIR: dir } });
const max = { rss: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
const sample = () => {
  const u = process.memoryUsage();
  for (const k of Object.keys(max) as (keyof typeof max)[]) max[k] = Math.max(max[k], u[k]);
  writeFileSync(memFile, JSON.stringify(Object.fromEntries(Object.entries(max).map(([k, v]) => [k, Math.round(v / 1048576)]))));
};
// Reset by the parent (SIGUSR2) once the server is idle, so the figures cover the transfers only.
process.on('SIGUSR2', () => {
  for (const k of Object.keys(max) as (keyof typeof max)[]) max[k] = 0;
});
setInterval(sample, 20).unref();
await serveUntilStopped(await nodeServeAdapter(install.app.fetch, { port: 0, host: '127.0.0.1' }), () => install.system.close());
