// The child side of a benchmark server: announce the port on stdout, then serve until the parent
// says stop (SIGTERM/SIGINT) or goes away (stdin closes), and clean up.
import type { HttpServer } from '../../../src/platform/ports.ts';

export async function serveUntilStopped(server: HttpServer, cleanup: () => Promise<void>): Promise<void> {
  process.stdout.write(JSON.stringify({ port: server.port }) + '\n');
  await new Promise<void>((done) => {
    process.once('SIGTERM', done);
    process.once('SIGINT', done);
    process.stdin.once('end', done);
    process.stdin.once('close', done);
    process.stdin.resume();
  });
  await server.close();
  await cleanup();
  process.exit(0);
}
