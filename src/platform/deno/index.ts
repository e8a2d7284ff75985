// Deno's own pieces of the local platform: the HTTP server (Deno.serve), stop signals and stdio.
// Everything else (files, native libSQL, Argon2) is the node/ adapters under Deno's Node compatibility.
import type { FetchHandler, HttpServer, Platform } from '../ports.ts';
import type { CliRuntime } from '../../cli/main.ts';

// The subset of the Deno namespace used here; the project type-checks without Deno's lib files.
interface DenoServer {
  finished: Promise<void>;
  shutdown(): Promise<void>;
}
interface DenoApi {
  serve(
    opts: { port: number; hostname: string; signal?: AbortSignal; onListen?: (addr: { port: number }) => void },
    handler: (req: Request, info: { remoteAddr: { hostname: string } }) => Response | Promise<Response>,
  ): DenoServer;
  addSignalListener(signal: 'SIGINT' | 'SIGTERM', handler: () => void): void;
  removeSignalListener(signal: 'SIGINT' | 'SIGTERM', handler: () => void): void;
  stdout: { writeSync(bytes: Uint8Array): number };
  stderr: { writeSync(bytes: Uint8Array): number };
  stdin: { readable: ReadableStream<Uint8Array>; isTerminal(): boolean };
  args: string[];
  env: { toObject(): Record<string, string> };
  exit(code: number): never;
}

export const deno = (globalThis as unknown as { Deno: DenoApi }).Deno;

export function denoServe(fetch: FetchHandler, opts: { port: number; host: string }): Promise<HttpServer> {
  return new Promise((resolveServer, reject) => {
    try {
      const server = deno.serve(
        {
          port: opts.port,
          hostname: opts.host,
          onListen: ({ port }) => resolveServer({ port, close: () => server.shutdown() }),
        },
        (req, info) => fetch(req, { remoteAddr: info.remoteAddr.hostname }),
      );
    } catch (err) {
      // Deno.serve throws synchronously when the address is taken.
      reject(err);
    }
  });
}

/** Synchronous, complete writes: the entry may call Deno.exit right after the last one. */
function writeAll(sink: { writeSync(bytes: Uint8Array): number }, text: string): void {
  let bytes = new TextEncoder().encode(text);
  while (bytes.length > 0) bytes = bytes.subarray(sink.writeSync(bytes));
}

export function denoCliRuntime(platform: Platform): CliRuntime {
  return {
    platform,
    io: {
      out: (t) => writeAll(deno.stdout, t),
      err: (t) => writeAll(deno.stderr, t),
      async readStdin() {
        if (deno.stdin.isTerminal()) return '';
        return await new Response(deno.stdin.readable).text();
      },
    },
    untilStopped: () =>
      new Promise<void>((resolve) => {
        const stop = () => {
          deno.removeSignalListener('SIGINT', stop);
          deno.removeSignalListener('SIGTERM', stop);
          resolve();
        };
        deno.addSignalListener('SIGINT', stop);
        deno.addSignalListener('SIGTERM', stop);
      }),
  };
}
