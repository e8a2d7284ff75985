// Benchmark target: the whole app (every middleware) over an existing data folder (BENCH_DATA_DIR,
// holding the `bench` clinic), served the way `invent serve` serves it. Prints {"port":N} once listening.
import { nodeServeAdapter } from '../../../src/platform/node/index.ts';
import { testInstall, TEST_MASTER_KEY } from '../../helpers/system.ts';
import { serveUntilStopped } from '../lib/serve-child.ts';

const dir = process.env.BENCH_DATA_DIR;
if (!dir) throw new Error('BENCH_DATA_DIR is not set');
const install = await testInstall({ dir, env: { INVENT_MASTER_KEY: TEST_MASTER_KEY, INVENT_DATA_DIR: dir } });
await serveUntilStopped(await nodeServeAdapter(install.app.fetch, { port: 0, host: '127.0.0.1' }), () => install.system.close());
