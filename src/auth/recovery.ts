// Recovery codes: ten, single-use, 80 random bits each, shown once, stored as SHA-256 (AU10).
// 80 bits makes an offline search of the hashes hopeless, so a slow hash is not needed.
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { randomBytes, sha256Hex } from '../crypto/bytes.ts';

export const RECOVERY_CODE_COUNT = 10;

export function newRecoveryCode(): string {
  return encodeBase32LowerCaseNoPadding(randomBytes(10)).replace(/(.{4})(?=.)/g, '$1-');
}

/** Accepts what people type: any case, with or without dashes and spaces. */
export function normaliseRecoveryCode(input: string): string | undefined {
  const bare = input.toLowerCase().replace(/[\s-]/g, '');
  return /^[a-z2-7]{16}$/.test(bare) ? bare : undefined;
}

export function hashRecoveryCode(normalised: string): Promise<string> {
  return sha256Hex(`invent-recovery:${normalised}`);
}
