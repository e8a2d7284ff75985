import { describe, expect, it } from 'vitest';
import { generateHOTP } from '@oslojs/otp';
import { matchTotp, newTotpSecret, stepAt, totpAt, totpUri, manualKey } from '../../src/auth/totp.ts';
import { hashRecoveryCode, newRecoveryCode, normaliseRecoveryCode } from '../../src/auth/recovery.ts';

// RFC 6238 appendix B: the SHA-1 key is the ASCII string "12345678901234567890".
const RFC_KEY = new TextEncoder().encode('12345678901234567890');
const RFC_VECTORS: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP', () => {
  it('AU7: matches the RFC 6238 SHA-1 test vectors (8 digits there, our 6 are their last six)', () => {
    for (const [t, code] of RFC_VECTORS) {
      const step = stepAt(new Date(t * 1000));
      expect(generateHOTP(RFC_KEY, BigInt(step), 8)).toBe(code);
      expect(totpAt(RFC_KEY, step)).toBe(code.slice(2));
      expect(matchTotp(RFC_KEY, code.slice(2), new Date(t * 1000))).toBe(step);
    }
  });

  it('AU7: accepts one step of drift either way, refuses two', () => {
    const secret = newTotpSecret();
    const now = new Date('2026-12-04T10:00:10Z');
    const step = stepAt(now);
    expect(matchTotp(secret, totpAt(secret, step - 1), now)).toBe(step - 1);
    expect(matchTotp(secret, totpAt(secret, step + 1), now)).toBe(step + 1);
    expect(matchTotp(secret, totpAt(secret, step - 2), now)).toBeUndefined();
    expect(matchTotp(secret, totpAt(secret, step + 2), now)).toBeUndefined();
    expect(matchTotp(secret, '12345', now)).toBeUndefined();
    expect(matchTotp(secret, 'abcdef', now)).toBeUndefined();
  });

  it('AU7: secrets are 160 random bits; the URI is the standard otpauth form authenticator apps read', () => {
    const a = newTotpSecret();
    expect(a).toHaveLength(20);
    expect(newTotpSecret()).not.toEqual(a);
    const uri = totpUri('Invent Medical', 'dr@clinic.test', a);
    const u = new URL(uri);
    expect(u.protocol).toBe('otpauth:');
    expect(u.host).toBe('totp');
    expect(u.searchParams.get('issuer')).toBe('Invent Medical');
    expect(u.searchParams.get('digits')).toBe('6');
    expect(u.searchParams.get('period')).toBe('30');
    expect(u.searchParams.get('algorithm') ?? 'SHA1').toBe('SHA1');
    expect(u.searchParams.get('secret')).toBe(manualKey(a).replace(/ /g, ''));
  });
});

describe('recovery codes', () => {
  it('AU10: 80-bit codes, typed in any case with or without dashes, hashed (never stored as typed)', async () => {
    const code = newRecoveryCode();
    expect(code).toMatch(/^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$/);
    const n = normaliseRecoveryCode(code.toUpperCase().replace(/-/g, ' '))!;
    expect(n).toBe(code.replace(/-/g, ''));
    const hash = await hashRecoveryCode(n);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(n);
    expect(normaliseRecoveryCode('123456')).toBeUndefined();
  });
});
