// Starts a benchmark server in its own process, so the load generator never shares its event loop.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface ChildServer {
  name: string;
  url: string;
  pid: number;
  stop(): Promise<void>;
}

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** `script` is relative to the repo root; the child prints {"port":N} on its first stdout line. */
export function startChildServer(name: string, script: string, env: Record<string, string> = {}): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (t: string) => void (stderr += t));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`${name} server did not start within 60 s`)), 60_000);
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${err.message}\n${stderr}`));
    };
    child.once('error', fail);
    const early = (code: number | null) => fail(new Error(`${name} server exited with code ${code} before listening`));
    child.once('exit', early);
    createInterface({ input: child.stdout }).once('line', (line) => {
      let port: unknown;
      try {
        port = (JSON.parse(line) as { port?: unknown }).port;
      } catch {
        /* reported below */
      }
      if (typeof port !== 'number') return fail(new Error(`${name} server printed ${JSON.stringify(line)}, not {"port":N}`));
      clearTimeout(timer);
      child.off('exit', early);
      resolve({
        name,
        url: `http://127.0.0.1:${port}`,
        pid: child.pid!,
        async stop() {
          if (child.exitCode !== null) return;
          child.kill('SIGTERM');
          const timeout = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(timeout);
        },
      });
    });
  });
}
