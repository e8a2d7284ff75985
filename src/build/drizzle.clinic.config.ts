import { readdirSync } from 'node:fs';
import { defineConfig } from 'drizzle-kit';

const dir = './src/tenancy/schema/clinic';
// Every table file but index.ts (which re-exports them all and would define each twice).
const schema = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
  .map((f) => `${dir}/${f}`);

export default defineConfig({ dialect: 'sqlite', schema, out: './migrations/clinic' });
