// Node entry: the `invent` command (and `npm start`, which is `invent serve`).
import { localPlatform } from '../platform/node/index.ts';
import { nodeCliRuntime } from '../platform/node/cli.ts';
import { runCli } from '../cli/main.ts';

const platform = localPlatform({ runtime: 'node', dataDir: process.env.INVENT_DATA_DIR ?? './data' });
process.exitCode = await runCli(process.argv.slice(2), nodeCliRuntime(platform));
