// Runs the real `invent` command: in-process (fast) or as a child process (the real thing).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { localPlatform } from '../../src/platform/node/index.ts';
import { runCli } from '../../src/cli/main.ts';
import { memoryLogger } from './system.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function invent(argv: string[], env: Record<string, string>, stdin = ''): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const log = memoryLogger();
  const platform = localPlatform({ dataDir: env.INVENT_DATA_DIR!, env, log });
  const code = await runCli(argv, {
    platform,
    io: { out: (t) => void (stdout += t), err: (t) => void (stderr += t), readStdin: async () => stdin },
    untilStopped: async () => {},
  });
  return { code, stdout, stderr };
}

export const BIN = fileURLToPath(new URL('../../src/entry/invent.mjs', import.meta.url));

export function inventProcess(argv: string[], env: Record<string, string>, stdin = ''): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...argv], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    input: stdin,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
