import type { Logger } from '../ports.ts';

/** One line per event on stderr. Callers pass no patient data, tokens or keys (LG2). */
export function stderrLogger(write: (line: string) => void = (l) => void process.stderr.write(l)): Logger {
  const emit = (level: string) => (msg: string, fields?: Record<string, unknown>) => {
    const extra = fields && Object.keys(fields).length ? ` ${JSON.stringify(fields)}` : '';
    write(`${new Date().toISOString()} ${level} ${msg}${extra}\n`);
  };
  return { info: emit('INFO'), warn: emit('WARN'), error: emit('ERROR') };
}
