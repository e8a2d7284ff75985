import { defineConfig } from 'drizzle-kit';
export default defineConfig({ dialect: 'sqlite', schema: './src/tenancy/schema/clinic.ts', out: './migrations/clinic' });
