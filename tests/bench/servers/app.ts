// Benchmark target: the whole app (every middleware) over a demo installation in a temp folder,
// served the way `invent serve` serves it. Prints {"port":N} on stdout once listening.
import { nodeServeAdapter } from '../../../src/platform/node/index.ts';
import { testInstall } from '../../helpers/system.ts';
import { serveUntilStopped } from '../lib/serve-child.ts';

const install = await testInstall({ demo: true });
await serveUntilStopped(await nodeServeAdapter(install.app.fetch, { port: 0, host: '127.0.0.1' }), () => install.close());
