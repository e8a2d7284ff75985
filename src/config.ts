// Environment -> configuration, validated once at start.
export interface AppConfig {
  env: 'development' | 'production';
  production: boolean;
  port: number;
  host: string;
  /** Data folder as given (relative or absolute); the entry resolves it. */
  dataDir: string;
  demo: boolean;
  demoPassword: string;
  masterKey?: string;
  /**
   * How long a background job (an archive) stays with a worker between heartbeats: after a crash it
   * runs again once this has passed (INVENT_JOB_LEASE_SECONDS, default 120).
   */
  jobLeaseSeconds: number;
}

export const DEFAULT_DEMO_PASSWORD = 'correct-horse-battery-staple';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function readConfig(env: Record<string, string | undefined>): AppConfig {
  const mode = env.INVENT_ENV ?? 'development';
  if (mode !== 'development' && mode !== 'production') {
    throw new ConfigError(`INVENT_ENV must be "development" or "production", not "${mode}"`);
  }
  const port = Number(env.PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT must be a port number, not "${env.PORT}"`);
  const production = mode === 'production';
  const masterKey = env.INVENT_MASTER_KEY?.trim() || undefined;
  if (production && !masterKey) throw new ConfigError('INVENT_ENV=production requires INVENT_MASTER_KEY');
  const jobLeaseSeconds = Number(env.INVENT_JOB_LEASE_SECONDS ?? 120);
  if (!Number.isInteger(jobLeaseSeconds) || jobLeaseSeconds < 2 || jobLeaseSeconds > 3600) {
    throw new ConfigError(`INVENT_JOB_LEASE_SECONDS must be a whole number of seconds from 2 to 3600, not "${env.INVENT_JOB_LEASE_SECONDS}"`);
  }
  return {
    env: mode,
    production,
    port,
    host: env.HOST ?? '127.0.0.1',
    dataDir: env.INVENT_DATA_DIR ?? './data',
    // Production never creates demo data (CONTRACT.md).
    demo: !production && env.INVENT_DEMO !== '0',
    demoPassword: env.INVENT_DEMO_PASSWORD || DEFAULT_DEMO_PASSWORD,
    jobLeaseSeconds,
    ...(masterKey ? { masterKey } : {}),
  };
}
