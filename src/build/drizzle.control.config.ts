import { readdirSync } from 'node:fs';
import { defineConfig } from 'drizzle-kit';

const dir = './src/tenancy/schema';
// control.ts and its companions (control-jobs.ts, ...): one file per concern, one migration set.
const schema = readdirSync(dir)
  .filter((f) => /^control(-[a-z0-9-]+)?\.ts$/.test(f))
  .map((f) => `${dir}/${f}`);

export default defineConfig({ dialect: 'sqlite', schema, out: './migrations/control' });
