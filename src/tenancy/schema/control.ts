// Control database: identity, tenancy and jobs. Clinical data never lives here.
import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;

export const clinics = sqliteTable('clinics', {
  id: text('id').primaryKey(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  timezone: text('timezone').notNull().default('Asia/Bahrain'),
  /** JSON of ClinicSettings (see tenancy/settings.ts). */
  settings: text('settings').notNull().default('{}'),
  createdAt: text('created_at').notNull().default(now),
});

export const clinicKeys = sqliteTable(
  'clinic_keys',
  {
    clinicId: text('clinic_id')
      .notNull()
      .references(() => clinics.id),
    version: integer('version').notNull(),
    /** The clinic key wrapped by the master key (AES-GCM, clinic id as associated data). */
    wrappedKey: text('wrapped_key').notNull(),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [uniqueIndex('clinic_keys_clinic_version').on(t.clinicId, t.version)],
);

export const users = sqliteTable('users', {
  id: text('id').primaryKey(),
  /** Normalised (trimmed, lower-case). */
  email: text('email').notNull().unique(),
  displayName: text('display_name').notNull(),
  /** Argon2id PHC string; null until the person sets a password. */
  passwordHash: text('password_hash'),
  disabledAt: text('disabled_at'),
  createdAt: text('created_at').notNull().default(now),
});

export const memberships = sqliteTable(
  'memberships',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    clinicId: text('clinic_id')
      .notNull()
      .references(() => clinics.id),
    /** JSON array of role names; permissions add up. */
    roles: text('roles').notNull(),
    disabledAt: text('disabled_at'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [uniqueIndex('memberships_user_clinic').on(t.userId, t.clinicId), index('memberships_clinic').on(t.clinicId)],
);

export const sessions = sqliteTable(
  'sessions',
  {
    /** SHA-256 (hex) of the session token; the token itself is never stored. */
    tokenHash: text('token_hash').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    clinicId: text('clinic_id').references(() => clinics.id),
    createdAt: text('created_at').notNull(),
    lastSeenAt: text('last_seen_at').notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user').on(t.userId)],
);

export const jobs = sqliteTable(
  'jobs',
  {
    id: text('id').primaryKey(),
    type: text('type').notNull(),
    clinicId: text('clinic_id').references(() => clinics.id),
    payload: text('payload').notNull().default('{}'),
    /** queued | running | done | failed | dead */
    status: text('status').notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    runAfter: text('run_after').notNull().default(now),
    leaseUntil: text('lease_until'),
    lastError: text('last_error'),
    result: text('result'),
    createdAt: text('created_at').notNull().default(now),
    updatedAt: text('updated_at').notNull().default(now),
  },
  (t) => [index('jobs_status_run_after').on(t.status, t.runAfter)],
);
