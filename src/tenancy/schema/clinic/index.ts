// One database per clinic: its tables, one file per area (drizzle-kit reads every file here but this).
export * from './meta.ts';
export * from './audit.ts';
export * from './security.ts';
export * from './restricted.ts';
export * from './patients.ts';
export * from './clinical.ts';
export * from './prescriptions.ts';
export * from './documents.ts';
export * from './forms.ts';
export * from './dental.ts';
export * from './archives.ts';
