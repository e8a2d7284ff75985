import { defineConfig } from 'drizzle-kit';
export default defineConfig({ dialect: 'sqlite', schema: './src/tenancy/schema/control.ts', out: './migrations/control' });
