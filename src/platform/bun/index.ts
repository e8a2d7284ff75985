// Bun's own pieces of the local platform (the single binary): the HTTP server (Bun.serve) and
// assets embedded by `bun build --compile`. Files, native libSQL and Argon2 are the node/ adapters.
import { readFile } from 'node:fs/promises';
import type { Assets, FetchHandler, HttpServer } from '../ports.ts';
import { embeddedAssets } from '../node/assets.ts';

// The subset of the Bun namespace used here; the project type-checks without bun-types.
interface BunServer {
  port: number;
  stop(closeActiveConnections?: boolean): Promise<void>;
}
interface BunApi {
  serve(opts: {
    port: number;
    hostname: string;
    idleTimeout: number;
    maxRequestBodySize: number;
    fetch: (req: Request, server: { requestIP(req: Request): { address: string } | null }) => Response | Promise<Response>;
  }): BunServer;
}

export function bunServe(fetch: FetchHandler, opts: { port: number; host: string }): Promise<HttpServer> {
  const bun = (globalThis as unknown as { Bun: BunApi }).Bun;
  // Bun.serve throws synchronously when the address is taken; the async function turns that into a rejection.
  return (async () => {
    const server = bun.serve({
      port: opts.port,
      hostname: opts.host,
      // Bun closes a connection idle for 10 s by default, which would cut off a slow export or archive
      // before its first byte; 120 s is the longest a response may stay silent (Bun allows up to 255).
      idleTimeout: 120,
      // Bun refuses bodies over 128 MB by default; the app enforces each clinic's upload limit (up to
      // 1024 MB, FU2) itself while streaming, so the server only stops what no clinic could accept.
      maxRequestBodySize: 1100 * 1024 * 1024,
      fetch: (req, server) => {
        const ip = server.requestIP(req)?.address;
        return fetch(req, ip ? { remoteAddr: ip } : {});
      },
    });
    return { port: server.port, close: () => server.stop() };
  })();
}

/**
 * Assets compiled into the binary: relative path -> the path Bun gives an `import ... with { type: "file" }`
 * (inside the binary's own file system, `/$bunfs/...`), read on demand.
 */
export function bunEmbeddedAssets(paths: Record<string, string>): Assets {
  return embeddedAssets(
    Object.fromEntries(Object.entries(paths).map(([rel, at]) => [rel, async () => new Uint8Array(await readFile(at))])),
  );
}
