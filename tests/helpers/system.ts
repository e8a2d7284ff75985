// Real installations in temp folders: a platform, an opened system, the app over it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { localPlatform } from '../../src/platform/node/index.ts';
import { readConfig } from '../../src/config.ts';
import { openSystem, type System } from '../../src/tenancy/system.ts';
import { appFromSystem } from '../../src/system-app.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import type { Clock, Logger, Platform } from '../../src/platform/ports.ts';
import type { AppEnv } from '../../src/http/env.ts';

export function tempDir(prefix = 'invent-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A logger that keeps every line, so tests can read what was logged (LG2). */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const emit = (level: string) => (msg: string, fields?: Record<string, unknown>) =>
    void lines.push(`${level} ${msg} ${fields ? JSON.stringify(fields) : ''}`);
  return { lines, info: emit('INFO'), warn: emit('WARN'), error: emit('ERROR') };
}

export const TEST_MASTER_KEY = Buffer.alloc(32, 7).toString('base64');

export interface TestInstall {
  dir: string;
  platform: Platform;
  log: ReturnType<typeof memoryLogger>;
  system: System;
  app: Hono<AppEnv>;
  close(): Promise<void>;
}

export async function testInstall(
  opts: { demo?: boolean; env?: Record<string, string>; dir?: string; clock?: Clock } = {},
): Promise<TestInstall> {
  const tmp = opts.dir ? undefined : tempDir();
  const dir = opts.dir ?? tmp!.path;
  const log = memoryLogger();
  const env = { INVENT_MASTER_KEY: TEST_MASTER_KEY, INVENT_DATA_DIR: dir, ...opts.env };
  const platform = localPlatform({ dataDir: dir, env, log });
  const config = readConfig(env);
  const system = await openSystem(platform, config);
  if (opts.demo) await seedDemo({ control: system.control, clinics: system.clinics, hasher: platform.hasher }, config.demoPassword);
  const app = await appFromSystem(system, opts.clock ? { clock: opts.clock } : {});
  return {
    dir,
    platform,
    log,
    system,
    app,
    async close() {
      await system.close();
      tmp?.remove();
    },
  };
}

/** A clock tests move by hand (SE4 timeouts, TOTP steps, reset-link expiry). */
export class FakeClock implements Clock {
  constructor(private t = Date.parse('2026-12-04T08:00:00Z')) {}
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t += ms;
  }
  set(iso: string): void {
    this.t = Date.parse(iso);
  }
}
