import type { Platform } from '../ports.ts';
import type { CliRuntime } from '../../cli/main.ts';

export function nodeCliRuntime(platform: Platform): CliRuntime {
  return {
    platform,
    io: {
      out: (t) => void process.stdout.write(t),
      err: (t) => void process.stderr.write(t),
      async readStdin() {
        if (process.stdin.isTTY) return '';
        const chunks: Buffer[] = [];
        for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
        return Buffer.concat(chunks).toString('utf8');
      },
    },
    untilStopped: () =>
      new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      }),
  };
}
