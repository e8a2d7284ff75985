import type { CliIO, Platform } from '../platform/ports.ts';
import type { AppConfig } from '../config.ts';
import type { System } from '../tenancy/system.ts';

export interface CliContext {
  platform: Platform;
  config: AppConfig;
  io: CliIO;
  /** Opens the installation (master key, control database, clinic key checks). */
  open(): Promise<System>;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM); used by `serve`. */
  untilStopped(): Promise<void>;
}

export function printJson(io: CliIO, value: unknown): void {
  io.out(JSON.stringify(value, null, 2) + '\n');
}
