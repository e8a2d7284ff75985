import type { Logger } from '../ports.ts';

/**
 * One JSON object per event on the console, which Workers Logs and `wrangler tail` collect.
 * Callers pass no patient data, tokens or keys (LG2).
 */
export function consoleLogger(out: Pick<Console, 'info' | 'warn' | 'error'> = console): Logger {
  const emit = (level: 'info' | 'warn' | 'error') => (msg: string, fields?: Record<string, unknown>) => {
    out[level](JSON.stringify({ level, msg, ...fields }));
  };
  return { info: emit('info'), warn: emit('warn'), error: emit('error') };
}
