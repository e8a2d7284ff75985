// Deno entry: `deno run -A --unsafe-proto --node-modules-dir=manual src/entry/deno.ts <verb>` (same verbs as `invent`;
// --unsafe-proto because fontkit, which shapes Arabic in PDFs, sets __proto__).
// The local adapters (node:fs, native libSQL, @node-rs/argon2) run under Deno's Node compatibility;
// the HTTP server, stop signals and stdio are Deno's own.
import { localPlatform } from '../platform/node/index.ts';
import { runCli } from '../cli/main.ts';
import { deno, denoCliRuntime, denoServe } from '../platform/deno/index.ts';

const env = deno.env.toObject();
const platform = localPlatform({ runtime: 'deno', env, dataDir: env.INVENT_DATA_DIR ?? './data', serve: denoServe });
const code = await runCli(deno.args, denoCliRuntime(platform));
deno.exit(code);
