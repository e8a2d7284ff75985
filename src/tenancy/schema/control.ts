// Control database: identity and tenancy (jobs: control-jobs.ts). Clinical data never lives here.
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
  passwordChangedAt: text('password_changed_at'),
  /** TOTP secret, encrypted (AES-GCM, bound to users.totp_secret.<id>); null when not enrolled. */
  totpSecret: text('totp_secret'),
  totpEnabledAt: text('totp_enabled_at'),
  /** The last accepted TOTP time step: a step is accepted once (AU8). */
  totpLastStep: integer('totp_last_step'),
  /** Preferred interface language; null follows the browser and clinic. */
  language: text('language'),
  disabledAt: text('disabled_at'),
  createdAt: text('created_at').notNull().default(now),
});

/** Single-use recovery codes, stored as SHA-256 of 80-bit random codes (AU10). */
export const recoveryCodes = sqliteTable(
  'recovery_codes',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    codeHash: text('code_hash').notNull(),
    usedAt: text('used_at'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('recovery_codes_user').on(t.userId)],
);

/** One-time links: administrator-started password resets and set-up of new accounts (AU11). */
export const resetTokens = sqliteTable('reset_tokens', {
  /** SHA-256 (hex) of the token in the link. */
  tokenHash: text('token_hash').primaryKey(),
  userId: text('user_id')
    .notNull()
    .references(() => users.id),
  /** reset | setup */
  purpose: text('purpose').notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: text('created_at').notNull(),
  expiresAt: text('expires_at').notNull(),
  usedAt: text('used_at'),
});

/** Failure counters for sign-in and second-factor guesses, per account, per IP (AU5, AU9). */
export const throttles = sqliteTable('throttles', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull().default(0),
  lastFailureAt: text('last_failure_at'),
  /** No attempt is considered before this time. */
  blockedUntil: text('blocked_until'),
});

/** Identity events that happen outside any clinic (sign-in attempts, lockouts, 2FA changes). */
export const identityEvents = sqliteTable(
  'identity_events',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    at: text('at').notNull(),
    type: text('type').notNull(),
    outcome: text('outcome').notNull(),
    userId: text('user_id'),
    clinicId: text('clinic_id'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    detail: text('detail'),
    /** Hash chain as in the clinic audit log (src/audit/chain.ts); null only on rows written before it. */
    prevHash: text('prev_hash'),
    hash: text('hash'),
  },
  (t) => [index('identity_events_user').on(t.userId), index('identity_events_type_at').on(t.type, t.at)],
);

/**
 * The newest (seq, hash) of each clinic's audit log, written after every append (LG3). A hash chain
 * alone cannot show that its tail was cut; this copy lives in another database, so cutting the
 * tail also means changing this row, which triggers allow only to move forward.
 */
export const auditHeads = sqliteTable('audit_heads', {
  clinicId: text('clinic_id')
    .primaryKey()
    .references(() => clinics.id),
  seq: integer('seq').notNull(),
  hash: text('hash').notNull(),
  at: text('at').notNull(),
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
    /** SHA-256 (hex) of the session token; the token itself is never stored (SE2). */
    tokenHash: text('token_hash').primaryKey(),
    /** A public handle for "my sessions" pages; not a credential. */
    id: text('id').notNull().unique(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    clinicId: text('clinic_id').references(() => clinics.id),
    /** second-factor | enrol | pick-clinic | active */
    state: text('state').notNull(),
    createdAt: text('created_at').notNull(),
    lastSeenAt: text('last_seen_at').notNull(),
    /** When the person last proved who they are (password or TOTP): SE6. */
    reauthAt: text('reauth_at').notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user').on(t.userId)],
);
