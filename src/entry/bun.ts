// Bun entry, and the single binary's (`npm run build:binary` wraps `main` with the embedded assets).
// `bun src/entry/bun.ts <verb>` also works from the source tree, reading static/ and migrations/ there.
import type { Assets } from '../platform/ports.ts';
import { localPlatform } from '../platform/node/index.ts';
import { nodeCliRuntime } from '../platform/node/cli.ts';
import { bunServe } from '../platform/bun/index.ts';
import { runCli } from '../cli/main.ts';

export async function main(assets?: Assets): Promise<void> {
  const platform = localPlatform({
    runtime: 'bun',
    dataDir: process.env.INVENT_DATA_DIR ?? './data',
    serve: bunServe,
    ...(assets ? { assets } : {}),
  });
  process.exitCode = await runCli(process.argv.slice(2), nodeCliRuntime(platform));
}

// `import.meta.main` is Bun's (and Deno's); absent from the Node types this project checks against.
if ((import.meta as { main?: boolean }).main) await main();
