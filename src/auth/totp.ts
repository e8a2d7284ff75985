// TOTP per RFC 6238 (SHA-1, 6 digits, 30 s: what Google Authenticator, Microsoft Authenticator and
// 1Password expect). Accepts one step of drift (AU7) and reports the step it matched, so that the
// caller can refuse a step that was already used (AU8).
import { createTOTPKeyURI, generateHOTP } from '@oslojs/otp';
import { encodeBase32UpperCaseNoPadding } from '@oslojs/encoding';
import { randomBytes, timingSafeEqual, enc } from '../crypto/bytes.ts';

export const TOTP_PERIOD = 30;
export const TOTP_DIGITS = 6;
export const TOTP_DRIFT_STEPS = 1;

/** 160 bits from the CSPRNG (RFC 4226 recommends at least 128, 160 is the HMAC-SHA-1 size). */
export function newTotpSecret(): Uint8Array {
  return randomBytes(20);
}

export function stepAt(time: Date): number {
  return Math.floor(time.getTime() / 1000 / TOTP_PERIOD);
}

export function totpAt(secret: Uint8Array, step: number): string {
  return generateHOTP(secret, BigInt(step), TOTP_DIGITS);
}

/** The time step the code belongs to, within the allowed drift, or undefined. */
export function matchTotp(secret: Uint8Array, code: string, now: Date): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const current = stepAt(now);
  let found: number | undefined;
  // Check every candidate without an early exit, so that timing does not tell which matched.
  for (let offset = -TOTP_DRIFT_STEPS; offset <= TOTP_DRIFT_STEPS; offset++) {
    const step = current + offset;
    if (timingSafeEqual(enc(totpAt(secret, step)), enc(code)) && found === undefined) found = step;
  }
  return found;
}

export function totpUri(issuer: string, account: string, secret: Uint8Array): string {
  return createTOTPKeyURI(issuer, account, secret, TOTP_PERIOD, TOTP_DIGITS);
}

/** The key as people type it into an app: base32, in groups of four. */
export function manualKey(secret: Uint8Array): string {
  return encodeBase32UpperCaseNoPadding(secret).replace(/(.{4})/g, '$1 ').trim();
}
