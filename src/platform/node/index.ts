// The platform for runtimes with a local disk and the native libSQL addon: Node, and (with their
// own `serve`) Deno and Bun.
import { serve as nodeServe } from '@hono/node-server';
import type { Assets, FetchHandler, HttpServer, Logger, Platform, RuntimeName } from '../ports.ts';
import { systemClock } from '../ports.ts';
import { argon2Hasher } from './argon2.ts';
import { folderAssets } from './assets.ts';
import { localDataDir } from './data-dir.ts';
import { localBlobStore } from './blob-store.ts';
import { libsqlFiles } from './libsql.ts';
import { stderrLogger } from './log.ts';
import { localFiles } from './local-files.ts';

export interface LocalPlatformOptions {
  runtime?: RuntimeName;
  env?: Record<string, string | undefined>;
  dataDir: string;
  assets?: Assets;
  log?: Logger;
  serve?: Platform['serve'];
}

export function localPlatform(opts: LocalPlatformOptions): Platform {
  return {
    runtime: opts.runtime ?? 'node',
    env: opts.env ?? process.env,
    clock: systemClock,
    dataDir: localDataDir(opts.dataDir),
    assets: opts.assets ?? folderAssets(),
    db: libsqlFiles,
    hasher: argon2Hasher,
    log: opts.log ?? stderrLogger(),
    serve: opts.serve ?? nodeServeAdapter,
    blobs: localBlobStore(opts.dataDir),
    files: localFiles,
  };
}

export function nodeServeAdapter(fetch: FetchHandler, opts: { port: number; host: string }): Promise<HttpServer> {
  return new Promise((resolveServer, reject) => {
    const server = nodeServe(
      {
        // @hono/node-server passes { incoming, outgoing }; the app wants only the peer address.
        fetch: (req: Request, env: { incoming?: { socket?: { remoteAddress?: string } } }) => {
          const ip = env?.incoming?.socket?.remoteAddress;
          return fetch(req, ip ? { remoteAddr: ip } : {});
        },
        port: opts.port,
        hostname: opts.host,
      },
      (info) => {
      resolveServer({
        port: info.port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
      },
    );
    server.once('error', reject);
  });
}
