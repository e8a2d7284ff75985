import { describe, expect, it } from 'vitest';
import { deriveClinicKeys, masterKeyCheck, newKey, parseMasterKey, unwrapClinicKey, wrapClinicKey, KeyError } from '../../src/crypto/keys.ts';
import { decryptField, encryptField, FieldDecryptError, type FieldContext } from '../../src/crypto/field.ts';
import { blindIndex } from '../../src/crypto/blind.ts';
import { signText, verifyText } from '../../src/crypto/signing.ts';
import { b64url, fromB64url, newId, newToken } from '../../src/crypto/bytes.ts';

const ctx: FieldContext = { clinicId: 'c_a', table: 'patients', column: 'cpr', rowId: 'p_1' };

function randomString(max: number): string {
  const n = crypto.getRandomValues(new Uint8Array(1))[0]! % max;
  const codes = crypto.getRandomValues(new Uint16Array(n));
  // Any Unicode, including Arabic, surrogate-free BMP characters.
  return String.fromCharCode(...[...codes].map((c) => (c >= 0xd800 && c <= 0xdfff ? 0x0627 : c)));
}

describe('field encryption', () => {
  it('CR1: round-trips any text, with a fresh nonce each time', async () => {
    const keys = await deriveClinicKeys('c_a', newKey());
    for (let i = 0; i < 50; i++) {
      const text = randomString(200);
      const a = await encryptField(keys.field, ctx, text);
      const b = await encryptField(keys.field, ctx, text);
      expect(a).not.toBe(b);
      expect(a).not.toContain(text || '\u0000');
      expect(await decryptField(keys.field, ctx, a)).toBe(text);
    }
  });

  it('CR1: ciphertext moved to another row, column, table or clinic fails to decrypt', async () => {
    const keys = await deriveClinicKeys('c_a', newKey());
    const token = await encryptField(keys.field, ctx, '900101234');
    for (const moved of [
      { ...ctx, rowId: 'p_2' },
      { ...ctx, column: 'phone' },
      { ...ctx, table: 'staff' },
      { ...ctx, clinicId: 'c_b' },
    ]) {
      await expect(decryptField(keys.field, moved, token)).rejects.toBeInstanceOf(FieldDecryptError);
    }
    const other = await deriveClinicKeys('c_a', newKey());
    await expect(decryptField(other.field, ctx, token)).rejects.toBeInstanceOf(FieldDecryptError);
  });

  it('CR1: any flipped bit, or a token that is not ours, is refused', async () => {
    const keys = await deriveClinicKeys('c_a', newKey());
    const token = await encryptField(keys.field, ctx, 'allergic to penicillin');
    const raw = fromB64url(token.slice(3));
    for (const at of [0, 12, raw.length - 1]) {
      const bad = raw.slice();
      bad[at]! ^= 1;
      await expect(decryptField(keys.field, ctx, 'v1.' + b64url(bad))).rejects.toBeInstanceOf(FieldDecryptError);
    }
    await expect(decryptField(keys.field, ctx, 'plain text')).rejects.toBeInstanceOf(FieldDecryptError);
  });
});

describe('blind indexes', () => {
  it('CR2: lookup by blind index then filtering returns exactly the matching rows', async () => {
    const keys = await deriveClinicKeys('c_a', newKey());
    const key = await keys.blind('cpr');
    const values = Array.from({ length: 300 }, () => String(100000000 + (crypto.getRandomValues(new Uint32Array(1))[0]! % 900)));
    const rows = await Promise.all(values.map(async (v, i) => ({ id: i, value: v, idx: await blindIndex(key, v) })));
    for (const probe of values.slice(0, 40)) {
      const probeIdx = await blindIndex(key, probe);
      const viaIndex = rows
        .filter((r) => r.idx === probeIdx)
        .filter((r) => r.value === probe)
        .map((r) => r.id);
      const viaPlain = rows.filter((r) => r.value === probe).map((r) => r.id);
      expect(viaIndex).toEqual(viaPlain);
    }
  });

  it('CR2: keys are per clinic and per field; the index is a truncated HMAC, not the value', async () => {
    const clinicKey = newKey();
    const a = await deriveClinicKeys('c_a', clinicKey);
    const b = await deriveClinicKeys('c_b', clinicKey);
    const v = '900101234';
    const cprA = await blindIndex(await a.blind('cpr'), v);
    expect(cprA).toMatch(/^[0-9a-f]{16}$/);
    expect(await blindIndex(await a.blind('cpr'), v)).toBe(cprA);
    expect(await blindIndex(await a.blind('phone'), v)).not.toBe(cprA);
    expect(await blindIndex(await b.blind('cpr'), v)).not.toBe(cprA);
  });
});

describe('key hierarchy', () => {
  it('CR3: a clinic key wrapped by one master key does not unwrap with another', async () => {
    const master = newKey();
    const clinicKey = newKey();
    const wrapped = await wrapClinicKey(master, 'c_a', clinicKey);
    expect(await unwrapClinicKey(master, 'c_a', wrapped)).toEqual(clinicKey);
    await expect(unwrapClinicKey(newKey(), 'c_a', wrapped)).rejects.toBeInstanceOf(KeyError);
    // Bound to its clinic: the same wrapped key cannot be claimed by another clinic.
    await expect(unwrapClinicKey(master, 'c_b', wrapped)).rejects.toBeInstanceOf(KeyError);
    expect(await masterKeyCheck(master)).not.toBe(await masterKeyCheck(newKey()));
  });

  it('CR3: the master key must be base64 of exactly 32 bytes', () => {
    expect(() => parseMasterKey(Buffer.alloc(16).toString('base64'))).toThrow(/32 bytes/);
    expect(() => parseMasterKey('not base64!')).toThrow(KeyError);
    expect(parseMasterKey(Buffer.alloc(32, 1).toString('base64'))).toHaveLength(32);
  });

  it('derives distinct purpose keys and a stable Ed25519 signing key per clinic', async () => {
    const clinicKey = newKey();
    const k1 = await deriveClinicKeys('c_a', clinicKey);
    const k2 = await deriveClinicKeys('c_a', clinicKey);
    expect(k1.dbKey).toBe(k2.dbKey);
    expect(k1.dbKey).toMatch(/^[0-9a-f]{64}$/);
    const s1 = await k1.signing();
    expect((await k2.signing()).publicKeyB64).toBe(s1.publicKeyB64);
    const sig = await signText(s1, '{"a":1}');
    expect(await verifyText(s1.publicKeyB64, '{"a":1}', sig)).toBe(true);
    expect(await verifyText(s1.publicKeyB64, '{"a":2}', sig)).toBe(false);
    const other = await (await deriveClinicKeys('c_b', clinicKey)).signing();
    expect(other.publicKeyB64).not.toBe(s1.publicKeyB64);
  });
});

describe('random identifiers', () => {
  it('CR4: ids carry 128 random bits and tokens 256, and never repeat', () => {
    const ids = new Set(Array.from({ length: 2000 }, () => newId('p')));
    expect(ids.size).toBe(2000);
    for (const id of [...ids].slice(0, 10)) expect(id).toMatch(/^p_[a-z2-7]{26}$/);
    expect(newToken()).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('fromB64url', () => {
  it('decodes exactly what @oslojs/encoding does, with or without padding, and refuses other alphabets', async () => {
    const { fromB64url } = await import('../../src/crypto/bytes.ts');
    const { decodeBase64urlIgnorePadding, encodeBase64url, encodeBase64urlNoPadding } = await import('@oslojs/encoding');
    for (let n = 0; n < 70; n++) {
      const data = crypto.getRandomValues(new Uint8Array(n));
      for (const text of [encodeBase64urlNoPadding(data), encodeBase64url(data)]) {
        expect(Array.from(fromB64url(text)), text).toEqual(Array.from(decodeBase64urlIgnorePadding(text)));
      }
    }
    for (const bad of ['ab+c', 'ab/c', 'ab c', 'a', 'abcde', 'ab=c', '====']) expect(() => fromB64url(bad), bad).toThrow();
  });
});
