// Application-level encryption of sensitive columns (CR1). The associated data binds each
// ciphertext to its clinic, table, column and row, so a value copied to another row fails.
import { concat, dec, enc, fromB64url, b64url, randomBytes } from './bytes.ts';

export interface FieldContext {
  clinicId: string;
  table: string;
  column: string;
  rowId: string;
}

export class FieldDecryptError extends Error {
  override name = 'FieldDecryptError';
}

const PREFIX = 'v1.';
const aad = (c: FieldContext) => enc(`${c.clinicId}\u0000${c.table}\u0000${c.column}\u0000${c.rowId}`);

export async function encryptField(key: CryptoKey, ctx: FieldContext, plaintext: string): Promise<string> {
  const iv = randomBytes(12);
  const ct = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv: iv as BufferSource, additionalData: aad(ctx) as BufferSource },
    key,
    enc(plaintext) as BufferSource,
  );
  return PREFIX + b64url(concat(iv, new Uint8Array(ct)));
}

export async function decryptField(key: CryptoKey, ctx: FieldContext, token: string): Promise<string> {
  if (!token.startsWith(PREFIX)) throw new FieldDecryptError(`${ctx.table}.${ctx.column}: unknown ciphertext format`);
  let raw: Uint8Array;
  try {
    raw = fromB64url(token.slice(PREFIX.length));
  } catch {
    throw new FieldDecryptError(`${ctx.table}.${ctx.column}: malformed ciphertext`);
  }
  try {
    const pt = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: raw.subarray(0, 12) as BufferSource, additionalData: aad(ctx) as BufferSource },
      key,
      raw.subarray(12) as BufferSource,
    );
    return dec(new Uint8Array(pt));
  } catch {
    throw new FieldDecryptError(`${ctx.table}.${ctx.column}: ciphertext does not belong to this row or key`);
  }
}
