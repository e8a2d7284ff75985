// Failure counters in the control database (a restart does not reset them): growing delays,
// then a temporary lock (AU5, AU9). Counters are shared by every session and every process.
import { eq, inArray, sql } from 'drizzle-orm';
import type { Clock } from '../platform/ports.ts';
import type { ControlDb } from '../tenancy/db.ts';
import { throttles } from '../tenancy/schema/control.ts';

export interface ThrottlePolicy {
  /** Failures allowed with no delay. */
  free: number;
  /** Failures that lock the key. */
  lockAfter: number;
  lockMinutes: number;
  /** Cap of the growing delay between free and lock. */
  maxDelaySeconds: number;
}

export const POLICIES = {
  /** Per account (normalised email, whether or not it exists). */
  account: { free: 3, lockAfter: 10, lockMinutes: 15, maxDelaySeconds: 60 },
  /** Per IP: a whole clinic may sit behind one address, so it is looser. */
  ip: { free: 20, lockAfter: 100, lockMinutes: 15, maxDelaySeconds: 30 },
  /** Second-factor guesses per user, across all sessions. */
  secondFactor: { free: 3, lockAfter: 10, lockMinutes: 15, maxDelaySeconds: 60 },
} satisfies Record<string, ThrottlePolicy>;

/** Counters older than this start again from zero. */
const FORGET_AFTER_MS = 24 * 3_600_000;

export interface FailureResult {
  failures: number;
  blockedUntil?: Date;
  /** True on the failure that locked the key (for a security event). */
  lockedNow: boolean;
}

export class Throttle {
  constructor(
    private readonly control: ControlDb,
    private readonly clock: Clock,
  ) {}

  /** The latest time any of these keys is blocked until, if in the future. */
  async blockedUntil(keys: string[]): Promise<Date | undefined> {
    const now = this.clock.now();
    const rows = await this.control.select().from(throttles).where(inArray(throttles.key, keys));
    let until: Date | undefined;
    for (const r of rows) {
      if (!r.blockedUntil) continue;
      const t = new Date(r.blockedUntil);
      if (t > now && (!until || t > until)) until = t;
    }
    return until;
  }

  async fail(key: string, policy: ThrottlePolicy): Promise<FailureResult> {
    const now = this.clock.now();
    const stale = new Date(now.getTime() - FORGET_AFTER_MS).toISOString();
    // One atomic upsert, so parallel attempts cannot lose a count.
    const [row] = await this.control
      .insert(throttles)
      .values({ key, failures: 1, lastFailureAt: now.toISOString() })
      .onConflictDoUpdate({
        target: throttles.key,
        set: {
          failures: sql`CASE WHEN ${throttles.lastFailureAt} < ${stale} THEN 1 ELSE ${throttles.failures} + 1 END`,
          lastFailureAt: now.toISOString(),
        },
      })
      .returning();
    const failures = row!.failures;
    let blockedUntil: Date | undefined;
    if (failures >= policy.lockAfter) blockedUntil = new Date(now.getTime() + policy.lockMinutes * 60_000);
    else if (failures > policy.free) {
      blockedUntil = new Date(now.getTime() + Math.min(2 ** (failures - policy.free), policy.maxDelaySeconds) * 1000);
    }
    if (blockedUntil) {
      await this.control.update(throttles).set({ blockedUntil: blockedUntil.toISOString() }).where(eq(throttles.key, key));
    }
    return { failures, lockedNow: failures === policy.lockAfter, ...(blockedUntil ? { blockedUntil } : {}) };
  }

  async clear(key: string): Promise<void> {
    await this.control.delete(throttles).where(eq(throttles.key, key));
  }
}

export const accountKey = (email: string) => `account:${email}`;
export const ipKey = (ip: string) => `ip:${ip}`;
export const secondFactorKey = (userId: string) => `2fa:${userId}`;
